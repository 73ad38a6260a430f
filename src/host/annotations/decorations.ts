import * as vscode from 'vscode';
import { Commands } from '../commands';
import type { Annotation } from '../../core/sidecar';
import { escapeMarkdown, escapeMarkdownLines } from '../../core/text/escape';
import { evidenceMarkdown } from './evidenceCard';
import type { EvidenceTexts } from './evidenceTexts';
import type { AnnotationStore, SourceEntry } from './store';
import { badgeText, VERDICT_CLASSES, verdictClass, verdictColorId, type VerdictClass } from './verdicts';

// User text in a Markdown string that also holds trusted command links is escaped by the one rule of
// src/core/text/escape.ts (inline text on one line; a note keeps its lines as hard line breaks).

const HOVER_COMMANDS = [Commands.editAnnotation, Commands.deleteAnnotation, Commands.openEvidence];

function commandLink(title: string, command: string, arg: unknown): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([arg]))} "${title}")`;
}

/**
 * The hover card of an annotation: user text escaped, only Edit/Delete and Open Evidence command
 * links enabled. `evidence`: the claim's Evidence section (evidenceCard.ts, already escaped).
 */
export function annotationHover(entry: SourceEntry, a: Annotation, evidence = ''): vscode.MarkdownString {
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
  if (a.note) md.appendMarkdown(`${escapeMarkdownLines(a.note)}\n\n`);
  const meta = [a.author ? escapeMarkdown(a.author) : '', a.modified ?? a.created ? escapeMarkdown((a.modified ?? a.created)!.slice(0, 10)) : ''].filter(Boolean);
  if (meta.length) md.appendMarkdown(`*${meta.join(' · ')}*\n\n`);
  if (a.conflict) md.appendMarkdown('*Merge conflict: another version is kept under `conflict` in the sidecar.*\n\n');
  if (evidence) md.appendMarkdown(`${evidence}\n\n`);
  if (!entry.readOnly) {
    const arg = { uri: entry.sourceUri.toString(), id: a.id };
    md.appendMarkdown(`${commandLink('Edit', Commands.editAnnotation, arg)} · ${commandLink('Delete', Commands.deleteAnnotation, arg)}`);
  } else {
    md.appendMarkdown('*Read-only*');
  }
  return md;
}

/**
 * Paints annotations: a themeable background and underline, a gutter icon and an overview-ruler
 * mark in the colour of the verdict, and (toggleable) a badge at the end of the annotated line in
 * the manner of Error Lens — `false · The figure is from 2021` — in the same colour. Also provides
 * their hovers.
 */
export class AnnotationDecorations implements vscode.Disposable {
  private readonly types: Record<VerdictClass, vscode.TextEditorDecorationType>;
  private readonly badge: vscode.TextEditorDecorationType;
  private readonly disposables: vscode.Disposable[] = [];
  /** Ranges last painted per editor document (for tests). */
  readonly painted = new Map<string, vscode.Range[]>();

  constructor(private readonly store: AnnotationStore, extensionUri: vscode.Uri, private readonly evidence?: EvidenceTexts) {
    const make = (c: VerdictClass): vscode.TextEditorDecorationType => vscode.window.createTextEditorDecorationType({
      backgroundColor: new vscode.ThemeColor('marginalia.annotationBackground'),
      borderWidth: '0 0 2px 0',
      borderStyle: 'dotted',
      borderColor: new vscode.ThemeColor(verdictColorId(c)),
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', c === 'none' ? 'annotation.svg' : `verdict-${c}.svg`),
      gutterIconSize: '80%',
      overviewRulerColor: new vscode.ThemeColor(verdictColorId(c)),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedOpen,
    });
    this.types = Object.fromEntries(VERDICT_CLASSES.map((c) => [c, make(c)])) as Record<VerdictClass, vscode.TextEditorDecorationType>;
    this.badge = vscode.window.createTextEditorDecorationType({
      after: { margin: '0 0 0 2em', fontStyle: 'italic' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.disposables.push(
      ...Object.values(this.types),
      this.badge,
      store.onDidChange(() => this.paintAll()),
      // A pure shift: only the editors of that source, nothing else.
      store.onDidShift((e) => {
        for (const editor of vscode.window.visibleTextEditors) if (editor.document === e.liveDoc) this.paint(editor);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.paintAll()),
      store.config.onDidChange((e) => {
        if (e.affects('annotations.inlineBadge')) this.paintAll();
      }),
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
    const byClass = new Map<VerdictClass, vscode.DecorationOptions[]>(VERDICT_CLASSES.map((c) => [c, []]));
    const badges = new Map<number, { range: vscode.Range; texts: string[]; color: string }>();
    const all: vscode.Range[] = [];
    if (e && e.liveDoc === editor.document) {
      for (const a of e.sidecar.annotations) {
        const r = e.rangeOf(a.id);
        if (!r || a.orphan) continue;
        const c = verdictClass(a.verdict);
        byClass.get(c)!.push({ range: r });
        all.push(r);
        const line = r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
        const end = editor.document.lineAt(line).range.end;
        const b = badges.get(line) ?? { range: new vscode.Range(end, end), texts: [], color: verdictColorId(c) };
        b.texts.push(badgeText(a.kind, a.verdict, a.note));
        badges.set(line, b);
      }
    }
    this.painted.set(editor.document.uri.toString(), all);
    for (const c of VERDICT_CLASSES) editor.setDecorations(this.types[c], byClass.get(c)!);
    const on = this.store.config.current.inlineBadge; // marginalia.annotations.inlineBadge
    editor.setDecorations(this.badge, on ? [...badges.values()].map((b) => ({
      range: b.range,
      renderOptions: { after: { contentText: b.texts.length > 1 ? `${b.texts[0]} (+${b.texts.length - 1})` : b.texts[0], color: new vscode.ThemeColor(b.color) } },
    })) : []);
  }

  private async hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const e = this.store.get(doc.uri);
    if (!e || e.liveDoc !== doc) return undefined;
    const offset = doc.offsetAt(pos);
    const hits = e.sidecar.annotations.filter((a) => {
      const s = e.live?.get(a.id);
      return s && !a.orphan && s.start <= offset && offset < s.end;
    });
    if (hits.length === 0) return undefined;
    const first = e.rangeOf(hits[0]!.id);
    const cards: vscode.MarkdownString[] = [];
    for (const a of hits) {
      // Each link anchored on its source's current text (read if needed): orphans listed as such.
      const views = a.evidence?.length && this.evidence ? await this.evidence.viewsNow(e, a) : [];
      cards.push(annotationHover(e, a, evidenceMarkdown(views, { uri: e.sourceUri.toString(), id: a.id })));
    }
    return new vscode.Hover(cards, first);
  }
}
