/** A UUID of any version, in either case, as Baton takes a flowId in a path (ParseUuidPipe). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_PART = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/**
 * Where a link names a run: the console's run page and the API's run, action and undo paths
 * (`/runs/<id>`, `/runs/<id>/retry`, `/undo/<id>`), a run's jobs (`/job-executions/request/<id>`),
 * or a `flowId=` parameter. Any other UUID in a link (a job's, a command's) is not a run's.
 */
const RUN_PATH = new RegExp(`/(?:runs|undo|job-executions/request)/(${UUID_PART})(?:[/?#]|$)`, 'i');
const RUN_PARAM = new RegExp(`[?&]flowId=(${UUID_PART})(?:[&#]|$)`, 'i');
/** Quotes a flowId is often pasted in: from JSON, a shell, a chat or a document. */
const QUOTES: ReadonlyArray<[string, string]> = [['"', '"'], ["'", "'"], ['`', '`'], ['“', '”'], ['‘', '’'], ['«', '»'], ['<', '>']];

export const NOT_A_FLOW_ID = 'Not a flowId: paste a run’s id (a UUID such as 0b7e9c8a-2f4d-4c1e-9a3b-5d6e7f8a9b0c) or a link to the run.';
export const NO_RUN_IN_LINK = 'This link names no run: paste a link to a run’s page (…/ui/runs/<flowId>) or its API address.';

/** What is left of `text` once the whitespace and one pair of matching quotes around it are gone. */
function unquoted(text: string): string {
  const trimmed = text.trim();
  const pair = QUOTES.find(([open, close]) => trimmed.length >= 2 && trimmed.startsWith(open) && trimmed.endsWith(close));
  return pair ? trimmed.slice(pair[0].length, -pair[1].length).trim() : trimmed;
}

/**
 * The flowId someone pasted to go to its run, lower-cased as Baton writes it: the UUID alone
 * (whitespace and quotes around it are dropped), or a console or API link that names the run.
 * Otherwise what is wrong, so the page can say so without asking Baton.
 */
export function flowIdOf(input: string): { flowId: string } | { problem: string } {
  const text = unquoted(input);
  if (UUID.test(text)) return { flowId: text.toLowerCase() };
  // A link or path, with or without its scheme (`baton.example/ui/runs/…`); words are not one.
  if (!text.includes('/') || /\s/.test(text)) return { problem: NOT_A_FLOW_ID };
  const found = RUN_PATH.exec(text) ?? RUN_PARAM.exec(text);
  return found ? { flowId: found[1].toLowerCase() } : { problem: NO_RUN_IN_LINK };
}
