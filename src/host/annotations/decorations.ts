import * as vscode from 'vscode';
import type { Annotation } from '../../core/sidecar';
import type { AnnotationStore, SourceEntry } from './store';

/** Escape user text for a Markdown string that also holds trusted command links. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&:]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, '  \n');
}

const HOVER_COMMANDS = ['marginalia.editAnnotation', 'marginalia.deleteAnnotation'];

function commandLink(title: string, command: string, arg: unknown): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([arg]))} "${title}")`;
}

/** The hover card of an annotation: user text escaped, only Edit/Delete command links enabled. */
export function annotationHover(entry: SourceEntry, a: Annotation): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = { enabledCommands: HOVER_COMMANDS };
  md.supportHtml = false;
  md.supportThemeIcons = false;
  const head = [`**${escapeMarkdown(a.kind)}**`];
  if (a.verdict) head.push(`verdict: **${escapeMarkdown(a.verdict)}**`);
  // Tags are escaped like any user text: a code span would end at a blank line inside a tag and
  // let the rest be read as Markdown (a trusted `command:` link).
  if (a.tags?.length) head.push(a.tags.map((t) => escapeMarkdown(`#${t}`)).join(' '));
  md.appendMarkdown(`${head.join(' · ')}\n\n`);
  if (a.note) md.appendMarkdown(`${escapeMarkdown(a.note)}\n\n`);
  const meta = [a.author ? escapeMarkdown(a.author) : '', a.modified ?? a.created ? escapeMarkdown((a.modified ?? a.created)!.slice(0, 10)) : ''].filter(Boolean);
  if (meta.length) md.appendMarkdown(`*${meta.join(' · ')}*\n\n`);
  if (a.conflict) md.appendMarkdown('*Merge conflict: another version is kept under `conflict` in the sidecar.*\n\n');
  if (!entry.readOnly) {
    const arg = { uri: entry.sourceUri.toString(), id: a.id };
    md.appendMarkdown(`${commandLink('Edit', 'marginalia.editAnnotation', arg)} · ${commandLink('Delete', 'marginalia.deleteAnnotation', arg)}`);
  } else {
    md.appendMarkdown('*Read-only*');
  }
  return md;
}

/** Paints annotations (a themeable background, an underline, a gutter icon) and provides their hovers. */
export class AnnotationDecorations implements vscode.Disposable {
  private readonly type: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  /** Ranges last painted per editor document (for tests). */
  readonly painted = new Map<string, vscode.Range[]>();

  constructor(private readonly store: AnnotationStore, extensionUri: vscode.Uri) {
    this.type = vscode.window.createTextEditorDecorationType({
      backgroundColor: new vscode.ThemeColor('marginalia.annotationBackground'),
      borderWidth: '0 0 2px 0',
      borderStyle: 'dotted',
      borderColor: new vscode.ThemeColor('marginalia.annotationBorder'),
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'annotation.svg'),
      gutterIconSize: '80%',
      overviewRulerColor: new vscode.ThemeColor('marginalia.annotationBorder'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedOpen,
    });
    this.disposables.push(
      this.type,
      store.onDidChange(() => this.paintAll()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.paintAll()),
      vscode.languages.registerHoverProvider({ scheme: '*' }, { provideHover: (doc, pos) => this.hover(doc, pos) }),
    );
    this.paintAll();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  paintAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.paint(editor);
  }

  private paint(editor: vscode.TextEditor): void {
    const e = this.store.get(editor.document.uri);
    const ranges: vscode.DecorationOptions[] = [];
    if (e && e.liveDoc === editor.document) {
      for (const a of e.sidecar.annotations) {
        const r = e.rangeOf(a.id);
        if (r && !a.orphan) ranges.push({ range: r });
      }
    }
    this.painted.set(editor.document.uri.toString(), ranges.map((r) => r.range));
    editor.setDecorations(this.type, ranges);
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const e = this.store.get(doc.uri);
    if (!e || e.liveDoc !== doc) return undefined;
    const offset = doc.offsetAt(pos);
    const hits = e.sidecar.annotations.filter((a) => {
      const s = e.live?.get(a.id);
      return s && !a.orphan && s.start <= offset && offset < s.end;
    });
    if (hits.length === 0) return undefined;
    const first = e.rangeOf(hits[0]!.id);
    return new vscode.Hover(hits.map((a) => annotationHover(e, a)), first);
  }
}
