/**
 * Names of the files Marginalia writes beside a sidecar, shared by the extension and the command
 * line so that each recognises and cleans up the other's leftovers:
 * - a temporary file `.NAME.marginalia-tmp-TTTTTTTTRRRRRRRR` (T: base-36 time it was made, 8
 *   characters; R: random), renamed over NAME when complete;
 * - a lock `.NAME.marginalia-lock` held while a writer re-reads, merges and renames.
 */
import { basename, dirname, joinPath } from './files';

export const TEMP_MARK = '.marginalia-tmp-';
export const LOCK_MARK = '.marginalia-lock';

/** A temporary file younger than this may be another process's save in progress. */
export const TEMP_GRACE_MS = 60_000;

function time36(now: number): string {
  return Math.max(0, Math.floor(now)).toString(36).padStart(8, '0').slice(-8);
}

/** A fresh temporary file name beside `target`. */
export function tempPathFor(target: string, now: number, random: () => number = Math.random): string {
  let rand = '';
  while (rand.length < 8) rand += Math.floor(random() * 36).toString(36);
  return joinPath(dirname(target), `.${basename(target)}${TEMP_MARK}${time36(now)}${rand}`);
}

export function lockPathFor(target: string): string {
  return joinPath(dirname(target), `.${basename(target)}${LOCK_MARK}`);
}

/** True when `name` (a file name in `target`'s folder) is a temporary file of `target`. */
export function isTempOf(name: string, target: string): boolean {
  return name.startsWith(`.${basename(target)}${TEMP_MARK}`);
}

/** True for any Marginalia temporary or lock file name. */
export function isMarginaliaScratch(name: string): boolean {
  return name.startsWith('.') && (name.includes(TEMP_MARK) || name.endsWith(LOCK_MARK));
}

/**
 * A temporary file of `target` that an interrupted save left behind: older than the grace period
 * (a younger one may be a save in progress; its name carries the time it was made). Names of the
 * older CLI scheme (`.NAME.<pid>.<ms>.tmp`) count too, by the same rule.
 */
export function isLeftoverTemp(name: string, target: string, now: number): boolean {
  const prefix = `.${basename(target)}${TEMP_MARK}`;
  let made: number;
  if (name.startsWith(prefix)) made = parseInt(name.slice(prefix.length, prefix.length + 8), 36);
  else {
    const legacy = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.\\d+\\.(\\d{10,})\\.tmp$`).exec(name);
    if (!legacy) return false;
    made = Number(legacy[1]);
  }
  if (!Number.isFinite(made)) return true;
  return !(now - made < TEMP_GRACE_MS && made <= now + TEMP_GRACE_MS);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
