import type { ConsumerState } from '../messaging/message-consumer';
import { CatchUpLimits, listening, mayTimeOut } from './policies';

/**
 * How long timeouts wait for the reply consumers to apply the replies that waited for them (see
 * mayTimeOut). The settle time is also all a driver that cannot tell when that is done waits
 * (in-process, and Kafka without its watermarks). RabbitMQ waited for it alone too, but a fixed
 * delay bounds nothing on a loaded host (the fault suite once saw a step run twice there). The cap:
 * the engine applies about a thousand replies a second, so a minute covers far more than a restart
 * leaves waiting; a backlog still unapplied by then is blocked (a poison message being retried, a
 * handler waiting on the database), and timeouts must resume.
 */
export const REPLY_CATCH_UP: CatchUpLimits = { settleMs: 2_000, capMs: 60_000 };

/**
 * Whether the healer may time attempts out now (mayTimeOut), from since when every reply consumer
 * has listened: run, and held no reply in its outage retry (sampled often, so a tick knows, and a
 * database outage that no healer pass met is seen all the same).
 */
export class TimeoutGate {
  private listeningSince?: Date;

  constructor(private readonly replyConsumers: () => ConsumerState[], private readonly limits = REPLY_CATCH_UP,
    private readonly now = () => new Date()) {}

  /** Samples the reply consumers' state. */
  observe(): ConsumerState[] {
    const replies = this.replyConsumers();
    this.listeningSince = replies.length > 0 && replies.every(listening) ? this.listeningSince ?? this.now() : undefined;
    return replies;
  }

  /** Whether attempts may time out now. */
  open(): boolean {
    const replies = this.observe();
    return mayTimeOut(replies, this.listeningSince, this.now(), this.limits);
  }
}
