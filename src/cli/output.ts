/** Human-readable output of the command line: text from sources, sidecars and file names made inert for a terminal. */
import { terminalSafe } from '../core/text/escape';

/** `s` with control characters and escape sequences made visible (newlines and tabs kept). */
export function terminalText(s: string): string {
  return terminalSafe(s, { newline: true, tab: true });
}
