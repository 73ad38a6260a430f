// Pure: validating a user-given workspace-relative path. No `vscode`, no Node `path`.

/**
 * Splits a workspace-relative path into safe segments. Returns undefined for anything that could
 * leave the workspace: absolute paths (`/x`, `C:\x`, `\\server`), URIs (`file:`, `http:`), home
 * (`~`), or `..` segments that climb above the root. `.` and empty segments are dropped; `\` counts
 * as a separator.
 */
export function safeRelativeSegments(input: string): string[] | undefined {
  const p = input.trim();
  if (!p) return undefined;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p)) return undefined; // scheme or drive letter
  if (p.startsWith('/') || p.startsWith('\\') || p.startsWith('~')) return undefined;
  const out: string[] = [];
  for (const seg of p.split(/[\\/]+/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!out.length) return undefined;
      out.pop();
      continue;
    }
    if (seg.includes('\0')) return undefined;
    out.push(seg);
  }
  return out.length ? out : undefined;
}
