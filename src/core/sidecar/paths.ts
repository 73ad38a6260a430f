/**
 * Where a source's sidecar lives, as pure `/`-separated path arithmetic relative to a workspace
 * folder. With `folder` empty the sidecar sits beside the source (`a/b.txt` → `a/b.txt.marginalia.yaml`);
 * with `folder` set (e.g. `.marginalia`) the tree is mirrored under it (`.marginalia/a/b.txt.marginalia.yaml`).
 */
import { SIDECAR_SUFFIX } from './model';

/** True when `p` is a relative path that stays inside its base (no `..` escape, not absolute, no drive). */
export function isSafeRelativePath(p: string): boolean {
  if (!p || p.includes('\0')) return false;
  if (p.startsWith('/') || p.startsWith('\\') || /^[a-zA-Z]:/.test(p) || /^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return false;
  let depth = 0;
  for (const seg of p.split(/[\\/]/)) {
    if (seg === '..') depth--;
    else if (seg !== '.' && seg !== '') depth++;
    if (depth < 0) return false;
  }
  return true;
}

function normFolder(folder: string | undefined): string {
  return (folder ?? '').replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
}

/** Workspace-relative path of the sidecar of the workspace-relative `sourcePath`. */
export function sidecarPathFor(sourcePath: string, folder?: string): string {
  const f = normFolder(folder);
  return (f ? `${f}/` : '') + sourcePath + SIDECAR_SUFFIX;
}

/** Inverse of `sidecarPathFor`, or undefined if `sidecarPath` is not a sidecar under `folder`. */
export function sourcePathFor(sidecarPath: string, folder?: string): string | undefined {
  if (!sidecarPath.endsWith(SIDECAR_SUFFIX)) return undefined;
  const f = normFolder(folder);
  let rest = sidecarPath.slice(0, -SIDECAR_SUFFIX.length);
  if (f) {
    if (!rest.startsWith(`${f}/`)) return undefined;
    rest = rest.slice(f.length + 1);
  }
  return rest || undefined;
}

/** The `source:` value written in a sidecar: the source relative to the sidecar's own folder. */
export function relativeSourceField(sidecarPath: string, sourcePath: string): string {
  const from = sidecarPath.split('/').slice(0, -1);
  const to = sourcePath.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

/** Resolve a sidecar's `source:` field against the sidecar's workspace-relative path; undefined if it escapes. */
export function resolveSourceField(sidecarPath: string, source: string): string | undefined {
  if (source.startsWith('/') || /^[a-zA-Z]:/.test(source) || source.includes('\0')) return undefined;
  const parts = sidecarPath.split('/').slice(0, -1);
  for (const seg of source.replace(/\\/g, '/').split('/')) {
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/') || undefined;
}

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
