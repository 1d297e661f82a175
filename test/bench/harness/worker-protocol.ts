import type { EchoStats } from './echo';

/** Parent → echo worker: ask for its counts; `reset` also zeroes them after answering. */
export interface WorkerRequest {
  type: 'stats' | 'reset';
  id: number;
}

/** Echo worker → parent. */
export type WorkerResponse = { type: 'ready' } | { type: 'stats'; id: number; stats: EchoStats };
