import * as vscode from 'vscode';
import { anchorOne, makeTarget, reanchor, shiftSpans } from '../../core/anchor';
import { hashText } from '../../core/sidecar/hash';
import type { Correction, Target } from '../../core/sidecar/model';
import { toEdit } from '../edits';
import { itemsOf, type SourceEntry } from './entry';
import { offsetMap } from './offsets';

// An entry's live anchors in its open document: found on opening, shifted on each edit, copied back
// into the targets before a save.

/**
 * Re-find every item in `doc` (cheap when nothing changed: an exact check at each position).
 * Updates targets, orphan flags and the live positions. Returns true if the sidecar changed.
 */
export function anchorToDocument(e: SourceEntry, doc: vscode.TextDocument): boolean {
  const map = offsetMap(doc);
  const items = itemsOf(e.sidecar);
  const results = reanchor(map.text, items.map((i) => i.target));
  const live = new Map<string, { start: number; end: number }>();
  let changed = false;
  items.forEach((item, i) => {
    const r = results[i]!;
    if (r.status === 'orphan') {
      if (!item.orphan) {
        item.orphan = true;
        changed = true;
      }
      return;
    }
    live.set(item.id, { start: map.toDoc(r.start), end: map.toDoc(r.end) });
    const t = makeTarget(map.text, r.start, r.end);
    if (item.orphan || !sameTarget(item.target, t)) {
      changed = true;
      item.target = t;
      delete item.orphan;
    }
  });
  e.live = live;
  e.liveDoc = doc;
  const hash = hashText(map.text);
  if (e.sidecar.hash !== hash && items.length > 0) {
    e.sidecar.hash = hash;
    changed = true;
  }
  return changed;
}

/**
 * Shift an entry's live positions through an edit of its document (arithmetic; re-finds only the
 * annotations whose whole text was replaced). Returns true if one of them became an orphan.
 */
export function shiftAnchors(e: SourceEntry, ev: vscode.TextDocumentChangeEvent): boolean {
  if (!e.live) return false;
  const ids = [...e.live.keys()];
  const spans = ids.map((id) => e.live!.get(id)!);
  const shifted = shiftSpans(spans, ev.contentChanges.map(toEdit));
  let map: ReturnType<typeof offsetMap> | undefined;
  let orphaned = false;
  ids.forEach((id, i) => {
    const s = shifted[i]!;
    if (!s.deleted && s.end > s.start) {
      e.live!.set(id, { start: s.start, end: s.end });
      return;
    }
    // The whole annotated text was replaced: look for it again nearby, else it is an orphan.
    const found = e.find(id);
    if (!found) return;
    map ??= offsetMap(ev.document);
    const r = anchorOne(map.text, found.item.target, map.toNorm(Math.min(s.start, ev.document.getText().length)));
    if (r.status !== 'orphan' && r.status !== 'fuzzy') {
      e.live!.set(id, { start: map.toDoc(r.start), end: map.toDoc(r.end) });
    } else {
      e.live!.delete(id);
      found.item.orphan = true;
      orphaned = true;
    }
  });
  return orphaned;
}

/** Copy live positions into the targets (normalised offsets, fresh context) and the hash. */
export function syncTargets(e: SourceEntry): void {
  const doc = e.liveDoc;
  if (!doc || !e.live) return;
  const map = offsetMap(doc);
  for (const item of itemsOf(e.sidecar)) {
    const s = e.live.get(item.id);
    if (!s) continue;
    item.target = makeTarget(map.text, map.toNorm(s.start), map.toNorm(s.end));
    delete item.orphan;
  }
  if (itemsOf(e.sidecar).length > 0) e.sidecar.hash = hashText(map.text);
  e.anchorsDirty = false;
}

/** Corrections of a source, their targets in the open document's offsets when it is open. */
export function correctionsInDocument(e: SourceEntry): Correction[] {
  const doc = e.liveDoc;
  if (e.sidecar.corrections.length === 0) return [];
  // Called for every analysis the editor publishes (each keystroke): read the text once, not per correction.
  const text = doc?.getText();
  return e.sidecar.corrections.map((c) => {
    const s = e.live?.get(c.id);
    if (text === undefined || !s) return { ...c, target: { ...c.target }, ...(doc && !s ? { orphan: true } : {}) };
    return { ...c, target: { ...c.target, start: s.start, end: s.end, exact: text.slice(s.start, s.end) } };
  });
}

function sameTarget(a: Target, b: Target): boolean {
  return a.start === b.start && a.end === b.end && a.exact === b.exact && a.prefix === b.prefix && a.suffix === b.suffix;
}
