import * as vscode from 'vscode';
import { anchorOne, makeTarget, reanchor, shiftSpans } from '../../core/anchor';
import { toEdit } from '../edits';
// Light sidecar modules only: the codec and merge (the `yaml` package) load through heavy() on the
// first sidecar read or write, not at activation.
import type { ParsedSidecar, SidecarIssue } from '../../core/sidecar/codec';
import { hashText } from '../../core/sidecar/hash';
import { SIDECAR_SUFFIX, emptySidecar, type Annotation, type Correction, type Sidecar, type Target } from '../../core/sidecar/model';
import { isSafeRelativePath, relativeSourceField, sidecarPathFor, sourcePathFor } from '../../core/sidecar/paths';
import { ulidFactory } from '../../core/sidecar/ulid';
import type { Logger } from '../../core/types';
import { heavy } from '../lazy';
import { exists, leftoverTemps, readText } from './fsio';
import { workspaceFs } from '../projectFs';
import { offsetMap } from './offsets';

export type Item = Annotation | Correction;

/** Everything Marginalia knows about one source and its sidecar. */
export class SourceEntry {
  sidecar: Sidecar;
  /** The sidecar as last read from or written to disk (the base of a three-way merge). */
  base: Sidecar | undefined;
  /** The last parse of the file on disk (keeps the user's comments and layout for the next write). */
  parsed: ParsedSidecar | undefined;
  /** The exact text last read from or written to disk: a change event with this text is our own write. */
  diskText: string | undefined;
  /** The sidecar on disk is malformed: annotations shown from the last good read, nothing written. */
  error: SidecarIssue | undefined;
  /** Why this sidecar must not be written (newer format version, restricted mode), if so. */
  readOnlyReason: string | undefined;
  /** Positions in the open document (document offsets), by id. Absent for orphans. */
  live: Map<string, { start: number; end: number }> | undefined;
  liveDoc: vscode.TextDocument | undefined;
  /** Anchors moved in the editor since the last write. */
  anchorsDirty = false;
  sourceMissing = false;
  loaded = false;
  queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly sourceUri: vscode.Uri,
    public sidecarUri: vscode.Uri,
    readonly folder: vscode.WorkspaceFolder,
    sourceField: string,
  ) {
    this.sidecar = emptySidecar(sourceField);
  }

  get key(): string {
    return this.sourceUri.toString();
  }

  get readOnly(): string | undefined {
    if (this.error) return `The sidecar ${vscode.workspace.asRelativePath(this.sidecarUri)} has an error (line ${this.error.line}): ${this.error.message} Fix it; until then its annotations are read-only.`;
    return this.readOnlyReason;
  }

  find(id: string): { list: 'annotations' | 'corrections'; item: Item } | undefined {
    const a = this.sidecar.annotations.find((x) => x.id === id);
    if (a) return { list: 'annotations', item: a };
    const c = this.sidecar.corrections.find((x) => x.id === id);
    return c ? { list: 'corrections', item: c } : undefined;
  }

  /** Document range of an item in the open document, if anchored. */
  rangeOf(id: string): vscode.Range | undefined {
    const s = this.live?.get(id);
    if (!s || !this.liveDoc) return undefined;
    return new vscode.Range(this.liveDoc.positionAt(s.start), this.liveDoc.positionAt(s.end));
  }
}

export interface StoreOptions {
  log: Logger;
  /** Test seam: clock and id generation. */
  now?: () => Date;
}

export interface StoreSettings {
  folder: string;
  maxBytes: number;
  author: string;
}

export function readSettings(): StoreSettings {
  const c = vscode.workspace.getConfiguration('marginalia');
  const mb = c.get<number>('sidecar.maxSizeMB', 5);
  return {
    folder: (c.get<string>('sidecar.folder', '') ?? '').trim(),
    maxBytes: Math.max(0.01, typeof mb === 'number' ? mb : 5) * 1024 * 1024,
    author: (c.get<string>('annotations.author', '') ?? '').trim(),
  };
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function itemsOf(s: Sidecar): Item[] {
  return [...s.annotations, ...s.corrections];
}

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
  settings = readSettings();
  private trusted = vscode.workspace.isTrusted;

  constructor(private readonly options: StoreOptions) {
    this.disposables.push(this.changed, this.shifted, this.correctionsChanged, this.diagnostics);
  }

  dispose(): void {
    for (const t of this.saveTimers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }

  get log(): Logger {
    return this.options.log;
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
  // Paths

  /**
   * `marginalia.sidecar.folder` for sources in `folder`: the folder's own value in a multi-root
   * workspace (a resource setting: each folder may keep its sidecars elsewhere), else the window's
   * (`settings.folder`).
   */
  private folderSetting(folder: vscode.WorkspaceFolder): string {
    const own = vscode.workspace.getConfiguration('marginalia', folder.uri).inspect<string>('sidecar.folder')?.workspaceFolderValue;
    return typeof own === 'string' ? own.trim() : this.settings.folder;
  }

  sidecarUriFor(sourceUri: vscode.Uri): { uri: vscode.Uri; folder: vscode.WorkspaceFolder; rel: string } | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(sourceUri);
    if (!folder) return undefined;
    const rel = sourceUri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
    if (!rel || rel.startsWith('..')) return undefined;
    const setting = this.folderSetting(folder);
    const sidecarRel = sidecarPathFor(rel, setting);
    // A configured folder such as `../elsewhere` must not put sidecars outside the workspace
    // (Uri.joinPath resolves `..`): refuse it.
    if (!isSafeRelativePath(sidecarRel)) {
      this.log.warn(`marginalia.sidecar.folder must be a folder inside the workspace; ignoring ${JSON.stringify(setting)}`);
      return undefined;
    }
    return { uri: vscode.Uri.joinPath(folder.uri, ...sidecarRel.split('/')), folder, rel };
  }

  sourceUriFor(sidecarUri: vscode.Uri): vscode.Uri | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(sidecarUri);
    if (!folder) return undefined;
    const rel = sidecarUri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
    // Only the file-name convention is used to find the source: the `source:` field is never
    // used for I/O, so a sidecar cannot point Marginalia outside the workspace.
    const src = sourcePathFor(rel, this.folderSetting(folder));
    if (!src || src.split('/').some((seg) => seg === '..')) return undefined;
    return vscode.Uri.joinPath(folder.uri, ...src.split('/'));
  }

  isSidecar(uri: vscode.Uri): boolean {
    return uri.path.endsWith(SIDECAR_SUFFIX);
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
      await this.recoverOrClean(e, undefined);
      const again = await readText(e.sidecarUri, this.settings.maxBytes);
      if (again && 'text' in again) return this.acceptDisk(e, again.text, true);
      this.updateDiagnostics(e);
      this.changed.fire(e);
      return;
    }
    if ('tooLarge' in read) {
      e.error = { code: 'too-large', line: 1, column: 1, message: `The sidecar is ${(read.tooLarge / 1048576).toFixed(1)} MB, over the limit of ${(this.settings.maxBytes / 1048576).toFixed(1)} MB (setting marginalia.sidecar.maxSizeMB).` };
      this.updateDiagnostics(e);
      this.changed.fire(e);
      return;
    }
    await this.acceptDisk(e, read.text, true);
    if (!e.error) await this.recoverOrClean(e, read.text);
  }

  /** Deletes temporary files of interrupted saves once the real file is known good. */
  private async recoverOrClean(e: SourceEntry, goodText: string | undefined): Promise<void> {
    const temps = await leftoverTemps(e.sidecarUri);
    if (temps.length === 0) return;
    if (goodText === undefined) {
      // The real file is missing: promote the newest temporary file that parses completely.
      for (const t of temps.reverse()) {
        const r = await readText(t, this.settings.maxBytes);
        if (r && 'text' in r && heavy().parseSidecar(r.text, { maxBytes: this.settings.maxBytes }).ok) {
          await vscode.workspace.fs.rename(t, e.sidecarUri, { overwrite: false });
          const msg = `Recovered ${vscode.workspace.asRelativePath(e.sidecarUri)} from an interrupted save.`;
          this.log.warn(msg);
          void vscode.window.showWarningMessage(`Marginalia: ${msg}`);
          break;
        }
      }
    }
    const leftovers = await leftoverTemps(e.sidecarUri);
    for (const t of leftovers) {
      await vscode.workspace.fs.delete(t).then(undefined, (err: unknown) => this.log.warn(`Could not delete ${t.toString()}: ${String(err)}`));
      this.log.info(`Removed a leftover temporary file of an interrupted save: ${vscode.workspace.asRelativePath(t)}`);
    }
    if (leftovers.length && goodText !== undefined) {
      void vscode.window.showInformationMessage(`Marginalia: an earlier save of ${vscode.workspace.asRelativePath(e.sidecarUri)} was interrupted; the sidecar itself is intact and its leftover temporary file was removed (see the Marginalia output).`);
    }
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
      this.updateDiagnostics(e);
      this.changed.fire(e);
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
      const merged = heavy().mergeSidecars(e.base, e.sidecar, theirs);
      e.sidecar = merged.sidecar;
      needsWrite = JSON.stringify(merged.sidecar) !== JSON.stringify(theirs);
      this.reportConflicts(e, merged.conflicts.filter((c) => c.kind !== 'changed-deleted').map((c) => c.id));
    }
    e.base = clone(theirs);
    e.parsed = parsed.value;
    const beforeCorr = JSON.stringify(e.sidecar.corrections);
    const doc = e.liveDoc ?? vscode.workspace.textDocuments.find((d) => d.uri.toString() === e.key);
    if (doc) needsWrite = this.anchorToDocument(e, doc) || needsWrite;
    this.updateDiagnostics(e);
    this.changed.fire(e);
    if (!first || JSON.stringify(e.sidecar.corrections) !== beforeCorr || e.sidecar.corrections.length > 0) this.correctionsChanged.fire(e.sourceUri);
    if (needsWrite && !e.readOnly) await this.writeNow(e);
  }

  private reportConflicts(e: SourceEntry, ids: string[]): void {
    if (ids.length === 0) return;
    const name = vscode.workspace.asRelativePath(e.sidecarUri);
    const msg = ids.length === 1
      ? `Marginalia: an annotation in ${name} was changed both here and on disk. Both versions are kept: this one, and the other under its \`conflict\` key.`
      : `Marginalia: ${ids.length} annotations in ${name} were changed both here and on disk. Both versions are kept (the other under each one's \`conflict\` key).`;
    this.log.warn(msg);
    void vscode.window.showWarningMessage(msg, 'Open Sidecar').then((pick) => {
      if (pick) void vscode.window.showTextDocument(e.sidecarUri);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Anchoring against the open document

  /**
   * Re-find every item in `doc` (cheap when nothing changed: an exact check at each position).
   * Updates targets, orphan flags and the live positions. Returns true if the sidecar changed.
   */
  anchorToDocument(e: SourceEntry, doc: vscode.TextDocument): boolean {
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
      this.updateDiagnostics(e);
      this.changed.fire(e);
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
    e.anchorsDirty = true;
    if (orphaned) this.changed.fire(e);
    else this.shifted.fire(e);
    if (e.sidecar.corrections.length > 0) this.correctionsChanged.fire(e.sourceUri);
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

  /** Copy live positions into the targets (normalised offsets, fresh context) and the hash. */
  private syncTargets(e: SourceEntry): void {
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

  /**
   * Saves through the core's safe writer (src/core/project/writer.ts), as import and the merge
   * driver do: under the sidecar's lock it re-reads the file, merges by id when it changed since we
   * read it (another window, git, a tool), keeps comments and layout, and checks the result with the
   * reader before renaming it into place.
   */
  private async writeNow(e: SourceEntry): Promise<void> {
    if (e.readOnly) throw new Error(e.readOnly);
    this.syncTargets(e);
    const h = heavy();
    let conflicts: string[] = [];
    let result: Awaited<ReturnType<typeof h.writeSidecar>>;
    try {
      result = await h.writeSidecar(
        workspaceFs(e.sidecarUri),
        e.sidecarUri.path,
        (current) => {
          if (current.text === undefined) {
            if (itemsOf(e.sidecar).length === 0 && e.diskText === undefined) return h.UNCHANGED; // nothing to keep
            return e.sidecar;
          }
          if (current.text !== e.diskText) {
            // Changed on disk since we read it: merge by id instead of overwriting.
            const merged = h.mergeSidecars(e.base ?? null, e.sidecar, current.parsed!.sidecar);
            e.sidecar = merged.sidecar;
            conflicts = merged.conflicts.filter((c) => c.kind !== 'changed-deleted').map((c) => c.id);
            if (e.liveDoc) this.anchorToDocument(e, e.liveDoc);
          }
          return e.sidecar;
        },
        {
          maxBytes: this.settings.maxBytes,
          display: vscode.workspace.asRelativePath(e.sidecarUri),
          known: e.diskText !== undefined && e.parsed ? { text: e.diskText, parsed: e.parsed } : undefined,
          // Leftovers of interrupted saves are dealt with when the sidecar loads (recoverOrClean).
          recover: false,
          // Set before the rename so that the watcher recognises our own write.
          beforeReplace: (text) => {
            e.diskText = text;
          },
        },
      );
    } catch (err) {
      const issue = (err as { detail?: SidecarIssue }).detail;
      if (issue && typeof issue.line === 'number' && typeof issue.message === 'string') {
        e.error = issue;
        this.updateDiagnostics(e);
        this.changed.fire(e);
        throw new Error(`The sidecar on disk has an error (line ${issue.line}: ${issue.message}); it was not overwritten.`);
      }
      throw err;
    }
    this.reportConflicts(e, conflicts);
    e.diskText = result.text;
    e.parsed = result.parsed;
    e.base = clone(e.sidecar);
    this.updateDiagnostics(e);
    this.changed.fire(e);
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
        this.updateDiagnostics(entry);
        this.changed.fire(entry);
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
    const moves: [SourceEntry | undefined, vscode.Uri, vscode.Uri][] = [];
    const oldKey = oldUri.toString();
    for (const e of [...this.entries.values()]) {
      const k = e.key;
      if (k === oldKey) moves.push([e, e.sourceUri, newUri]);
      else if (k.startsWith(oldKey + '/')) moves.push([e, e.sourceUri, vscode.Uri.parse(newUri.toString() + k.slice(oldKey.length))]);
    }
    if (moves.length === 0 && !this.isSidecar(oldUri)) {
      const where = this.sidecarUriFor(oldUri);
      if (where && (await exists(where.uri))) moves.push([undefined, oldUri, newUri]);
    }
    for (const [e, from, to] of moves) {
      const fromSidecar = e?.sidecarUri ?? this.sidecarUriFor(from)?.uri;
      const toWhere = this.sidecarUriFor(to);
      if (!fromSidecar || !toWhere) continue;
      if (e) await e.queue;
      // A sidecar beside its source moved with its folder already.
      const src = (await exists(fromSidecar)) ? fromSidecar : undefined;
      if (src && src.toString() !== toWhere.uri.toString()) {
        if (await exists(toWhere.uri)) {
          void vscode.window.showWarningMessage(`Marginalia: ${vscode.workspace.asRelativePath(toWhere.uri)} already exists; the annotations of ${vscode.workspace.asRelativePath(from)} stay in ${vscode.workspace.asRelativePath(src)}.`);
          continue;
        }
        await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(toWhere.uri, '..'));
        await vscode.workspace.fs.rename(src, toWhere.uri, { overwrite: false });
      }
      if (e) {
        this.entries.delete(e.key);
        this.diagnostics.delete(e.sidecarUri);
      }
      const ne = this.entryFor(to);
      if (!ne) continue;
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
    this.changed.fire(undefined);
  }

  onSourceDeleted(uri: vscode.Uri): void {
    const key = uri.toString();
    for (const e of this.entries.values()) {
      if (e.key === key || e.key.startsWith(key + '/')) {
        e.sourceMissing = true;
        e.live = undefined;
        e.liveDoc = undefined;
        this.updateDiagnostics(e);
        this.changed.fire(e);
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Editing

  private writable(e: SourceEntry): void {
    if (e.readOnly) throw new Error(e.readOnly);
  }

  /** Add an annotation or a correction on `[start, end)` of `doc` (document offsets). */
  async add(doc: vscode.TextDocument, start: number, end: number, fields: Partial<Annotation> | Partial<Correction>, list: 'annotations' | 'corrections' = 'annotations'): Promise<{ entry: SourceEntry; item: Item }> {
    const e = this.entryFor(doc.uri);
    if (!e) throw new Error('Only files inside a workspace folder can be annotated.');
    await this.load(e);
    this.writable(e);
    return this.run(e, async () => {
      if (e.liveDoc !== doc) this.anchorToDocument(e, doc);
      const map = offsetMap(doc);
      const target: Target = makeTarget(map.text, map.toNorm(start), map.toNorm(end));
      const now = this.now();
      const base = { id: this.ulid(), ...(this.settings.author ? { author: this.settings.author } : {}), created: now };
      let item: Item;
      if (list === 'annotations') {
        const a = { ...base, kind: 'note', ...(fields as Partial<Annotation>), modified: now, target } as Annotation;
        e.sidecar.annotations.push(a);
        item = a;
      } else {
        const c = { ...base, action: 'ignore', ...(fields as Partial<Correction>), target } as Correction;
        e.sidecar.corrections.push(c);
        item = c;
      }
      clean(item);
      e.live ??= new Map();
      e.live.set(item.id, { start, end });
      e.liveDoc = doc;
      e.sidecar.hash = hashText(map.text);
      await this.writeNow(e);
      if (list === 'corrections') this.correctionsChanged.fire(e.sourceUri);
      return { entry: e, item };
    });
  }

  async update(e: SourceEntry, id: string, patch: Partial<Annotation> & Partial<Correction>): Promise<Item> {
    this.writable(e);
    return this.run(e, async () => {
      const found = e.find(id);
      if (!found) throw new Error('That annotation no longer exists.');
      Object.assign(found.item, patch);
      if (found.list === 'annotations') (found.item as Annotation).modified = this.now();
      clean(found.item);
      await this.writeNow(e);
      if (found.list === 'corrections') this.correctionsChanged.fire(e.sourceUri);
      return found.item;
    });
  }

  async remove(e: SourceEntry, id: string): Promise<{ item: Item; list: 'annotations' | 'corrections'; span?: { start: number; end: number } }> {
    this.writable(e);
    return this.run(e, async () => {
      const found = e.find(id);
      if (!found) throw new Error('That annotation no longer exists.');
      const span = e.live?.get(id);
      if (found.list === 'annotations') e.sidecar.annotations = e.sidecar.annotations.filter((x) => x.id !== id);
      else e.sidecar.corrections = e.sidecar.corrections.filter((x) => x.id !== id);
      e.live?.delete(id);
      await this.writeNow(e);
      if (found.list === 'corrections') this.correctionsChanged.fire(e.sourceUri);
      return { item: found.item, list: found.list, span };
    });
  }

  /** Put back an item removed by `remove` (the Undo of Delete Annotation). */
  async restore(e: SourceEntry, removed: { item: Item; list: 'annotations' | 'corrections' }): Promise<void> {
    this.writable(e);
    await this.run(e, async () => {
      if (e.find(removed.item.id)) return;
      if (removed.list === 'annotations') e.sidecar.annotations.push(removed.item as Annotation);
      else e.sidecar.corrections.push(removed.item as Correction);
      if (e.liveDoc) this.anchorToDocument(e, e.liveDoc);
      await this.writeNow(e);
      if (removed.list === 'corrections') this.correctionsChanged.fire(e.sourceUri);
    });
  }

  /** Move an item (typically an orphan) onto `[start, end)` of its open document. */
  async reanchorTo(e: SourceEntry, id: string, doc: vscode.TextDocument, start: number, end: number): Promise<void> {
    this.writable(e);
    await this.run(e, async () => {
      const found = e.find(id);
      if (!found) throw new Error('That annotation no longer exists.');
      const map = offsetMap(doc);
      found.item.target = makeTarget(map.text, map.toNorm(start), map.toNorm(end));
      delete found.item.orphan;
      if (found.list === 'annotations') (found.item as Annotation).modified = this.now();
      e.live ??= new Map();
      e.live.set(id, { start, end });
      e.liveDoc = doc;
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
      const next = edit(e.sidecar);
      if (next === e.sidecar) return;
      e.sidecar = next;
      await this.writeNow(e);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Diagnostics

  updateDiagnostics(e: SourceEntry): void {
    const diags: vscode.Diagnostic[] = [];
    if (e.error) {
      const line = Math.max(0, e.error.line - 1);
      const col = Math.max(0, e.error.column - 1);
      const d = new vscode.Diagnostic(new vscode.Range(line, col, line, col + 1), e.error.message, vscode.DiagnosticSeverity.Error);
      d.source = 'Marginalia';
      d.code = e.error.code;
      diags.push(d);
    } else {
      const lines = (e.diskText ?? '').split('\n');
      const lineOf = (id: string): number => {
        const i = lines.findIndex((l) => /^\s*(?:- )?id:\s*/.test(l) && l.includes(id));
        return i < 0 ? 0 : i;
      };
      if (e.readOnlyReason && !e.readOnlyReason.startsWith('Restricted')) {
        const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), e.readOnlyReason, vscode.DiagnosticSeverity.Information);
        d.source = 'Marginalia';
        diags.push(d);
      }
      const srcName = vscode.workspace.asRelativePath(e.sourceUri);
      for (const item of itemsOf(e.sidecar)) {
        const line = lineOf(item.id);
        if (item.orphan || e.sourceMissing) {
          const why = e.sourceMissing ? `${srcName} no longer exists` : `its text is no longer in ${srcName}`;
          const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 200),
            `Orphaned annotation: ${why} (last known text: "${item.target.exact.slice(0, 80)}"). Select the new text and run "Marginalia: Re-anchor to Selection".`,
            vscode.DiagnosticSeverity.Warning);
          d.source = 'Marginalia';
          d.code = 'orphan';
          diags.push(d);
        }
        if (item.conflict) {
          const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 200),
            'Merge conflict: this annotation was changed on both sides; the other version is under `conflict`. Keep what you want and delete the `conflict` key.',
            vscode.DiagnosticSeverity.Warning);
          d.source = 'Marginalia';
          d.code = 'conflict';
          diags.push(d);
        }
      }
    }
    this.diagnostics.set(e.sidecarUri, diags);
  }

  // -------------------------------------------------------------------------------------------
  // Corrections for the analysis service

  /** Corrections of a source, their targets in the open document's offsets when it is open. */
  getCorrections(uri: vscode.Uri): Correction[] {
    const e = this.entries.get(uri.toString());
    if (!e) return [];
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

  /** Forget entries without annotations whose sidecar does not exist (e.g. after a folder setting change). */
  reset(): void {
    this.entries.clear();
    this.diagnostics.clear();
    this.settings = readSettings();
    this.changed.fire(undefined);
  }
}

function sameTarget(a: Target, b: Target): boolean {
  return a.start === b.start && a.end === b.end && a.exact === b.exact && a.prefix === b.prefix && a.suffix === b.suffix;
}

/** Drop empty optional fields so the YAML stays small. */
function clean(item: Item): void {
  const o = item as unknown as Record<string, unknown>;
  for (const k of ['note', 'verdict', 'author', 'canonical', 'speaker', 'type', 'scope']) {
    if (o[k] === undefined || o[k] === '') {
      if (!(k === 'speaker' && (item as Correction).action === 'speaker')) delete o[k];
    }
  }
  if (Array.isArray(o.tags) && o.tags.length === 0) delete o.tags;
}
