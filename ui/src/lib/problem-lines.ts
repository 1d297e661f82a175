import type { Problem } from '../api/types';

export interface AnnotatedLine { number: number; text: string; problems: Problem[] }

/**
 * The rejected document, line by line, with each problem next to the line it names. Problems
 * without a line (JSON documents, or a document too large to keep) come back separately.
 */
export function annotateDocument(document: string, problems: Problem[]): { lines: AnnotatedLine[]; unplaced: Problem[] } {
  const lines = document.split(/\r?\n/).map((text, i) => ({ number: i + 1, text, problems: [] as Problem[] }));
  const unplaced: Problem[] = [];
  for (const p of problems) {
    const line = typeof p.line === 'number' ? lines[p.line - 1] : undefined;
    if (line) line.problems.push(p);
    else unplaced.push(p);
  }
  return { lines, unplaced };
}
