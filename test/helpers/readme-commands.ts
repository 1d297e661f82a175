import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '../..');

/**
 * The commands of the first ```bash block after `marker` in the README, split into words as a
 * shell would: so a suite runs what the README says, not a copy that could drift from it. Handles
 * what those blocks use: comments, `\` continuations, `&&` chains, quotes, and `NAME="…"`
 * assignments expanded where `$NAME` stands alone.
 */
export function readmeCommands(marker: string): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(marker);
  const block = at < 0 ? null : /```bash\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`README: no bash block after "${marker}"`);
  const variables = new Map<string, string[]>();
  const commands: string[][] = [];
  const lines = block[1].replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter(Boolean);
  for (const line of lines) {
    for (const part of line.split(' && ')) {
      const assignment = /^([A-Z_]+)="([^"]*)"$/.exec(part.trim());
      if (assignment) variables.set(assignment[1], wordsOf(assignment[2], variables));
      else commands.push(wordsOf(part, variables));
    }
  }
  return commands;
}

function wordsOf(text: string, variables: ReadonlyMap<string, string[]>): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    const [, single, double, bare] = match;
    const variable = bare?.startsWith('$') ? variables.get(bare.slice(1)) : undefined;
    if (bare?.startsWith('$') && !variable) throw new Error(`README command uses ${bare}, which the block does not set`);
    words.push(...(variable ?? [single ?? double ?? bare]));
  }
  return words;
}

/** Runs one of scripts/services.sh's admin tools (rabbitmqctl, kafka-acls, kafka-configs) against the shared servers. */
export async function servicesTool(tool: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [join(ROOT, 'scripts/services.sh'), tool, ...args], { timeout: 60_000 });
  return stdout;
}
