import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { HandlersConfig } from '../../handlers/handlers-config';
import { PoisonMessageError, type IncomingMessage } from '../../messaging/message';
import { MessageConsumer } from '../../messaging/message-consumer';
import { tracing } from '../../tracing/tracing';
import { RunExecutor } from '../run-executor.service';
import { StepHeartbeats } from '../step-heartbeats.service';
import { parseMessage } from './parse-message';
import { replyInboxKey } from './reply-inbox-key';
import { isFinalReply, stepReplySchema, toStepResult } from './step-reply.schema';

/** Worker replies: malformed ones are dead-lettered; heartbeats extend their attempt; the rest are applied exactly once. */
@Injectable()
export class StepReplyConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumer: MessageConsumer, private readonly executor: RunExecutor, private readonly config: AppConfig,
    private readonly heartbeats: StepHeartbeats, private readonly handlers: HandlersConfig,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    const topic = this.config.TOPIC_REPLY;
    return this.consumer.subscribe({ topic, group: this.config.CONSUMER_GROUP, handler: (m) => this.handle(m) });
  }

  private async handle(message: IncomingMessage): Promise<void> {
    const reply = parseMessage(stepReplySchema, message.body);
    if (reply.commandId === undefined && this.config.REPLY_COMMAND_ID === 'required') {
      throw new PoisonMessageError('invalid message: commandId: required (REPLY_COMMAND_ID=required): '
        + 'a reply names the command it answers, which only the service that received it knows');
    }
    if (!isFinalReply(reply)) {
      await this.heartbeats.record(reply);
      return;
    }
    // The worker's span is the parent of the reply's: the trace continues where the worker left it.
    await tracing.within(tracing.extract(message.headers), () => this.executor.apply(toStepResult(reply, this.handlers.secrets()), replyInboxKey(message)));
  }
}
