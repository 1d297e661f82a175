import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';

export interface ChildOptions {
  script: string;
  env: Record<string, string>;
  nodeArgs?: string[];
  /** Prefix of this child's lines in diagnostics. */
  name: string;
}

const KEEP_LINES = 200;

/** Children still running when this process exits are killed with it, never left behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A Node child process with an IPC channel, its output kept (last lines) for error messages.
 * Output is not echoed: at LOG_LEVEL=warn a healthy engine prints nothing, and a failure quotes it.
 */
export class Child {
  process?: ChildProcess;
  private lines: string[] = [];
  private exited?: Promise<void>;

  constructor(private readonly options: ChildOptions) {}

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get alive(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  start(): ChildProcess {
    const { script, env, nodeArgs = [], name } = this.options;
    const child = fork(script, [], {
      env: { PATH: process.env.PATH ?? '', ...env },
      execArgv: nodeArgs,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(`[${name}] ${line}`);
      if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    live.add(child);
    this.exited = once(child, 'exit').then(() => void live.delete(child));
    this.process = child;
    return child;
  }

  output(): string {
    return this.lines.join('\n');
  }

  /** Gone at once: no shutdown hook runs, nothing is flushed (a crash). */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.process!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait (the application's shutdown hooks run); SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.alive) return;
    this.process!.kill('SIGTERM');
    const timer = setTimeout(() => this.process?.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Resident memory now and at its peak (kB), from /proc. */
  memory(): { rssKb: number; peakRssKb: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), peakRssKb: field('VmHWM') };
  }

  /** CPU seconds (user + system) the process has used so far, from /proc (clock ticks of 10 ms). */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  /** Resets the peak (VmHWM) to the current RSS, so the next peak is this phase's. */
  resetPeakMemory(): void {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    } catch {
      // Not permitted here: the peak then covers the process's whole life, which the report says.
    }
  }
}
