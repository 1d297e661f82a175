import { outageDelayMs } from '../messaging/delivery/failure-policy';
import type { ConsumerState } from '../messaging/message-consumer';
import { CatchUpLimits, mayTimeOut } from './policies';

/**
 * How long timeouts wait for the reply consumers to apply the replies that waited for them (see
 * mayTimeOut). The settle time is also all a driver that cannot tell when that is done waits
 * (in-process, and Kafka without its watermarks). RabbitMQ waited for it alone too, but a fixed
 * delay bounds nothing on a loaded host (the fault suite once saw a step run twice there). The cap:
 * the engine applies about a thousand replies a second, so a minute covers far more than a restart
 * leaves waiting; a backlog still unapplied by then is blocked (a poison message being retried, a
 * handler waiting on the database), and timeouts must resume. After a database outage, the
 * consumers' longest wait between tries of a reply (outageDelayMs), and the settle time after it.
 */
export const REPLY_CATCH_UP: CatchUpLimits = { settleMs: 2_000, capMs: 60_000, outageSettleMs: outageDelayMs(Number.POSITIVE_INFINITY) + 2_000 };

/**
 * Whether the healer may time attempts out now (mayTimeOut), from what it saw: since when every
 * reply consumer has run (sampled often, so a tick knows), and whether one of its passes met a
 * database outage, and since when the database answers again.
 */
export class TimeoutGate {
  private listeningSince?: Date;
  private databaseDown = false;
  private databaseBackSince?: Date;

  constructor(private readonly replyConsumers: () => ConsumerState[], private readonly limits = REPLY_CATCH_UP,
    private readonly now = () => new Date()) {}

  /** Samples the reply consumers' state. */
  observe(): ConsumerState[] {
    const replies = this.replyConsumers();
    const listening = replies.length > 0 && replies.every((c) => c.state === 'running');
    this.listeningSince = listening ? this.listeningSince ?? this.now() : undefined;
    return replies;
  }

  /** A pass ended at an outage: the replies that come during it wait in their consumers' retry loops, not seen as a backlog. */
  databaseFailed(): void {
    this.databaseDown = true;
  }

  /** Whether attempts may time out now; asked once the pass read the database, so it answers again. */
  open(): boolean {
    const replies = this.observe();
    const now = this.now();
    if (this.databaseDown) [this.databaseDown, this.databaseBackSince] = [false, now];
    return mayTimeOut(replies, this.listeningSince, now, this.limits, this.databaseBackSince);
  }
}
