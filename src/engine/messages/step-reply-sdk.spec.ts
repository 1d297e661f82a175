import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ERROR_MAX_LENGTH, errorForReply, OUTPUT_MAX_DEPTH, outputProblem } from '../../../packages/worker/src/output-rules';
import { replyTo, type WireCommand, type WireReply } from '../../../packages/worker/src/wire';
import { RUN_PAYLOAD_MAX_DEPTH } from '../core/run-payload';
import { MAX_ERROR_LENGTH, stepReplySchema, toStepResult, type FinalStepReply } from './step-reply.schema';

/**
 * The SDK checks a reply by Baton's rules before it sends it (a refused reply is refused at every
 * delivery): its copy of those rules, written apart so that it needs nothing of the engine, must
 * say what Baton says. A change to one side fails here.
 */

// Compile-time: every reply the SDK can build is one Baton's schema takes the shape of.
const fits = (reply: WireReply): z.input<typeof stepReplySchema> => reply;

const command: WireCommand = {
  flowId: randomUUID(), orchName: 'order', stepName: 'charge', action: 'DO', commandId: randomUUID(), attempt: 1, objectType: 'Order',
  payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: randomUUID(), idempotencyKey: 'k', deadline: new Date().toISOString(),
};
/** Objects nested `depth` levels deep, the top level counting as 1. */
const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: nested(depth - 1) });
const reply = (output: unknown): WireReply => replyTo(command, { status: 'SUCCESS', error: null }, output);
const sdkTakes = (output: unknown) => outputProblem(reply(output), Number.MAX_SAFE_INTEGER) === undefined;
const batonTakes = (output: unknown) => stepReplySchema.safeParse(fits(reply(output))).success;

describe("the worker SDK's reply rules are Baton's", () => {
  it('has the same limits', () => {
    expect(OUTPUT_MAX_DEPTH).toBe(RUN_PAYLOAD_MAX_DEPTH);
    expect(ERROR_MAX_LENGTH).toBe(MAX_ERROR_LENGTH);
  });

  it.each<[string, unknown]>([
    ['an output as deep as allowed', nested(RUN_PAYLOAD_MAX_DEPTH)],
    ['one level deeper', nested(RUN_PAYLOAD_MAX_DEPTH + 1)],
    ['a NUL in a string', { note: 'a\u0000b' }],
    ['a NUL in a key', { ['a\u0000b']: 1 }],
    ['a lone high surrogate', { note: 'x\uD800' }],
    ['a lone low surrogate', ['\uDC00y']],
    ['a surrogate pair', { note: '😀' }],
    ['plain JSON', { id: 7, tags: ['a', 'b'], ok: true, none: null }],
  ])('takes or refuses %s as Baton does', (_, output) => {
    expect(sdkTakes(output)).toBe(batonTakes(output));
  });

  it('both refuse the first level too deep, and both take the last one allowed', () => {
    expect([sdkTakes(nested(RUN_PAYLOAD_MAX_DEPTH)), batonTakes(nested(RUN_PAYLOAD_MAX_DEPTH))]).toEqual([true, true]);
    expect([sdkTakes(nested(RUN_PAYLOAD_MAX_DEPTH + 1)), batonTakes(nested(RUN_PAYLOAD_MAX_DEPTH + 1))]).toEqual([false, false]);
  });

  it('sends an error text as Baton keeps it', () => {
    const text = `${'x'.repeat(ERROR_MAX_LENGTH - 1)}😀 and more\u0000`;
    const failed = stepReplySchema.parse(replyTo(command, { status: 'FAILED', error: text })) as FinalStepReply;
    const sent = stepReplySchema.parse(replyTo(command, { status: 'FAILED', error: errorForReply(text) })) as FinalStepReply;
    expect(toStepResult(sent, []).error).toBe(toStepResult(failed, []).error);
  });

  it("reads the SDK's success without its output as one, dropping any output it carries", () => {
    const dropped = replyTo(command, { status: 'SUCCESS', error: 'OUTPUT_REFUSED: too big', outputDropped: true }, { stray: 1 });
    expect(toStepResult(stepReplySchema.parse(fits(dropped)) as FinalStepReply, [])).toMatchObject({
      status: 'SUCCESS', error: 'OUTPUT_REFUSED: too big', outputDropped: true, output: undefined,
    });
  });
});
