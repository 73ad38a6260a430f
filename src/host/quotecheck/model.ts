/**
 * The workspace's quotation index for the editor: one `QuoteIndex` (src/core/quotecheck, loaded
 * through `heavy()`) over the primary sources and the checked sources, keyed by URI string, with
 * texts normalised (no BOM, `\n` line endings) as the core expects.
 *
 * Built on demand: the first analysed source (or the Quote Check view, or a command) indexes the
 * primary sources — cheap, no recognition — and the open sources; *Check Quotations Across the
 * Workspace* (run when the view is first shown) also recognises the workspace's other sources.
 * Kept up to date by the live analyses of open sources and by a file watcher for the rest.
 */
import * as vscode from 'vscode';
import { LineIndex } from '../../core/interchange/codepoints';
import type { QuoteCheck, QuoteIndex } from '../../core/quotecheck/quoteIndex';
import type { Quote } from '../../core/types';
import type { Logger } from '../../core/types';
import { PRIMARY_LIST_PATH, isPrimarySource, matchesGlob, readPrimaryList, togglePrimary, writePrimaryList } from '../../core/quotecheck/primary';
import type { DocumentAnalysisService } from '../analysis/service';
import type { Configuration } from '../config';
import { heavy } from '../lazy';
import { projectOf } from '../projectFs';

interface Meta {
  uri: vscode.Uri;
  primary: boolean;
  /** The document version when indexed from an open document's live analysis. */
  version?: number;
  lines?: LineIndex;
}

const decoder = new TextDecoder('utf-8');

/** BOM stripped, line endings `\n`: the text the core's offsets count in. */
export function normalise(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

export class QuoteCheckModel implements vscode.Disposable {
  private index?: QuoteIndex;
  private readonly meta = new Map<string, Meta>();
  private readonly marked = new Map<string, string[]>();
  private started?: Promise<void>;
  private scanning?: Promise<number>;
  private scannedOnce = false;
  private results?: { version: number; byPath: Map<string, QuoteCheck[]> };
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires (debounced) when the index changed. */
  readonly onDidChange = this.emitter.event;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly service: DocumentAnalysisService,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidChange((u) => this.onFile(u, false)),
      watcher.onDidCreate((u) => this.onFile(u, false)),
      watcher.onDidDelete((u) => this.onFile(u, true)),
      service.onDidChangeAnalysis((e) => {
        if (!this.started) {
          if (e.analysis) void this.start();
          return;
        }
        void this.started.then(() => this.fromDocument(e.document));
      }),
      this.config.onDidChange((e) => {
        if (this.started && e.affects('primarySources')) void this.reclassifyAll(true);
      }),
    );
  }

  get isScanned(): boolean {
    return this.scannedOnce;
  }

  /** Indexes the primary sources and the open sources (once). */
  start(): Promise<void> {
    return (this.started ??= this.build());
  }

  private async build(): Promise<void> {
    this.index = new (heavy().QuoteIndex)();
    for (const folder of vscode.workspace.workspaceFolders ?? []) await this.loadMarked(folder);
    await this.indexPrimaries();
    for (const doc of this.service.documents()) this.fromDocument(doc);
    this.changed();
  }

  private async loadMarked(folder: vscode.WorkspaceFolder): Promise<string[]> {
    let list: string[] = [];
    try {
      list = await readPrimaryList(projectOf(folder, this.config));
    } catch (err) {
      this.log.warn(`${PRIMARY_LIST_PATH} in ${folder.name}: ${String(err)}`);
    }
    this.marked.set(folder.uri.toString(), list);
    return list;
  }

  private globs(folder?: vscode.WorkspaceFolder): string[] {
    return this.config.for(folder?.uri).primarySources;
  }

  private relOf(uri: vscode.Uri): { folder?: vscode.WorkspaceFolder; rel: string } {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return { rel: uri.path.replace(/^\/+/, '') };
    return { folder, rel: uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1) };
  }

  /** Whether a file is a primary source (the setting's globs or the folder's list). */
  isPrimary(uri: vscode.Uri): boolean {
    const { folder, rel } = this.relOf(uri);
    return isPrimarySource(rel, this.globs(folder), folder ? (this.marked.get(folder.uri.toString()) ?? []) : []);
  }

  /** Whether it is in the folder's list (as opposed to matching a glob). */
  isMarked(uri: vscode.Uri): boolean {
    const { folder, rel } = this.relOf(uri);
    return !!folder && (this.marked.get(folder.uri.toString()) ?? []).includes(rel);
  }

  private isSourcePath(uri: vscode.Uri): boolean {
    const { rel } = this.relOf(uri);
    if (rel.endsWith('.marginalia.yaml') || rel.startsWith('.git/') || rel.includes('/.git/') || rel.includes('node_modules/')) return false;
    const exp = this.config.current.exportFolder;
    if (rel === exp || rel.startsWith(`${exp}/`)) return false;
    return this.config.current.sources.some((g) => matchesGlob(rel, g));
  }

  private async indexPrimaries(): Promise<void> {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const globs = this.globs(folder);
      const uris = new Map<string, vscode.Uri>();
      if (globs.length) {
        const include = new vscode.RelativePattern(folder, globs.length === 1 ? globs[0]! : `{${globs.join(',')}}`);
        for (const u of await vscode.workspace.findFiles(include, '{**/node_modules/**,**/.git/**,**/*.marginalia.yaml}')) uris.set(u.toString(), u);
      }
      for (const rel of this.marked.get(folder.uri.toString()) ?? []) {
        const u = vscode.Uri.joinPath(folder.uri, rel);
        uris.set(u.toString(), u);
      }
      for (const u of uris.values()) await this.fromDisk(u);
    }
  }

  /** Recognises every source of the workspace that is not open, so that quotations are compared across sources. */
  scan(): Promise<number> {
    return (this.scanning ??= this.doScan().finally(() => (this.scanning = undefined)));
  }

  private async doScan(): Promise<number> {
    await this.start();
    const globs = this.config.current.sources;
    const include = globs.length === 1 ? globs[0]! : `{${globs.join(',')}}`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Marginalia: checking quotations' }, async (progress) => {
      const uris = await vscode.workspace.findFiles(include, `{**/node_modules/**,**/.git/**,**/*.marginalia.yaml,${this.config.current.exportFolder}/**}`);
      let n = 0;
      for (const uri of uris) {
        progress.report({ message: `${n + 1}/${uris.length}` });
        await this.fromDisk(uri, true);
        n++;
      }
      this.scannedOnce = true;
      this.changed();
      this.log.info(`quotation check: ${uris.length} sources indexed`);
      return n;
    });
  }

  /** Indexes an open document from its live analysis; false when the service has none. */
  private fromDocument(doc: vscode.TextDocument): boolean {
    const index = this.index;
    if (!index) return false;
    const r = this.service.get(doc);
    const key = doc.uri.toString();
    if (!r) {
      // Closed or no longer a source: back to the file on disk (or out of the index).
      if (this.meta.get(key)?.version !== undefined) void this.fromDisk(doc.uri, this.scannedOnce);
      return false;
    }
    const primary = this.isPrimary(doc.uri);
    const text = normalise(r.text);
    let quotes: Quote[] | undefined;
    if (!primary) {
      quotes = r.analysis.quotes;
      if (r.text.includes('\r')) {
        // CRLF document: the analysis counts the `\r`s (in the text it was made from); the index does not.
        const crs: number[] = [];
        for (let i = r.text.indexOf('\r'); i !== -1; i = r.text.indexOf('\r', i + 1)) crs.push(i);
        const toNorm = (o: number) => {
          let lo = 0;
          let hi = crs.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (crs[mid]! < o) lo = mid + 1;
            else hi = mid;
          }
          return o - lo;
        };
        quotes = quotes.map((q) => ({ ...q, start: toNorm(q.start), end: toNorm(q.end) }));
      }
    }
    index.setSource(key, { text, primary, quotes });
    this.meta.set(key, { uri: doc.uri, primary, version: r.version });
    this.changed();
    return true;
  }

  /** (Re-)indexes a file from disk: primary sources always, other sources when `analyse` (recognition). */
  private async fromDisk(uri: vscode.Uri, analyse = false): Promise<void> {
    const index = this.index;
    if (!index) return;
    const key = uri.toString();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (open && this.service.get(open) && this.fromDocument(open)) return;
    const primary = this.isPrimary(uri);
    if (!primary && !analyse) {
      if (index.hasSource(key)) {
        index.removeSource(key);
        this.meta.delete(key);
        this.changed();
      }
      return;
    }
    let text: string;
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.length > this.config.current.maxSourceSize || bytes.subarray(0, 8192).includes(0)) return;
      text = normalise(decoder.decode(bytes));
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError)) this.log.warn(`quotation check: ${uri.toString()}: ${String(err)}`);
      this.forget(key);
      return;
    }
    if (primary) index.setSource(key, { text, primary: true });
    else {
      try {
        const analysis = await this.service.analyzeText(text, uri);
        index.setSource(key, { text, primary: false, quotes: analysis.quotes });
      } catch (err) {
        this.log.warn(`quotation check: ${uri.toString()} not analysed: ${String(err)}`);
        return;
      }
    }
    this.meta.set(key, { uri, primary });
    this.changed();
  }

  private forget(key: string): void {
    if (!this.index?.hasSource(key)) return;
    this.index.removeSource(key);
    this.meta.delete(key);
    this.changed();
  }

  private onFile(uri: vscode.Uri, deleted: boolean): void {
    if (!this.started) return;
    void this.started.then(async () => {
      const { folder, rel } = this.relOf(uri);
      if (folder && rel === PRIMARY_LIST_PATH) {
        await this.loadMarked(folder);
        await this.reclassifyAll(false);
        return;
      }
      const key = uri.toString();
      if (deleted) {
        // A folder deleted: one event for it, none for what it held.
        for (const k of [...this.meta.keys()]) if (k === key || k.startsWith(`${key}/`)) this.forget(k);
        return;
      }
      let isFolder = false;
      try {
        isFolder = ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
      } catch (err) {
        if (!(err instanceof vscode.FileSystemError)) this.log.warn(`quotation check: ${key}: ${String(err)}`);
        return;
      }
      if (isFolder) {
        // A folder created (or moved in) with files in it: the watcher reports only the folder.
        for (const u of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), '{**/node_modules/**,**/.git/**,**/*.marginalia.yaml}')) this.onFile(u, false);
        return;
      }
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (open && this.service.get(open)) return; // the live analysis governs
      if (this.isPrimary(uri)) await this.fromDisk(uri);
      else if (this.scannedOnce && this.isSourcePath(uri)) await this.fromDisk(uri, true);
    });
  }

  /** After the list or the setting changed: re-index what changed side, and find new primaries. */
  private async reclassifyAll(findNew: boolean): Promise<void> {
    for (const [key, m] of [...this.meta]) {
      if (this.isPrimary(m.uri) !== m.primary) {
        this.forget(key);
        await this.fromDisk(m.uri, this.scannedOnce);
      }
    }
    await this.indexPrimaries();
    if (findNew) this.changed();
  }

  /** Marks or unmarks a file as a primary source (`.marginalia/primary-sources.txt`). */
  async setPrimary(uri: vscode.Uri, on: boolean): Promise<boolean> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    await this.start();
    const { rel } = this.relOf(uri);
    const list = await this.loadMarked(folder);
    const next = togglePrimary(list, rel, on);
    await writePrimaryList(projectOf(folder, this.config), next);
    this.marked.set(folder.uri.toString(), next);
    this.forget(uri.toString());
    await this.fromDisk(uri, this.scannedOnce || vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()));
    return true;
  }

  private changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire();
    }, 50);
  }

  get version(): number {
    return this.index?.version ?? -1;
  }

  /** Every checked quotation, by index path (cached per index version). */
  all(): Map<string, QuoteCheck[]> {
    const index = this.index;
    if (!index) return new Map();
    if (this.results?.version === index.version) return this.results.byPath;
    const byPath = new Map<string, QuoteCheck[]>();
    for (const c of index.checkAll()) {
      const list = byPath.get(c.path);
      if (list) list.push(c);
      else byPath.set(c.path, [c]);
    }
    this.results = { version: index.version, byPath };
    return byPath;
  }

  checks(uri: vscode.Uri): QuoteCheck[] {
    return this.all().get(uri.toString()) ?? [];
  }

  uriOf(path: string): vscode.Uri | undefined {
    return this.meta.get(path)?.uri;
  }

  /** The document version the index holds for an open source (undefined: indexed from disk). */
  versionOf(uri: vscode.Uri): number | undefined {
    return this.meta.get(uri.toString())?.version;
  }

  textOf(path: string): string | undefined {
    return this.index?.textOf(path);
  }

  /** A range in the indexed (normalised) text as document positions: lines and columns are the same in a CRLF document. */
  rangeOf(path: string, start: number, end: number): vscode.Range | undefined {
    const m = this.meta.get(path);
    const text = this.index?.textOf(path);
    if (!m || text === undefined) return undefined;
    const lines = (m.lines ??= new LineIndex(text));
    const pos = (o: number): vscode.Position => {
      const p = lines.position(o);
      return new vscode.Position(p.line - 1, p.column - 1);
    };
    return new vscode.Range(pos(start), pos(end));
  }

  /** The display path of an index path (workspace-relative). */
  rel(path: string): string {
    const uri = this.meta.get(path)?.uri ?? vscode.Uri.parse(path);
    return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
