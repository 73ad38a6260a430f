import { DECORATION_KINDS, type DecorationKind } from './decorations/kinds';

/** Pure: the status-bar text for what is switched on. */
export function statusText(enabled: Record<DecorationKind, boolean>): string {
  const on = DECORATION_KINDS.filter((k) => enabled[k]);
  if (on.length === DECORATION_KINDS.length) return '$(eye) Marginalia';
  if (!on.length) return '$(eye-closed) Marginalia: off';
  return `$(eye) Marginalia: ${on.length}/${DECORATION_KINDS.length}`;
}
