/*
 * Preloaded into the engine when profiling (`node --require .../profiling-preload.js
 * dist/src/main.js`); nothing in src/ knows about it. Over the IPC channel the harness opens:
 *   {type: 'profile-start'}            starts a V8 CPU profile and zeroes the SQL counts
 *   {type: 'profile-stop', dir}        writes dir/engine.cpuprofile and dir/sql.json, answers 'profile-done'
 * SQL statements are counted at node-postgres's Client.query, by statement text, with the time
 * from send to result (which includes waiting on the pool's connection, not the pool queue). A
 * StatementPipeline counts each of its statements, with the pipeline's time, and itself once
 * as `(pipeline)`: the round trips.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as pg from 'pg';

interface Entry {
  count: number;
  totalMs: number;
}

let statements = new Map<string, Entry>();
let since = Date.now();

function record(text: string, ms: number): void {
  const key = text.replace(/\s+/g, ' ').trim().slice(0, 400);
  const entry = statements.get(key) ?? { count: 0, totalMs: 0 };
  entry.count++;
  entry.totalMs += ms;
  statements.set(key, entry);
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const proto = pg.Client.prototype as unknown as { query: Query };
const original = proto.query;
proto.query = function query(this: pg.Client, ...args: unknown[]): unknown {
  const first = args[0] as string | { text?: string; statements?: Array<{ text: string }>; done?: Promise<unknown> } | undefined;
  if (typeof first === 'object' && first.statements && first.done) {
    const { statements: inPipeline, done: pipelineDone } = first;
    const began = performance.now();
    const counted = () => {
      const ms = performance.now() - began;
      record('(pipeline)', ms);
      for (const s of inPipeline) record(s.text, ms);
    };
    pipelineDone.then(counted, counted);
    return original.apply(this, args);
  }
  const text = typeof first === 'string' ? first : first?.text ?? '(query object)';
  const started = performance.now();
  const done = () => record(text, performance.now() - started);
  const callbackAt = args.findIndex((a) => typeof a === 'function');
  if (callbackAt >= 0) {
    const callback = args[callbackAt] as (...r: unknown[]) => void;
    args[callbackAt] = (...r: unknown[]) => {
      done();
      callback(...r);
    };
    return original.apply(this, args);
  }
  const result = original.apply(this, args) as Promise<unknown> | undefined;
  if (result && typeof result.then === 'function') result.then(done, done);
  return result;
};

const session = new Session();
session.connect();
const post = <T>(method: string, params: object = {}) => new Promise<T>((resolve, reject) => {
  session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T)));
});

process.on('message', (message: { type?: string; dir?: string }) => {
  if (message?.type === 'profile-start') {
    statements = new Map();
    since = Date.now();
    void post('Profiler.enable').then(() => post('Profiler.setSamplingInterval', { interval: 200 })).then(() => post('Profiler.start'));
  } else if (message?.type === 'profile-stop' && message.dir) {
    const dir = message.dir;
    const windowMs = Date.now() - since;
    void post<{ profile: object }>('Profiler.stop').then(({ profile }) => {
      writeFileSync(join(dir, 'engine.cpuprofile'), JSON.stringify(profile));
      const list = [...statements.entries()].map(([sql, e]) => ({ sql, ...e })).sort((a, b) => b.count - a.count);
      writeFileSync(join(dir, 'sql.json'), JSON.stringify({ windowMs, statements: list }, null, 1));
      process.send?.({ type: 'profile-done' });
    });
  }
});
