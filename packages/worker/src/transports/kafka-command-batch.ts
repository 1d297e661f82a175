import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Slots } from '../slots';
import { KeyLanes } from '../key-lanes';
import { OffsetTracker } from './offset-tracker';

/** kafkajs heartbeats only between batches, or when asked; heartbeat() sends at most one per heartbeatInterval (3 s). */
const HEARTBEAT_EVERY_MS = 1000;

export interface CommandBatchDeps {
  slots: Slots;
  /** False once the transport paused, or its consumer was replaced. */
  taking(): boolean;
  /** Hands the command to the worker (taking a slot before it returns): true once acknowledged, false once given back. */
  handOver(message: KafkaMessage): Promise<boolean>;
  /** Every command of the partition up to `offset` was handled: its group may read past it. */
  handledUpTo(offset: string): void;
  /** Resolves once the offsets due were committed. */
  flushCommits(): Promise<void>;
}

/**
 * One partition's batch of commands: as many at once as the worker has free slots, one key's
 * (Baton keys a command by its run and step: a step's retry and undo follow its DO) one after another. The partition's offset moves only over commands handled
 * from the batch's start, so a crash never skips one. The consumer heartbeats while handlers run,
 * so a step longer than the session keeps its partition instead of being handed to another
 * instance and run twice. Halted (a command given back, paused, replaced, a rebalance, the
 * partition revoked), it hands over nothing more and ends once the handlers running are done:
 * kafkajs then fetches the partition again from its first command not handled, so a command given
 * back comes again, as after a seek, and the later ones handled meanwhile are answered by the
 * result store. Handed over again within the batch instead, a command that always fails would
 * hold the batch, and kafkajs fetches nothing more from a broker until all its batches ended.
 */
export async function consumeCommandBatch(payload: EachBatchPayload, deps: CommandBatchDeps): Promise<void> {
  const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
  const { slots } = deps;
  let failure: unknown;
  let givenBack = false;
  const halted = () => givenBack || failure !== undefined || !deps.taking() || !isRunning() || isStale();
  // A failed heartbeat (a rebalance) goes to kafkajs once the handlers running are done: it rejoins.
  const beating = setInterval(() => void heartbeat().catch((error: unknown) => (failure ??= error)), HEARTBEAT_EVERY_MS);
  const offsets = new OffsetTracker(batch.messages.map((m) => m.offset));
  // Each wait for a slot re-checks it in the same turn as the hand-over that takes it: a check
  // returned from a helper would let another partition's batch take the slot in between.
  const handle = async (message: KafkaMessage) => {
    while (slots.free() === 0 && !halted()) await slots.whenFree();
    if (halted()) return;
    if (!(await deps.handOver(message))) {
      givenBack = true;
      return;
    }
    const committable = offsets.complete(message.offset);
    if (committable !== undefined) {
      resolveOffset(committable);
      deps.handledUpTo(committable);
    }
  };
  const lanes = new KeyLanes();
  try {
    for (const message of batch.messages) {
      while (slots.free() === 0 && !halted()) await slots.whenFree();
      if (halted()) break;
      lanes.run(message.key?.toString(), () => handle(message));
    }
    await lanes.idle();
  } finally {
    clearInterval(beating);
  }
  if (failure === undefined) return;
  await deps.flushCommits(); // the group still accepts this generation's commits while it rebalances
  throw failure;
}
