import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { OutboxRelay } from '../messaging/outbox/outbox-relay.service';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { OrcaStatus } from './orca-codes';
import type { OrcaRequest } from './request-created-event';
import { requestStatusEvent, statusMessage } from './request-status-event';

/**
 * The inbox row that marks a request answered: a `:` is in no Kafka or RabbitMQ topic name, so no
 * reply's inbox key (consumer = its topic) can take it.
 */
const ANSWERED = 'baton-orca:refused';

/**
 * Tells the client of a request Baton refused for good, with no run to report on it, that the
 * request is over: Orca's Requests service waits for a final RequestStatusUpdatedEvent and has no
 * other way to hear it, so without one the request stays pending for ever. Only for a sender
 * entitled to run the request: anyone else's event must not speak for a RequestId it may not own.
 */
@Injectable()
export class OrcaRefusals {
  private readonly logger = new Logger(OrcaRefusals.name);

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * Status 3 with `reason`, through the outbox, once per RequestId: a redelivery (the dead letter
   * not yet acknowledged when the process stopped) or a copy finds the inbox row and sends nothing.
   * Resolves once committed: the caller dead-letters the event only then.
   */
  async answer(request: Pick<OrcaRequest, 'requestId' | 'target'>, correlationId: string, reason: string): Promise<void> {
    const event = requestStatusEvent({
      requestId: request.requestId, status: OrcaStatus.Failed, target: request.target === 'awx' ? 'AWX' : 'OO',
      externalStatus: null, resultStatusType: null, executionId: null, error: reason, at: new Date(),
    });
    const sent = await this.dataSource.transaction(async (m) => {
      const first: unknown[] = await m.query(
        'INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1', [ANSWERED, request.requestId]);
      return first.length > 0 ? this.outbox.append(m, [statusMessage(this.config.ORCA_STATUS_TOPIC, event, correlationId)]) : undefined;
    });
    const log = { flowId: request.requestId, correlationId };
    if (!sent) {
      this.logger.log(log, 'refused RequestCreatedEvent already answered with Status 3: not again');
      return;
    }
    this.logger.log({ ...log, reason }, 'RequestCreatedEvent refused: answered with Status 3');
    void this.relay.publishNow(sent);
  }

  /** Whether the request was answered with Status 3: Orca holds that as its final status. */
  async answered(requestId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2', [ANSWERED, requestId]);
    return rows.length > 0;
  }
}
