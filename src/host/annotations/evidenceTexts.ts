import * as vscode from 'vscode';
import { emptySidecar, type Annotation, type Evidence } from '../../core/sidecar/model';
import { heavy } from '../lazy';
import type { Settings } from '../config';
import { projectOf, workspaceFs } from '../projectFs';
import type { EvidenceView } from './evidenceCard';
import { offsetMap } from './offsets';
import type { SourceEntry } from './store';

/** The current text of an evidence source: normalised; `problem` when it cannot be read. */
export interface SourceText {
  text?: string;
  problem?: string;
}

/**
 * The current texts of the sources evidence links point into, for anchoring the links when the
 * hover and the Annotations view show them: an open document's text (unsaved edits included), else
 * the file read through the project layer (inside the workspace only), cached until the file
 * changes. `onDidChange` fires when a text read in the background arrives or a source changed.
 */
export class EvidenceTexts implements vscode.Disposable {
  private readonly files = new Map<string, { value?: SourceText; reading?: Promise<SourceText>; watcher: vscode.FileSystemWatcher }>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly config: Settings) {
    this.disposables.push(
      this.emitter,
      // An open source's edits change its links' positions: refresh (debounced), without re-reading.
      vscode.workspace.onDidChangeTextDocument((ev) => {
        if (ev.contentChanges.length && this.files.has(ev.document.uri.toString())) this.soon(ev.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      vscode.workspace.onDidSaveTextDocument((doc) => this.forget(doc.uri)),
    );
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const f of this.files.values()) f.watcher.dispose();
    this.files.clear();
    for (const d of this.disposables) d.dispose();
  }

  private soon(uri: vscode.Uri): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire(uri);
    }, 200);
  }

  private forget(uri: vscode.Uri): void {
    const f = this.files.get(uri.toString());
    if (!f) return;
    f.value = undefined;
    f.reading = undefined;
    this.emitter.fire(uri);
  }

  /**
   * The URI of a link's source in `folder` (the claim's workspace folder), or undefined when the
   * stored path leaves the workspace (`..`, absolute): such a link is never followed nor read.
   */
  static uriOf(folder: vscode.WorkspaceFolder, source: string): vscode.Uri | undefined {
    const rel = heavy().normalizeEvidenceSource(source);
    return rel === undefined ? undefined : vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
  }

  /** The text now: an open document's, or the cached file's; undefined while the file is being read (the read is started). */
  peek(folder: vscode.WorkspaceFolder, uri: vscode.Uri): SourceText | undefined {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    this.track(uri);
    if (doc) return { text: offsetMap(doc).text };
    const f = this.files.get(uri.toString())!;
    if (f.value) return f.value;
    void this.read(folder, uri).then(() => this.emitter.fire(uri));
    return undefined;
  }

  /** The text, reading the file if needed. */
  async get(folder: vscode.WorkspaceFolder, uri: vscode.Uri): Promise<SourceText> {
    return this.peek(folder, uri) ?? (await this.read(folder, uri));
  }

  private track(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.files.has(key)) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const watcher = folder
      ? vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, vscode.workspace.asRelativePath(uri, false)))
      : vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.split('/').pop()!));
    const changed = (): void => this.forget(uri);
    watcher.onDidChange(changed);
    watcher.onDidCreate(changed);
    watcher.onDidDelete(changed);
    this.files.set(key, { watcher });
  }

  private read(folder: vscode.WorkspaceFolder, uri: vscode.Uri): Promise<SourceText> {
    this.track(uri);
    const f = this.files.get(uri.toString())!;
    if (f.value) return Promise.resolve(f.value);
    f.reading ??= (async (): Promise<SourceText> => {
      let value: SourceText;
      try {
        // Through the project layer: refused when a link (or a symbolic link) leads outside the workspace.
        const project = projectOf(folder, this.config);
        await project.assertInside(uri.path, 'the evidence source');
        value = { text: await heavy().readSourceText(workspaceFs(uri), uri.path, vscode.workspace.asRelativePath(uri)) };
      } catch (err) {
        value = { problem: err instanceof Error ? err.message : String(err) };
      }
      const now = this.files.get(uri.toString());
      if (now && now.reading) {
        now.value = value;
        now.reading = undefined;
      }
      return value;
    })();
    return f.reading;
  }

  /**
   * The links of `a` (a claim of `entry`) anchored on their sources' current texts with the core's
   * anchoring (`anchorEvidenceOn`): orphans (text gone, source unreadable) kept and marked. A link
   * whose source is not read yet is shown as stored (`pending`), and the read is started.
   */
  views(entry: SourceEntry, a: Annotation): EvidenceView[] {
    return this.anchor(entry, a, (uri) => this.peek(entry.folder, uri));
  }

  /** `views` after reading every source (for the hover and for following a link). */
  async viewsNow(entry: SourceEntry, a: Annotation): Promise<EvidenceView[]> {
    const got = new Map<string, SourceText>();
    for (const e of a.evidence ?? []) {
      const uri = EvidenceTexts.uriOf(entry.folder, e.source);
      if (uri && !got.has(uri.toString())) got.set(uri.toString(), await this.get(entry.folder, uri));
    }
    return this.anchor(entry, a, (uri) => got.get(uri.toString()));
  }

  /** The anchored links of `a` as stored evidence (to save when positions or orphan flags changed). */
  anchoredEvidence(entry: SourceEntry, a: Annotation): Evidence[] | undefined {
    return this.anchorWith(entry, a, (uri) => this.peek(entry.folder, uri))?.evidence;
  }

  private anchorWith(entry: SourceEntry, a: Annotation, textOf: (uri: vscode.Uri) => SourceText | undefined): { evidence: Evidence[]; pending: Set<number>; reasons: Map<number, string> } | undefined {
    const links = a.evidence ?? [];
    if (links.length === 0) return undefined;
    const texts = new Map<string, string | undefined>();
    const problems = new Map<string, string>();
    const pending = new Set<number>();
    const ready: number[] = [];
    links.forEach((e, i) => {
      const uri = EvidenceTexts.uriOf(entry.folder, e.source);
      if (!uri) {
        texts.set(e.source, undefined);
        problems.set(e.source, 'the path leaves the workspace');
        ready.push(i);
        return;
      }
      const t = textOf(uri);
      if (!t) {
        pending.add(i);
        return;
      }
      texts.set(e.source, t.text);
      if (t.problem) problems.set(e.source, t.problem);
      ready.push(i);
    });
    const evidence = links.map((e) => ({ ...e }));
    const reasons = new Map<number, string>();
    if (ready.length) {
      const sub: Annotation = { ...a, evidence: ready.map((i) => links[i]!) };
      const { sidecar, orphans } = heavy().anchorEvidenceOn({ ...emptySidecar(entry.sidecar.source), annotations: [sub] }, texts, problems);
      const anchored = sidecar.annotations[0]!.evidence ?? [];
      ready.forEach((i, k) => {
        evidence[i] = anchored[k]!;
      });
      for (const o of orphans) reasons.set(ready[o.index]!, o.reason === 'text-gone' ? 'text-gone' : o.message ?? 'source-unreadable');
    }
    return { evidence, pending, reasons };
  }

  private anchor(entry: SourceEntry, a: Annotation, textOf: (uri: vscode.Uri) => SourceText | undefined): EvidenceView[] {
    const r = this.anchorWith(entry, a, textOf);
    if (!r) return [];
    return r.evidence.map((e, i) => {
      const v: EvidenceView = { index: i, relation: e.relation, source: e.source, exact: e.target.exact, orphan: e.orphan === true };
      const why = r.reasons.get(i);
      if (why) v.reason = why;
      if (r.pending.has(i)) v.pending = true;
      return v;
    });
  }
}
