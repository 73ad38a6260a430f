import * as vscode from 'vscode';
import type { Analysis, EntityType, Logger } from '../../core/types';
import type { DocumentAnalysisService } from '../analysis/service';
import type { Configuration } from '../config';

export interface IndexedSource {
  uri: vscode.Uri;
  text: string;
  analysis: Analysis;
}

const entityKey = (type: EntityType, canonical: string) => `${type}\u0000${canonical}`;

/**
 * The analyses of every source in the workspace, built on demand (*Re-scan Workspace*) with a
 * cancellable progress notification. Open documents always use the live analysis instead.
 */
export class WorkspaceIndex implements vscode.Disposable {
  private readonly files = new Map<string, IndexedSource>();
  private counts?: Map<string, { mentions: number; sources: number }>;
  private scanned = false;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly service: DocumentAnalysisService,
    private readonly config: Configuration,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      service.onDidChangeAnalysis((e) => {
        if (!this.scanned || !e.analysis) return;
        const r = this.service.get(e.document);
        if (r) this.files.set(e.document.uri.toString(), { uri: e.document.uri, text: r.text, analysis: r.analysis });
        this.counts = undefined;
      }),
    );
  }

  get isScanned(): boolean {
    return this.scanned;
  }

  /** What the last scan found for a source from its file on disk (open documents aside). */
  scannedAnalysis(uri: vscode.Uri): Analysis | undefined {
    return this.files.get(uri.toString())?.analysis;
  }

  /** Every indexed source (open documents with their live analysis). */
  sources(): IndexedSource[] {
    const out = new Map(this.files);
    for (const doc of this.service.documents()) {
      const r = this.service.get(doc);
      if (r) out.set(doc.uri.toString(), { uri: doc.uri, text: r.text, analysis: r.analysis });
    }
    return [...out.values()].sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
  }

  /** Mentions of an entity across the workspace; undefined until the workspace has been scanned. */
  countFor(type: EntityType, canonical: string): { mentions: number; sources: number } | undefined {
    if (!this.scanned) return undefined;
    if (!this.counts) {
      const counts = new Map<string, { mentions: number; sources: number }>();
      for (const src of this.sources()) {
        for (const e of src.analysis.entities) {
          const k = entityKey(e.type, e.canonical);
          const c = counts.get(k) ?? { mentions: 0, sources: 0 };
          c.mentions += e.mentions.length;
          c.sources += 1;
          counts.set(k, c);
        }
      }
      this.counts = counts;
    }
    return this.counts.get(entityKey(type, canonical)) ?? { mentions: 0, sources: 0 };
  }

  /** Finds and analyses every source of the workspace. Resolves with the number of sources. */
  async scan(): Promise<number> {
    const globs = this.config.current.sources;
    const include = globs.length === 1 ? globs[0] : `{${globs.join(',')}}`;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Marginalia: scanning the workspace', cancellable: true },
      async (progress, token) => {
        const uris = await vscode.workspace.findFiles(include, `{**/node_modules/**,**/.git/**,**/*.marginalia.yaml,${this.config.current.exportFolder}/**}`, undefined, token);
        const limit = this.config.current.maxSourceSize;
        const files = new Map<string, IndexedSource>();
        let done = 0;
        let skipped = 0;
        // Reads run ahead of the analysis (a few files in flight), so the file system's latency
        // (an RPC per file in a remote or web host) overlaps the recognition instead of adding to it.
        const reads: Array<Thenable<Uint8Array> | undefined> = [];
        const read = (i: number): Thenable<Uint8Array> => {
          const p = vscode.workspace.fs.readFile(uris[i]);
          p.then(undefined, () => undefined); // a failure is reported when its turn comes
          return p;
        };
        const AHEAD = 8;
        let lastReport = 0;
        let reported = 0;
        for (let i = 0; i < uris.length; i++) {
          const uri = uris[i];
          if (token.isCancellationRequested) break;
          for (let k = i; k < Math.min(uris.length, i + AHEAD); k++) reads[k] ??= read(k);
          // The notification need not hear of every file: at most about ten times a second.
          const now = Date.now();
          if (now - lastReport >= 100 || i === 0) {
            progress.report({ message: `${done + 1}/${uris.length} ${uri.path.split('/').pop() ?? ''}`, increment: (100 * (i + 1 - reported)) / uris.length });
            reported = i + 1;
            lastReport = now;
          }
          try {
            const bytes = await reads[i]!;
            reads[i] = undefined;
            if (bytes.length > limit) {
              skipped++;
              continue;
            }
            const text = new TextDecoder().decode(bytes);
            files.set(uri.toString(), { uri, text, analysis: await this.service.analyzeText(text, uri) });
          } catch (err) {
            this.log.warn(`workspace scan: ${uri.toString()} not analysed: ${String(err)}`);
          }
          done++;
        }
        if (token.isCancellationRequested) {
          this.log.info(`workspace scan cancelled after ${done} of ${uris.length} sources`);
          return done;
        }
        this.files.clear();
        for (const [k, v] of files) this.files.set(k, v);
        this.scanned = true;
        this.counts = undefined;
        this.log.info(`workspace scan: ${done} sources analysed${skipped ? `, ${skipped} over marginalia.maxSourceSize skipped` : ''}`);
        this.emitter.fire();
        return done;
      },
    );
  }

  /** Back to active-source mode; forgets the scan. */
  clear(): void {
    this.files.clear();
    this.scanned = false;
    this.counts = undefined;
    this.emitter.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
