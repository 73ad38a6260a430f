import * as vscode from 'vscode';
// Light sidecar modules only: the codec and merge (the `yaml` package) load through heavy() on the
// first sidecar read or write, not at activation.
import { SIDECAR_SUFFIX, emptySidecar, type Annotation, type Correction, type Sidecar } from '../../core/sidecar/model';
import { relativeSourceField } from '../../core/sidecar/paths';
import { ulidFactory } from '../../core/sidecar/ulid';
import type { Logger } from '../../core/types';
import { heavy } from '../lazy';
import { projectOf } from '../projectFs';
import { exists, readText } from './fsio';
import { sidecarDiagnostics } from './diagnostics';
import { clone, readSettings, SourceEntry, type Item, type StoreOptions, type StoreSettings } from './entry';
import type { Settings } from '../config';
import { addItem, reanchorItem, removeItem, restoreItem, updateItem, type ItemList } from './itemEdits';
import { anchorToDocument, correctionsInDocument, shiftAnchors, syncTargets } from './live';
import { isSidecarUri, sidecarLocation, sourceOfSidecar, type SidecarLocation } from './locate';
import { movesOf, moveSidecarFile } from './rename';
import { mergeOutsideChange, recoverOrClean, writeEntry } from './save';

export { SourceEntry, type Item } from './entry';

/**
 * Loads, watches, anchors and saves sidecars. One `SourceEntry` per source with a sidecar (or with
 * annotations made in this session).
 */
export class AnnotationStore implements vscode.Disposable {
  private readonly entries = new Map<string, SourceEntry>();
  private readonly changed = new vscode.EventEmitter<SourceEntry | undefined>();
  /** Fires when an entry's content changed (annotations, orphans, errors, loading), not for a pure shift. */
  readonly onDidChange = this.changed.event;
  private readonly shifted = new vscode.EventEmitter<SourceEntry>();
  /** Fires when an edit of the source only moved an entry's anchors: repaint its editors, nothing else. */
  readonly onDidShift = this.shifted.event;
  private readonly correctionsChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChangeCorrections = this.correctionsChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  readonly diagnostics = vscode.languages.createDiagnosticCollection('marginalia-sidecars');
  private readonly ulid = ulidFactory();
  settings: StoreSettings;
  private trusted = vscode.workspace.isTrusted;

  constructor(private readonly options: StoreOptions) {
    this.settings = readSettings(options.config);
    this.disposables.push(this.changed, this.shifted, this.correctionsChanged, this.diagnostics);
  }

  dispose(): void {
    for (const t of this.saveTimers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  get log(): Logger {
    return this.options.log;
  }

  /** The settings, for the annotation features (verdict scale, inline badge). */
  get config(): Settings {
    return this.options.config;
  }

  all(): SourceEntry[] {
    return [...this.entries.values()].sort((a, b) => a.sourceUri.path.localeCompare(b.sourceUri.path));
  }

  get(uri: vscode.Uri): SourceEntry | undefined {
    return this.entries.get(uri.toString());
  }

  now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    for (const e of this.entries.values()) this.applyTrust(e);
    this.changed.fire(undefined);
  }

  private applyTrust(e: SourceEntry): void {
    const restricted = 'Restricted mode: annotations are read-only until you trust this workspace.';
    if (!this.trusted && !e.readOnlyReason) e.readOnlyReason = restricted;
    if (this.trusted && e.readOnlyReason === restricted) e.readOnlyReason = undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Paths (./locate.ts)

  sidecarUriFor(sourceUri: vscode.Uri): SidecarLocation | undefined {
    return sidecarLocation(sourceUri, this.settings.folder, this.options.config, this.log);
  }

  sourceUriFor(sidecarUri: vscode.Uri): vscode.Uri | undefined {
    return sourceOfSidecar(sidecarUri, this.settings.folder, this.options.config);
  }

  isSidecar(uri: vscode.Uri): boolean {
    return isSidecarUri(uri);
  }

  entryFor(sourceUri: vscode.Uri): SourceEntry | undefined {
    const existing = this.entries.get(sourceUri.toString());
    if (existing) return existing;
    if (this.isSidecar(sourceUri)) return undefined;
    const where = this.sidecarUriFor(sourceUri);
    if (!where) return undefined;
    const sidecarRel = vscode.workspace.asRelativePath(where.uri, false);
    const e = new SourceEntry(sourceUri, where.uri, where.folder, relativeSourceField(sidecarRel.replace(/\\/g, '/'), where.rel));
    this.applyTrust(e);
    this.entries.set(e.key, e);
    return e;
  }

  // -------------------------------------------------------------------------------------------
  // Loading

  /** Serialise work on one entry (loads, saves, reloads never interleave). */
  private run<T>(e: SourceEntry, job: () => Promise<T>): Promise<T> {
    const next = e.queue.then(job, job);
    e.queue = next.then(() => undefined, () => undefined);
    return next;
  }

  /** Loads an entry's sidecar from disk (once; `force` to re-read). */
  load(e: SourceEntry, force = false): Promise<void> {
    if (e.loaded && !force) return Promise.resolve();
    return this.run(e, () => this.loadNow(e));
  }

  private async loadNow(e: SourceEntry): Promise<void> {
    const read = await readText(e.sidecarUri, this.settings.maxBytes);
    e.loaded = true;
    e.sourceMissing = !(await exists(e.sourceUri));
    if (read === undefined) {
      // No sidecar: maybe a crash left a complete temporary file before the first rename.
      await recoverOrClean(e, undefined, this.settings.maxBytes, this.log);
      const again = await readText(e.sidecarUri, this.settings.maxBytes);
      if (again && 'text' in again) return this.acceptDisk(e, again.text, true);
      this.showChanged(e);
      return;
    }
    if ('tooLarge' in read) {
      e.error = { code: 'too-large', line: 1, column: 1, message: `The sidecar is ${(read.tooLarge / 1048576).toFixed(1)} MB, over the limit of ${(this.settings.maxBytes / 1048576).toFixed(1)} MB (setting marginalia.sidecar.maxSizeMB).` };
      this.showChanged(e);
      return;
    }
    await this.acceptDisk(e, read.text, true);
    if (!e.error) await recoverOrClean(e, read.text, this.settings.maxBytes, this.log);
  }

  /**
   * Take the text on disk. First read: it becomes the model. Later (an outside edit): three-way
   * merge of the last disk version, ours and theirs; anything only we had is written back.
   */
  private async acceptDisk(e: SourceEntry, text: string, first: boolean): Promise<void> {
    const parsed = heavy().parseSidecar(text, { maxBytes: this.settings.maxBytes });
    e.diskText = text;
    if (!parsed.ok) {
      e.error = parsed.error;
      this.log.warn(`Sidecar ${vscode.workspace.asRelativePath(e.sidecarUri)}: ${parsed.error.message} (line ${parsed.error.line})`);
      this.showChanged(e);
      return;
    }
    const wasBroken = e.error !== undefined;
    e.error = undefined;
    const theirs = parsed.value.sidecar;
    const newer = parsed.value.readOnly;
    if (newer) e.readOnlyReason = newer;
    else if (e.readOnlyReason && !e.readOnlyReason.startsWith('Restricted')) e.readOnlyReason = undefined;
    this.applyTrust(e);
    let needsWrite = false;
    if (first || !e.base || wasBroken) {
      e.sidecar = clone(theirs);
    } else {
      needsWrite = mergeOutsideChange(e, e.base, theirs, this.log);
    }
    e.base = clone(theirs);
    e.parsed = parsed.value;
    const beforeCorr = JSON.stringify(e.sidecar.corrections);
    const doc = e.liveDoc ?? vscode.workspace.textDocuments.find((d) => d.uri.toString() === e.key);
    if (doc) needsWrite = this.anchorToDocument(e, doc) || needsWrite;
    this.showChanged(e);
    if (!first || JSON.stringify(e.sidecar.corrections) !== beforeCorr || e.sidecar.corrections.length > 0) this.correctionsChanged.fire(e.sourceUri);
    if (needsWrite && !e.readOnly) await this.writeNow(e);
  }

  // -------------------------------------------------------------------------------------------
  // Anchoring against the open document

  /** Re-find every item in `doc` (./live.ts); true if the sidecar changed. */
  anchorToDocument(e: SourceEntry, doc: vscode.TextDocument): boolean {
    return anchorToDocument(e, doc);
  }

  /** A source document opened (or is open at start): load its sidecar and anchor. */
  async attach(doc: vscode.TextDocument): Promise<void> {
    if (doc.uri.scheme === 'output' || doc.uri.scheme === 'git' || this.isSidecar(doc.uri)) return;
    const existing = this.entries.get(doc.uri.toString());
    let e = existing;
    if (!e) {
      const where = this.sidecarUriFor(doc.uri);
      if (!where || !(await exists(where.uri))) return;
      e = this.entryFor(doc.uri);
      if (!e) return;
    }
    await this.load(e);
    await this.run(e, async () => {
      const changed = this.anchorToDocument(e, doc);
      e.sourceMissing = false;
      this.showChanged(e);
      this.correctionsChanged.fire(e.sourceUri);
      if (changed && !e.readOnly && !e.error) await this.writeNow(e);
    });
  }

  detach(doc: vscode.TextDocument): void {
    const e = this.entries.get(doc.uri.toString());
    if (!e || e.liveDoc !== doc) return;
    e.live = undefined;
    e.liveDoc = undefined;
    e.anchorsDirty = false;
    this.changed.fire(e);
  }

  /** Shift anchors through an edit in the editor (arithmetic; re-finds only annotations whose text was replaced). */
  onDocumentChange(ev: vscode.TextDocumentChangeEvent): void {
    const e = this.entries.get(ev.document.uri.toString());
    if (!e || !e.live || ev.contentChanges.length === 0) return;
    const orphaned = shiftAnchors(e, ev);
    e.anchorsDirty = true;
    if (orphaned) this.changed.fire(e);
    else this.shifted.fire(e);
    // A pure shift moves corrections with the text, which is re-recognised anyway: only an orphaned
    // one changes what applies (and what the tagger learns).
    if (orphaned && e.sidecar.corrections.length > 0) this.correctionsChanged.fire(e.sourceUri);
    // Not dirty after a change: the text was reloaded from disk (an outside edit of an open
    // source) or undone back to the saved state. Write the new positions like a save would.
    if (!ev.document.isDirty && !e.readOnly) this.scheduleSave(e);
  }

  private readonly saveTimers = new Map<string, ReturnType<typeof setTimeout>>();

  private scheduleSave(e: SourceEntry, ms = 300): void {
    const old = this.saveTimers.get(e.key);
    if (old) clearTimeout(old);
    this.saveTimers.set(e.key, setTimeout(() => {
      this.saveTimers.delete(e.key);
      if (e.anchorsDirty && !e.readOnly) this.save(e).then(undefined, (err: unknown) => this.log.error(`Saving ${e.sidecarUri.toString()}: ${String(err)}`));
    }, ms));
  }

  async onDocumentSaved(doc: vscode.TextDocument): Promise<void> {
    const e = this.entries.get(doc.uri.toString());
    if (!e || !e.anchorsDirty || e.readOnly) return;
    await this.save(e);
  }

  // -------------------------------------------------------------------------------------------
  // Saving

  /** Write the entry (merging with the file on disk if it changed since we read it). */
  save(e: SourceEntry): Promise<void> {
    return this.run(e, () => this.writeNow(e));
  }

  /** Writes the entry through the core's safe writer (./save.ts), merging with an outside change. */
  private async writeNow(e: SourceEntry): Promise<void> {
    await writeEntry(e, {
      assertInside: (path) => projectOf(e.folder, this.options.config).assertInside(path, 'the sidecar'),
      maxBytes: this.settings.maxBytes,
      log: this.log,
      onBroken: (broken) => {
        this.showChanged(broken);
      },
    });
    this.showChanged(e);
  }

  // -------------------------------------------------------------------------------------------
  // Outside changes to sidecars (file watcher)

  async onSidecarChanged(uri: vscode.Uri): Promise<void> {
    let e = [...this.entries.values()].find((x) => x.sidecarUri.toString() === uri.toString());
    if (!e) {
      const src = this.sourceUriFor(uri);
      if (!src) return;
      e = this.entryFor(src);
      if (!e) return;
      await this.load(e);
      return;
    }
    const entry = e;
    await this.run(entry, async () => {
      const read = await readText(uri, this.settings.maxBytes);
      if (read === undefined) return; // deleted: handled by onSidecarDeleted
      if ('tooLarge' in read) {
        entry.error = { code: 'too-large', line: 1, column: 1, message: `The sidecar is over the size limit (setting marginalia.sidecar.maxSizeMB).` };
        this.showChanged(entry);
        return;
      }
      if (read.text === entry.diskText) return; // our own write (or no real change)
      await this.acceptDisk(entry, read.text, !entry.loaded);
    });
  }

  async onSidecarDeleted(uri: vscode.Uri): Promise<void> {
    const e = [...this.entries.values()].find((x) => x.sidecarUri.toString() === uri.toString());
    if (!e) return;
    await this.run(e, async () => {
      if (await exists(uri)) return; // replaced by a rename (our atomic write)
      this.log.info(`Sidecar deleted outside Marginalia: ${vscode.workspace.asRelativePath(uri)}`);
      e.sidecar = emptySidecar(e.sidecar.source);
      e.base = undefined;
      e.parsed = undefined;
      e.diskText = undefined;
      e.error = undefined;
      e.live = e.liveDoc ? new Map() : undefined;
      this.diagnostics.delete(uri);
      this.changed.fire(e);
      this.correctionsChanged.fire(e.sourceUri);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Sources renamed or deleted

  async onSourceRenamed(oldUri: vscode.Uri, newUri: vscode.Uri): Promise<void> {
    const moves = movesOf(this.entries.values(), oldUri, newUri);
    if (moves.length === 0 && !this.isSidecar(oldUri)) {
      const where = this.sidecarUriFor(oldUri);
      if (where && (await exists(where.uri))) moves.push([undefined, oldUri, newUri]);
    }
    for (const [e, from, to] of moves) await this.moveEntry(e, from, to);
    this.changed.fire(undefined);
  }

  /** Moves a source's sidecar (./rename.ts) and its entry to the source's new place, and its `source` field with them. */
  private async moveEntry(e: SourceEntry | undefined, from: vscode.Uri, to: vscode.Uri): Promise<void> {
    const fromSidecar = e?.sidecarUri ?? this.sidecarUriFor(from)?.uri;
    const toWhere = this.sidecarUriFor(to);
    if (!fromSidecar || !toWhere) return;
    if (e) await e.queue;
    if (!(await moveSidecarFile(fromSidecar, toWhere.uri, from))) return;
    if (e) {
      this.entries.delete(e.key);
      this.diagnostics.delete(e.sidecarUri);
    }
    const ne = this.entryFor(to);
    if (!ne) return;
    await this.load(ne, true);
    const rel = vscode.workspace.asRelativePath(ne.sidecarUri, false).replace(/\\/g, '/');
    const field = relativeSourceField(rel, toWhere.rel);
    if (ne.sidecar.source !== field && !ne.readOnly) {
      ne.sidecar.source = field;
      await this.save(ne);
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === to.toString());
    if (doc) await this.attach(doc);
    this.log.info(`Moved annotations with ${vscode.workspace.asRelativePath(from)} → ${vscode.workspace.asRelativePath(to)}`);
  }

  onSourceDeleted(uri: vscode.Uri): void {
    const key = uri.toString();
    for (const e of this.entries.values()) {
      if (e.key === key || e.key.startsWith(key + '/')) {
        e.sourceMissing = true;
        e.live = undefined;
        e.liveDoc = undefined;
        this.showChanged(e);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Editing

  private writable(e: SourceEntry): void {
    if (e.readOnly) throw new Error(e.readOnly);
  }

  /** Add an annotation or a correction on `[start, end)` of `doc` (document offsets). */
  async add(doc: vscode.TextDocument, start: number, end: number, fields: Partial<Annotation> | Partial<Correction>, list: ItemList = 'annotations'): Promise<{ entry: SourceEntry; item: Item }> {
    const e = this.entryFor(doc.uri);
    if (!e) throw new Error('Only files inside a workspace folder can be annotated.');
    await this.load(e);
    this.writable(e);
    return this.run(e, async () => {
      const stamp = { now: this.now(), id: this.ulid(), author: this.settings.author };
      const item = addItem(e, doc, start, end, fields, list, stamp);
      await this.writeNow(e);
      if (list === 'corrections') this.correctionsChanged.fire(e.sourceUri);
      return { entry: e, item };
    });
  }

  async update(e: SourceEntry, id: string, patch: Partial<Annotation> & Partial<Correction>): Promise<Item> {
    this.writable(e);
    return this.run(e, async () => {
      const found = updateItem(e, id, patch, () => this.now());
      await this.writeNow(e);
      if (found.list === 'corrections') this.correctionsChanged.fire(e.sourceUri);
      return found.item;
    });
  }

  async remove(e: SourceEntry, id: string): Promise<{ item: Item; list: ItemList; span?: { start: number; end: number } }> {
    this.writable(e);
    return this.run(e, async () => {
      const removed = removeItem(e, id);
      await this.writeNow(e);
      if (removed.list === 'corrections') this.correctionsChanged.fire(e.sourceUri);
      return removed;
    });
  }

  /** Put back an item removed by `remove` (the Undo of Delete Annotation). */
  async restore(e: SourceEntry, removed: { item: Item; list: ItemList }): Promise<void> {
    this.writable(e);
    await this.run(e, async () => {
      if (!restoreItem(e, removed)) return;
      await this.writeNow(e);
      if (removed.list === 'corrections') this.correctionsChanged.fire(e.sourceUri);
    });
  }

  /** Move an item (typically an orphan) onto `[start, end)` of its open document. */
  async reanchorTo(e: SourceEntry, id: string, doc: vscode.TextDocument, start: number, end: number): Promise<void> {
    this.writable(e);
    await this.run(e, async () => {
      reanchorItem(e, id, doc, start, end, () => this.now());
      await this.writeNow(e);
    });
  }

  /**
   * Apply a pure edit of the whole sidecar (the core's `addEvidence`, `removeEvidence`…) under the
   * entry's queue and save it through the safe writer. `edit` returning the same sidecar writes nothing.
   */
  async editSidecar(e: SourceEntry, edit: (sidecar: Sidecar) => Sidecar): Promise<void> {
    await this.load(e);
    this.writable(e);
    await this.run(e, async () => {
      this.writable(e);
      // The edit sees the positions tracked through unsaved edits; afterwards every item is found
      // exactly where it is, and new items get live positions in the open source.
      const dirty = e.anchorsDirty;
      if (e.liveDoc) syncTargets(e);
      const next = edit(e.sidecar);
      if (next === e.sidecar) {
        e.anchorsDirty = dirty; // nothing written: the moved anchors are still to be saved
        return;
      }
      e.sidecar = next;
      if (e.liveDoc) this.anchorToDocument(e, e.liveDoc);
      await this.writeNow(e);
    });
  }

  updateDiagnostics(e: SourceEntry): void {
    this.diagnostics.set(e.sidecarUri, sidecarDiagnostics(e));
  }

  /** An entry's content changed: its Problems entries, then the listeners. */
  private showChanged(e: SourceEntry): void {
    this.updateDiagnostics(e);
    this.changed.fire(e);
  }

  // -------------------------------------------------------------------------------------------
  // Corrections for the analysis service

  /** Corrections of a source, their targets in the open document's offsets when it is open. */
  getCorrections(uri: vscode.Uri): Correction[] {
    const e = this.entries.get(uri.toString());
    return e ? correctionsInDocument(e) : [];
  }

  /** Load every sidecar in the workspace (for the tree), in the background. */
  async scanWorkspace(token?: vscode.CancellationToken): Promise<void> {
    const found = await vscode.workspace.findFiles(`**/*${SIDECAR_SUFFIX}`, '**/node_modules/**', 5000);
    for (const uri of found) {
      if (token?.isCancellationRequested) return;
      const src = this.sourceUriFor(uri);
      if (!src) continue;
      const e = this.entryFor(src);
      if (e) await this.load(e);
    }
  }

  /** Forget every entry (after a sidecar folder change): they are read again from their new place. */
  reset(): void {
    this.entries.clear();
    this.diagnostics.clear();
    this.settings = readSettings(this.options.config);
    this.changed.fire(undefined);
  }
}
