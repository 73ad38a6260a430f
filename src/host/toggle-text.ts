import { DECORATION_KINDS, type DecorationKind } from './decorations/kinds';

/** What the status item counts in the active source. */
export interface StatusCounts {
  names: number;
  quotes: number;
  /** Reported statements (attributions without quotation marks), not counted in `quotes`. */
  reported?: number;
  annotations: number;
  /** A sidecar problem that makes the source's annotations read-only. */
  problem?: boolean;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Pure: the status-bar text — what is switched on and, with counts, what the active source holds. */
export function statusText(enabled: Record<DecorationKind, boolean>, counts?: StatusCounts): string {
  const on = DECORATION_KINDS.filter((k) => enabled[k]);
  if (counts?.problem) return '$(error) Marginalia: sidecar problem';
  const eye = on.length ? '$(eye)' : '$(eye-closed)';
  const which = on.length === DECORATION_KINDS.length ? '' : on.length ? ` ${on.length}/${DECORATION_KINDS.length} on` : ' off';
  if (!counts) return on.length === DECORATION_KINDS.length ? '$(eye) Marginalia' : on.length ? `$(eye) Marginalia: ${on.length}/${DECORATION_KINDS.length}` : '$(eye-closed) Marginalia: off';
  const bits = [plural(counts.names, 'name'), plural(counts.quotes, 'quote'), counts.reported ? `${counts.reported} reported` : '', counts.annotations ? plural(counts.annotations, 'note') : ''].filter(Boolean);
  return `${eye} Marginalia${which}: ${bits.join(' · ')}`;
}
