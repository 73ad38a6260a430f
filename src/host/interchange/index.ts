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
import type { ExportFormat, ImportFormat } from '../../core/interchange/export';
import type { ParsedSidecar } from '../../core/sidecar/codec';
import { normalizeText, type Annotation } from '../../core/sidecar/model';
import { isSafeRelativePath, sidecarPathFor } from '../../core/sidecar/paths';
import { ulidFactory } from '../../core/sidecar/ulid';
import type { Analysis, Logger } from '../../core/types';
// The interchange formats and the YAML codec load on the first export/import, not at activation.
import { exportFolder } from '../analysis/sources';
import { heavy } from '../lazy';
import { projectOf, workspaceFs } from '../projectFs';

export const InterchangeCommands = {
  export: 'marginalia.export',
  import: 'marginalia.import',
} as const;

export interface InterchangeDeps {
  log: Logger;
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
  sidecarUri: vscode.Uri;
  parsed?: ParsedSidecar;
  document?: vscode.TextDocument;
}

const decoder = new TextDecoder('utf-8');

function sidecarFolder(uri: vscode.Uri): string {
  return vscode.workspace.getConfiguration('marginalia', uri).get<string>('sidecar.folder', '') ?? '';
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return decoder.decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

async function sourceContext(target: vscode.Uri | undefined): Promise<SourceContext | undefined> {
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
  let sidecarUri: vscode.Uri;
  if (folder) {
    const sidecarRel = sidecarPathFor(relPath, sidecarFolder(uri));
    // Never read or write a sidecar outside the workspace (a `sidecar.folder` of `../x`).
    if (!isSafeRelativePath(sidecarRel)) throw new Error(`the sidecar path ${sidecarRel} leaves the workspace (setting marginalia.sidecar.folder); nothing was read or written`);
    sidecarUri = vscode.Uri.joinPath(folder.uri, sidecarRel);
  } else {
    sidecarUri = uri.with({ path: uri.path + '.marginalia.yaml' });
  }
  const yaml = await readText(sidecarUri);
  let parsed: ParsedSidecar | undefined;
  if (yaml !== undefined) {
    const r = heavy().parseSidecar(yaml);
    if (!r.ok) throw new Error(`${vscode.workspace.asRelativePath(sidecarUri)}:${r.error.line}: ${r.error.message}`);
    parsed = r.value;
  }
  return { uri, text: normalizeText(raw), relPath, sidecarUri, parsed, document };
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

async function runExport(deps: InterchangeDeps, target?: vscode.Uri): Promise<void> {
  const src = await sourceContext(target);
  if (!src) return;
  const { EXPORT_FORMATS, EXPORT_SUFFIX, FORMAT_EXTENSION, FORMAT_LABEL, exportSource, remapAnalysis, toNormalizedOffsets } = heavy();
  const pick = await vscode.window.showQuickPick(
    // ClaimReview needs the publisher and the claims' evidence: `marginalia export --format claimreview` writes it.
    EXPORT_FORMATS.filter((f) => f !== 'claimreview').map((f) => ({ label: FORMAT_LABEL[f], description: EXPORT_SUFFIX[f], format: f })),
    { title: 'Marginalia: Export', placeHolder: `Export ${src.relPath} as…` },
  );
  if (!pick) return;
  const format: ExportFormat = pick.format;
  let analysis: Analysis | undefined;
  if (src.document && deps.analysisFor) {
    await deps.whenIdle?.();
    const a = deps.analysisFor(src.uri);
    // The editor counts in document.getText() (CRLF kept); exports count in the normalised text.
    if (a) analysis = remapAnalysis(a, toNormalizedOffsets(src.document.getText()));
  }
  const { annotations, orphans } = anchored(src.text, src.parsed?.sidecar.annotations ?? []);
  const body = exportSource(format, { path: src.relPath, text: src.text, annotations, orphans, analysis });
  // Reports go to the export folder (`marginalia.export.folder`), never beside the source: a report
  // there would be taken for a source and listed in the views.
  const folder = vscode.workspace.getWorkspaceFolder(src.uri);
  // Named after the whole source name, as the command line names it (`a.txt` → `a.txt.ann`), so
  // `a.txt` and `a.md` never share a file.
  let defaultUri = src.uri.with({ path: `${src.uri.path}${EXPORT_SUFFIX[format]}` });
  if (folder) {
    const dir = vscode.Uri.joinPath(folder.uri, ...exportFolder().split('/'));
    defaultUri = vscode.Uri.joinPath(dir, `${src.relPath}${EXPORT_SUFFIX[format]}`);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(defaultUri, '..'));
  }
  const dest = await vscode.window.showSaveDialog({
    defaultUri,
    filters: { [FORMAT_LABEL[format]]: [FORMAT_EXTENSION[format]] },
    title: `Export ${src.relPath} — ${FORMAT_LABEL[format]}`,
  });
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
  const choice = await vscode.window.showInformationMessage(
    `Marginalia: exported ${annotations.length} annotation(s)${analysis ? `, ${analysis.mentions.length} mentions and ${analysis.quotes.length} quotations` : ''}${notes.length ? ` — ${notes.join('; ')}` : ''}.`,
    open,
  );
  if (choice === open) await vscode.window.showTextDocument(dest);
}

async function runImport(deps: InterchangeDeps, target?: vscode.Uri): Promise<void> {
  const src = await sourceContext(target);
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
  // of a newer format (shown read-only). The import itself is the core's, as on the command line:
  // merged under the sidecar's lock with what is on disk, checked before it replaces anything.
  if (!vscode.workspace.isTrusted) throw new Error('Restricted mode: annotations are read-only until the workspace is trusted; nothing was imported');
  const folder = vscode.workspace.getWorkspaceFolder(src.uri);
  if (!folder) throw new Error(`${src.relPath} is not in a workspace folder: Marginalia imports only into sidecars inside the workspace`);
  const format: ImportFormat = file.path.toLowerCase().endsWith('.ann') ? 'brat' : 'w3c';
  const content = await readText(file);
  if (content === undefined) throw new Error(`cannot read ${file.toString()}`);
  const { importIntoProject, importSummary } = heavy();
  const result = await importIntoProject(projectOf(folder), src.uri.path, format, content, {
    now: new Date().toISOString(),
    newId: ulidFactory(),
    author: vscode.workspace.getConfiguration('marginalia', src.uri).get<string>('annotations.author') || undefined,
    text: src.document?.getText(),
  });
  for (const w of result.warnings) deps.log.warn(`import ${file.toString()}: ${w}`);
  const problems = result.warnings.length ? `, ${result.warnings.length} problem(s), see the Marginalia output` : '';
  const message = `Marginalia: imported into ${src.relPath}: ${importSummary(result)}${problems}.`;
  if (result.warnings.length || result.orphans.length) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
}

function guarded(deps: InterchangeDeps, what: string, f: (uri?: vscode.Uri) => Promise<void>) {
  return async (uri?: unknown) => {
    try {
      await f(uri instanceof vscode.Uri ? uri : undefined);
    } catch (e) {
      deps.log.error(e instanceof Error ? e : String(e));
      void vscode.window.showErrorMessage(`Marginalia: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

/** Registers *Export…* and *Import…*; the returned Disposable unregisters them. */
export function registerInterchangeCommands(deps: InterchangeDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(InterchangeCommands.export, guarded(deps, 'export', (u) => runExport(deps, u))),
    vscode.commands.registerCommand(InterchangeCommands.import, guarded(deps, 'import', (u) => runImport(deps, u))),
  );
}
