import * as vscode from 'vscode';
import type { Annotation } from '../../core/sidecar/model';
import { EvidenceTexts } from './evidenceTexts';
import type { AnnotationStore } from './store';

type Links = NonNullable<Annotation['evidence']>;

/** Re-anchors the evidence links into each source that is opened or saved (see `syncEvidenceInto`). */
export function evidenceFollowsSources(store: AnnotationStore, texts: EvidenceTexts, track: (p: Promise<unknown>, what: string) => void): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidSaveTextDocument((doc) => track(syncEvidenceInto(store, texts, doc.uri), 'anchor evidence')),
    vscode.workspace.onDidOpenTextDocument((doc) => track(syncEvidenceInto(store, texts, doc.uri), 'anchor evidence')),
  );
}

/**
 * A source was opened or saved: the evidence links pointing into it are re-anchored on its text
 * (the core's anchoring) and, where a position or an orphan flag changed, saved in the claim's
 * sidecar. A link whose text is gone is kept, marked orphan.
 */
async function syncEvidenceInto(store: AnnotationStore, texts: EvidenceTexts, uri: vscode.Uri): Promise<void> {
  if (store.isSidecar(uri)) return;
  for (const e of store.all()) {
    if (!e.loaded || e.readOnly || e.folder.uri.toString() !== vscode.workspace.getWorkspaceFolder(uri)?.uri.toString()) continue;
    const changed = new Map<string, { before: Links; next: Links }>();
    for (const a of e.sidecar.annotations) {
      if (!a.evidence?.some((l) => EvidenceTexts.uriOf(e.folder, l.source)?.toString() === uri.toString())) continue;
      const next = await texts.viewsNow(e, a).then(() => texts.anchoredEvidence(e, a));
      if (next && !sameLinks(next, a.evidence)) changed.set(a.id, { before: a.evidence.map((l) => ({ ...l, target: { ...l.target } })), next });
    }
    if (changed.size === 0) continue;
    await store.editSidecar(e, (sidecar) => ({
      ...sidecar,
      annotations: sidecar.annotations.map((a) => {
        const c = changed.get(a.id);
        // Only when the links are still exactly those we anchored (no link added, removed or changed in between).
        return c && a.evidence && sameLinks(a.evidence, c.before) ? { ...a, evidence: c.next } : a;
      }),
    }));
  }
}

/** The same anchors and orphan flags (what re-anchoring may change), key order aside. */
function sameLinks(x: Links, y: Links): boolean {
  return x.length === y.length && x.every((e, i) => {
    const f = y[i]!;
    return e.source === f.source && e.relation === f.relation && (e.orphan === true) === (f.orphan === true) &&
      e.target.start === f.target.start && e.target.end === f.target.end && e.target.exact === f.target.exact &&
      e.target.prefix === f.target.prefix && e.target.suffix === f.target.suffix;
  });
}
