/** Reading a page of an AWX job list (`{count, next, previous, results}`), kept pure so that every accepted shape is tested. */

export interface AwxListPage {
  /** The entries whose extra_vars carry `baton_command_id` equal to the one looked for. */
  matches: Record<string, unknown>[];
  /** Another page follows. */
  more: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A job's extra_vars as AWX lists them: a JSON text (the model field is text; survey passwords
 * show as $encrypted$), or an object from proxies that decode it. Anything else carries no vars.
 */
function varsOf(extraVars: unknown): Record<string, unknown> {
  if (isObject(extraVars)) return extraVars;
  if (typeof extraVars !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(extraVars);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * The entries of a list page launched with `baton_command_id` = `commandId`, compared whole (no
 * id that merely contains it, or starts with it, matches). Entries a workflow spawned (its nodes,
 * a sliced job's slices: `launch_type` workflow) repeat the workflow's vars but were not launched
 * by us: skipped. Undefined when the page is not a list.
 */
export function readJobListPage(body: unknown, commandId: string): AwxListPage | undefined {
  if (!isObject(body) || !Array.isArray(body.results)) return undefined;
  const matches = body.results.filter((entry): entry is Record<string, unknown> => isObject(entry)
    && entry.launch_type !== 'workflow' && varsOf(entry.extra_vars).baton_command_id === commandId);
  return { matches, more: typeof body.next === 'string' && body.next !== '' };
}
