/**
 * Copies text, answering whether it was: there is no clipboard API on plain http (other than
 * localhost), and the browser may refuse (no permission, the page not focused).
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
