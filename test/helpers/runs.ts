import { isTerminal, RunStatus } from '../../src/engine/core/run-status';
import type { RunDetailDto } from '../../src/engine/dto/run.dto';
import type { TestApp } from './test-app';

/** Polls a run until it reaches `status` (or any terminal status when `status` is omitted). */
export async function waitForRun(t: TestApp, flowId: string, status?: string, timeoutMs = 10_000): Promise<RunDetailDto> {
  const deadline = Date.now() + timeoutMs;
  let last = {} as RunDetailDto;
  while (Date.now() < deadline) {
    last = (await t.http.get(`/api/orchestration/runs/${flowId}`)).body;
    if (status ? last.status === status : isTerminal(last.status as RunStatus)) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`run ${flowId} is ${last.status}, expected ${status ?? 'a terminal status'}: ${JSON.stringify(last)}`);
}

export function execute(t: TestApp, orchName: string, payload: unknown = {}, headers: Record<string, string> = {}) {
  const req = t.http.post(`/api/orchestration/execute/${orchName}`);
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  return req.send(payload as object);
}
