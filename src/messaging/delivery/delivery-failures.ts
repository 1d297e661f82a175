/**
 * Failed deliveries per message, kept where a restart does not lose them: Kafka counts none itself,
 * and a count held only in memory starts again at 1 every time the engine restarts, so a message
 * whose handling kills the process would never reach the dead-letter topic.
 */
export abstract class DeliveryFailures {
  /** Counts one more failed delivery of `key`; resolves to how many have failed in all. */
  abstract record(key: string): Promise<number>;
  /** The message was acknowledged (handled or dead-lettered): its count is done with. */
  abstract forget(key: string): Promise<void>;
}
