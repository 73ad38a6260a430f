/**
 * Palette commands *Marginalia: Export…* and *Marginalia: Import…* over the pure interchange core.
 * Files go through `vscode.workspace.fs`, so both work on vscode.dev and remote workspaces.
 *
 * Export: the active source (or the file the command was invoked on) with its sidecar's
 * annotations re-anchored on the current text, plus the editor's latest recognition; saved where
 * the user picks. Import: a W3C (.json/.jsonld) or brat (.ann) file into the active source's
 * sidecar, anchored on the current text; ids are kept, so re-importing changes nothing.
 */
import * as vscode from 'vscode';
import { guarded } from '../guard';
import { Commands } from '../commands';
import type { ExportFormat, ExportOptions, ImportFormat, MdLayout } from '../../core/interchange/export';
import type { ExportSource } from '../../core/interchange/model';
import { normalizeText, type Annotation, type Sidecar } from '../../core/sidecar/model';
import { ulidFactory } from '../../core/sidecar/ulid';
import type { Analysis, Logger } from '../../core/types';
// The interchange formats and the YAML codec load on the first export/import, not at activation.
import type { AnnotationsApi } from '../annotations';
import type { Settings } from '../config';
import { heavy } from '../lazy';
import { projectOf, workspaceFs } from '../projectFs';

export interface InterchangeDeps {
  log: Logger;
  config: Settings;
  /** The annotation store: Import merges and writes through it. */
  annotations: Pick<AnnotationsApi, 'importInto' | 'sidecarFor'>;
  /** The editor's latest analysis of a document (offsets into `document.getText()`). */
  analysisFor?(uri: vscode.Uri): Analysis | undefined;
  whenIdle?(): Promise<void>;
}

interface SourceContext {
  uri: vscode.Uri;
  /** Normalised text (BOM dropped, `\n` line endings): what sidecars and exports count in. */
  text: string;
  /** Path written into exports and the sidecar's `source:` field base. */
  relPath: string;
  /** The sidecar as the annotation store holds it (undefined outside the workspace). */
  sidecar?: Sidecar;
  document?: vscode.TextDocument;
}

const decoder = new TextDecoder('utf-8');

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return decoder.decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

async function sourceContext(deps: InterchangeDeps, target: vscode.Uri | undefined): Promise<SourceContext | undefined> {
  const uri = target ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    void vscode.window.showInformationMessage('Marginalia: open a source first (or run this from a file in the Explorer).');
    return undefined;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const raw = document ? document.getText() : await readText(uri);
  if (raw === undefined) throw new Error(`cannot read ${uri.toString()}`);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const relPath = folder ? vscode.workspace.asRelativePath(uri, false) : uri.path.split('/').pop()!;
  // The store finds the sidecar (never outside the workspace), reads it and reports a malformed one.
  const sidecar = await deps.annotations.sidecarFor(uri);
  if (!folder) deps.log.warn(`${relPath} is outside the workspace folders: exported without annotations (sidecars are read only inside the workspace)`);
  return { uri, text: normalizeText(raw), relPath, sidecar, document };
}

function anchored(text: string, annotations: Annotation[]): { annotations: Annotation[]; orphans: Set<string> } {
  const placed = heavy().placeTargets(text, annotations.map((a) => a.target));
  const orphans = new Set<string>();
  const out = annotations.map((a, i) => {
    if (placed[i].orphan) orphans.add(a.id);
    return { ...a, target: placed[i].target };
  });
  return { annotations: out, orphans };
}

/**
 * What a caller (a test, a keybinding) may give Export instead of the quick pick and the save
 * dialog: the format (and Markdown layout), and a destination inside the source's workspace folder.
 */
export interface ExportArgs {
  format: ExportFormat;
  layout?: MdLayout;
  dest: string;
}

function exportArgsOf(x: unknown): ExportArgs | undefined {
  const o = x as ExportArgs | undefined;
  return typeof o === 'object' && o !== null && !Array.isArray(o) && typeof o.format === 'string' && typeof o.dest === 'string' ? o : undefined;
}

/** What an export wrote, and its summary (the message shown). */
export interface ExportResult {
  dest: string;
  message: string;
}

async function runExport(deps: InterchangeDeps, target?: vscode.Uri, given?: ExportArgs): Promise<ExportResult | undefined> {
  const src = await sourceContext(deps, target);
  if (!src) return;
  const { EXPORT_FORMATS, EXPORT_SUFFIX, FORMAT_EXTENSION, FORMAT_LABEL, exportSource, remapAnalysis, toNormalizedOffsets } = heavy();
  const items: { label: string; description: string; format: ExportFormat; layout?: MdLayout }[] = EXPORT_FORMATS.map((f) => ({ label: FORMAT_LABEL[f], description: EXPORT_SUFFIX[f], format: f }));
  // The fact-check draft (`export --format md --layout factcheck`) right after the Markdown report.
  items.splice(items.findIndex((i) => i.format === 'md') + 1, 0, { label: 'Markdown fact-check draft', description: `${EXPORT_SUFFIX.md} · each claim, its verdict and evidence`, format: 'md', layout: 'factcheck' });
  const pick = given
    ? items.find((i) => i.format === given.format && i.layout === (given.format === 'md' && given.layout === 'factcheck' ? 'factcheck' : undefined))
    : await vscode.window.showQuickPick(items, { title: 'Marginalia: Export', placeHolder: `Export ${src.relPath} as…` });
  if (!pick) return;
  const format: ExportFormat = pick.format;
  const claims = format === 'claimreview' || pick.layout === 'factcheck';
  let analysis: Analysis | undefined;
  if (src.document && deps.analysisFor) {
    await deps.whenIdle?.();
    const a = deps.analysisFor(src.uri);
    // The editor counts in document.getText() (CRLF kept); exports count in the normalised text.
    if (a) analysis = remapAnalysis(a, toNormalizedOffsets(src.document.getText()));
  }
  const { annotations, orphans } = anchored(src.text, src.sidecar?.annotations ?? []);
  const exported: ExportSource = { path: src.relPath, text: src.text, annotations, orphans, analysis };
  const options: ExportOptions = pick.layout ? { layout: pick.layout } : {};
  const claimNotes: string[] = [];
  if (claims) claimNotes.push(...(await prepareClaims(deps, src, exported, options, format === 'claimreview')));
  const body = exportSource(format, exported, options);
  // Reports go to the export folder (`marginalia.export.folder`), never beside the source: a report
  // there would be taken for a source and listed in the views.
  const folder = vscode.workspace.getWorkspaceFolder(src.uri);
  // Named after the whole source name, as the command line names it (`a.txt` → `a.txt.ann`), so
  // `a.txt` and `a.md` never share a file.
  let defaultUri = src.uri.with({ path: `${src.uri.path}${EXPORT_SUFFIX[format]}` });
  if (folder) {
    const dir = vscode.Uri.joinPath(folder.uri, ...deps.config.current.exportFolder.split('/'));
    defaultUri = vscode.Uri.joinPath(dir, `${src.relPath}${EXPORT_SUFFIX[format]}`);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(defaultUri, '..'));
  }
  let dest: vscode.Uri | undefined;
  if (given) {
    dest = vscode.Uri.parse(given.dest);
    // Given by a caller, not chosen in the dialog: only inside the source's workspace folder.
    const inside = folder && dest.scheme === folder.uri.scheme && dest.authority === folder.uri.authority && dest.path.startsWith(folder.uri.path.replace(/\/$/, '') + '/') && !dest.path.split('/').includes('..');
    if (!inside) throw new Error(`the export destination ${given.dest} is not inside the workspace folder`);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(dest, '..'));
  } else {
    dest = await vscode.window.showSaveDialog({
      defaultUri,
      filters: { [FORMAT_LABEL[format]]: [FORMAT_EXTENSION[format]] },
      title: `Export ${src.relPath} — ${FORMAT_LABEL[format]}`,
    });
  }
  if (!dest) return;
  // Atomic (a temporary file, then a rename), like every other write; the save dialog has asked
  // before replacing an existing file.
  await heavy().replaceFile(workspaceFs(dest), dest.path, body, vscode.workspace.asRelativePath(dest));
  const notes: string[] = [];
  if (!analysis) notes.push('without entities and quotations (the source is not analysed yet)');
  if (orphans.size) notes.push(`${orphans.size} orphaned annotation(s) ${format === 'brat' ? 'left out' : 'exported with their last known text'}`);
  deps.log.info(`exported ${src.relPath} as ${format} to ${dest.toString()}`);
  const open = format === 'md' ? 'Open Markdown' : 'Open';
  // The Markdown report opens rendered, as a report is read.
  if (format === 'md') await vscode.commands.executeCommand('markdown.showPreview', dest);
  const summary = format === 'claimreview'
    ? `Marginalia: exported ${claimNotes.length ? claimNotes[0] : 'the ClaimReview document'} to ${vscode.workspace.asRelativePath(dest)}${claimNotes.length > 1 ? ` — ${claimNotes.slice(1).join('; ')}` : ''}.`
    : `Marginalia: exported ${annotations.length} annotation(s)${analysis ? `, ${analysis.mentions.length} mentions and ${analysis.quotes.length} quotations` : ''}${[...notes, ...claimNotes].length ? ` — ${[...notes, ...claimNotes].join('; ')}` : ''}.`;
  // Missing fields are reported (per claim, in the Marginalia output), never guessed: a warning then.
  const warn = claims && claimNotes.some((n) => /missing|no claim/.test(n));
  const shown = dest;
  // Not awaited: the command is done when the file is written, whether or not the message is dismissed.
  void (warn ? vscode.window.showWarningMessage(summary, open) : vscode.window.showInformationMessage(summary, open)).then((choice) => {
    if (choice === open) void vscode.window.showTextDocument(shown);
  });
  return { dest: dest.toString(), message: summary };
}

/**
 * ClaimReview and the fact-check draft: the claims' evidence links re-anchored on their sources'
 * current texts (read through the project layer, inside the workspace only), the publisher and
 * the verdict ratings from the settings (the keys the command line reads). Each claim's problems
 * are logged as the command line reports them; returns the summary notes for the message.
 */
async function prepareClaims(deps: InterchangeDeps, src: SourceContext, exported: ExportSource, options: ExportOptions, strict: boolean): Promise<string[]> {
  const h = heavy();
  const settings = deps.config.for(src.uri);
  const publisher: NonNullable<ExportOptions['publisher']> = {};
  if (settings.publisherName !== undefined) publisher.name = settings.publisherName;
  if (settings.publisherUrl !== undefined) publisher.url = settings.publisherUrl;
  options.publisher = publisher;
  const r = h.verdictRatingsFrom(settings.verdictRatings);
  for (const m of r.problems) deps.log.warn(`setting marginalia.annotations.${m}`);
  options.ratings = r.ratings;
  const sidecar = src.sidecar;
  if (sidecar) exported.sidecar = sidecar;
  const folder = vscode.workspace.getWorkspaceFolder(src.uri);
  const notes: string[] = [];
  if (folder && sidecar && exported.annotations.some((a) => (a as Annotation).evidence?.length)) {
    const anchored = await h.anchorEvidence(projectOf(folder, deps.config), { source: src.uri.path, text: src.text, sidecar: { ...sidecar, annotations: exported.annotations as Annotation[] } });
    exported.annotations = anchored.sidecar.annotations;
    exported.evidenceTexts = anchored.texts;
    for (const o of anchored.orphans) {
      deps.log.warn(`${src.relPath}: annotation ${o.annotationId}: evidence ${o.index + 1} in ${o.source} is orphaned (${o.reason === 'text-gone' ? 'its text is no longer there' : o.message ?? 'the source cannot be read'}); exported with its last known text`);
    }
    if (anchored.orphans.length) notes.push(`${anchored.orphans.length} orphaned evidence link(s) exported with their last known text`);
  }
  const claims = h.reviewedClaims(exported.annotations);
  if (claims.length === 0) {
    deps.log.warn(`${src.relPath}: no claim has a verdict${strict ? ': the ClaimReview file holds no review' : ''}`);
    return [strict ? 'no review: no claim has a verdict' : 'no claim has a verdict yet', ...notes];
  }
  if (!strict) return notes;
  const built = h.buildClaimReviews(h.claimInput(exported, options));
  const missing = new Set<string>();
  for (const b of built) {
    for (const p of b.problems) {
      if (p.level === 'required') missing.add(p.field);
      deps.log.warn(`${src.relPath}: claim ${b.id}: ${p.level === 'required' ? 'missing' : 'recommended'} ${p.field}: ${p.message}${p.level === 'required' ? ' (left out of the ClaimReview file)' : ''}`);
    }
  }
  const complete = built.filter((b) => b.complete).length;
  const out = [`${complete} ClaimReview(s)`];
  if (complete < built.length) out.push(`${built.length - complete} claim(s) left out, missing ${[...missing].join(', ')} (see the Marginalia output)`);
  return [...out, ...notes];
}

async function runImport(deps: InterchangeDeps, target?: vscode.Uri): Promise<void> {
  const src = await sourceContext(deps, target);
  if (!src) return;
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Import',
    title: `Import annotations into ${src.relPath}`,
    filters: { 'W3C Web Annotation or brat': ['json', 'jsonld', 'ann'], 'All files': ['*'] },
    defaultUri: src.uri.with({ path: src.uri.path.replace(/\/[^/]*$/, '') }),
  });
  const file = files?.[0];
  if (!file) return;
  // The same rules as annotating: nothing is written in a restricted workspace or over a sidecar
  // of a newer format (shown read-only). The merge is the core's, as on the command line; the store
  // holds the sidecar and writes it through its safe writer.
  if (!vscode.workspace.isTrusted) throw new Error('Restricted mode: annotations are read-only until the workspace is trusted; nothing was imported');
  if (!vscode.workspace.getWorkspaceFolder(src.uri)) throw new Error(`${src.relPath} is not in a workspace folder: Marginalia imports only into sidecars inside the workspace`);
  const format: ImportFormat = file.path.toLowerCase().endsWith('.ann') ? 'brat' : 'w3c';
  const content = await readText(file);
  if (content === undefined) throw new Error(`cannot read ${file.toString()}`);
  const result = await deps.annotations.importInto(src.uri, {
    format,
    content,
    now: new Date().toISOString(),
    newId: ulidFactory(),
    author: deps.config.for(src.uri).author || undefined,
  });
  const { importSummary } = heavy();
  for (const w of result.warnings) deps.log.warn(`import ${file.toString()}: ${w}`);
  const problems = result.warnings.length ? `, ${result.warnings.length} problem(s), see the Marginalia output` : '';
  const message = `Marginalia: imported into ${src.relPath}: ${importSummary(result)}${problems}.`;
  if (result.warnings.length || result.orphans.length) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
}

/** A palette command of this file: its first argument a Uri when VS Code passes one (menus), guarded. */
function command<R>(deps: InterchangeDeps, what: string, f: (uri?: vscode.Uri, more?: unknown) => Promise<R>) {
  return guarded((uri?: unknown, more?: unknown) => f(uri instanceof vscode.Uri ? uri : undefined, more), { log: deps.log, what });
}

/** Registers *Export…* and *Import…*; the returned Disposable unregisters them. */
export function registerInterchangeCommands(deps: InterchangeDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.export, command(deps, 'export', (u, more) => runExport(deps, u, exportArgsOf(more)))),
    vscode.commands.registerCommand(Commands.import, command(deps, 'import', (u) => runImport(deps, u))),
  );
}
