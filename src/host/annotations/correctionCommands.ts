/**
 * The recognition corrections of the palette, the context menu and the hovers: Set Entity Type (this
 * mention or all of the entity's), Merge With Entity, Ignore Entity and Set Quotation Speaker (on a
 * quotation or a reported statement — its content or its cue; the continuation quotations of the same
 * speaker and the quotation-mark fragments of a reported statement follow). Each writes corrections to the sidecar.
 */
import * as vscode from 'vscode';
import type { Correction } from '../../core/sidecar';
import { ENTITY_TYPES, type Analysis, type EntityType, type Quote } from '../../core/types';
import { isReported, quoteIndexAt, speakerFollowers } from '../attributions';
import type { AnnotateArgs, ItemRef } from './commandSupport';
import { BACK, pickStep, type PickItem } from './flow';
import { clipWords } from './quickEntry';
import type { AnnotationStore } from './store';

export interface CorrectionContext {
  store: AnnotationStore;
  analysisFor: (uri: vscode.Uri) => Analysis | undefined;
  /** The range the command works on (its arguments, else the selection). */
  rangeOf: (args: AnnotateArgs | undefined) => Promise<{ editor: vscode.TextEditor; start: number; end: number } | undefined>;
  /** True (and the user told, with actions) when the source's annotations are read-only. */
  refuseIfReadOnly: (uri: vscode.Uri) => Promise<boolean>;
}

const NOT_NAMES = new Set(['i', 'my', 'me', 'we', 'our', 'us', 'you', 'your', 'he', 'she', 'it', 'they', 'them', 'his', 'her', 'its', 'their', 'the', 'this', 'that', 'mr', 'mrs', 'ms', 'dr']);

/** A speaker name worth offering: words of two letters or more, not pronouns or initials ("I. My" is not). */
function plausibleName(name: string): boolean {
  const words = name.trim().split(/\s+/);
  if (!words.length || words.some((w) => /\.$/.test(w) && w.length <= 3)) return false;
  if (words.every((w) => NOT_NAMES.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')))) return false;
  return words.some((w) => /^\p{Lu}\p{L}/u.test(w));
}

type EditorRange = { editor: vscode.TextEditor; start: number; end: number };

export function correctionCommands(ctx: CorrectionContext): {
  setEntityType: (args?: AnnotateArgs & { type?: EntityType; scope?: 'mention' | 'all' }) => Promise<ItemRef | undefined>;
  mergeEntity: (args?: AnnotateArgs & { canonical?: string }) => Promise<ItemRef | undefined>;
  ignoreEntity: (args?: AnnotateArgs) => Promise<ItemRef | undefined>;
  setSpeaker: (args?: AnnotateArgs & { speaker?: string }) => Promise<ItemRef | undefined>;
} {
  return {
    setEntityType: (args) => setEntityType(ctx, args),
    mergeEntity: (args) => mergeEntity(ctx, args),
    ignoreEntity: (args) => correct(ctx, { action: 'ignore' }, args),
    setSpeaker: (args) => setSpeaker(ctx, args),
  };
}

/** The command's range, snapped to the recognised mention under a selection of at most one character. */
async function correctionRange(ctx: CorrectionContext, args?: AnnotateArgs): Promise<EditorRange | undefined> {
  const r = await ctx.rangeOf(args);
  if (!r) return undefined;
  // Snap to the recognised mention under the selection, if any.
  const analysis = ctx.analysisFor(r.editor.document.uri);
  const m = analysis?.mentions.find((x) => x.start <= r.start && r.end <= x.end) ?? analysis?.mentions.find((x) => x.start < r.end && r.start < x.end);
  if (m && r.end - r.start <= 1) return { editor: r.editor, start: m.start, end: m.end };
  return r;
}

/** Writes one correction on the command's range. */
async function correct(ctx: CorrectionContext, fields: Partial<Correction>, args?: AnnotateArgs): Promise<ItemRef | undefined> {
  const r = await correctionRange(ctx, args);
  if (!r) return undefined;
  const { entry, item } = await ctx.store.add(r.editor.document, r.start, r.end, fields, 'corrections');
  return { uri: entry.key, id: item.id };
}

/** Set Entity Type: the type (given or picked), on this mention or on all of the entity's (given or asked). */
async function setEntityType(ctx: CorrectionContext, args?: AnnotateArgs & { type?: EntityType; scope?: 'mention' | 'all' }): Promise<ItemRef | undefined> {
  const r = await correctionRange(ctx, args);
  if (!r) return undefined;
  if (await ctx.refuseIfReadOnly(r.editor.document.uri)) return undefined;
  const analysis = ctx.analysisFor(r.editor.document.uri);
  const mention = analysis?.mentions.find((m) => m.start === r.start && m.end === r.end);
  const entity = mention && analysis?.entities.find((e) => e.id === mention.entityId);
  const surface = r.editor.document.getText().slice(r.start, r.end);
  const type = args?.type || (await pickEntityType(surface, mention?.type, !!entity && entity.mentions.length > 1));
  if (!type) return undefined;
  let scope = args?.scope ?? (args?.type ? 'mention' : 'all');
  if (!args?.type && !args?.scope && entity && entity.mentions.length > 1) {
    const picked = await pickScope(type, entity);
    if (!picked) return undefined;
    scope = picked;
  }
  const spans = scope === 'all' && entity ? entity.mentions : [{ start: r.start, end: r.end }];
  let first: ItemRef | undefined;
  for (const sp of spans) {
    const { entry, item } = await ctx.store.add(r.editor.document, sp.start, sp.end, { action: 'entity-type', type }, 'corrections');
    first ??= { uri: entry.key, id: item.id };
  }
  return first;
}

/** The first step of Set Entity Type: the type (the second, the scope, follows for an entity of several mentions). */
async function pickEntityType(surface: string, current: EntityType | undefined, twoSteps: boolean): Promise<EntityType | undefined> {
  const items: PickItem<EntityType>[] = ENTITY_TYPES.map((t) => ({ label: t, description: t === current ? '(current)' : undefined, value: t }));
  const picked = await pickStep<EntityType>({
    title: `Marginalia: Set Entity Type — “${clipWords(surface, 40)}”`, step: 1, totalSteps: twoSteps ? 2 : 1,
    items, active: ENTITY_TYPES.find((t) => t !== current), placeholder: current ? `Now: ${current}. This text is a…` : 'This text is a…',
  });
  return !picked || picked === BACK ? undefined : picked;
}

async function pickScope(type: EntityType, entity: { canonical: string; mentions: readonly unknown[] }): Promise<'mention' | 'all' | undefined> {
  const picked = await pickStep<'mention' | 'all'>({
    title: `Marginalia: Set Entity Type — ${type}`, step: 2, totalSteps: 2,
    items: [
      { label: `All ${entity.mentions.length} mentions of ${entity.canonical}`, value: 'all' },
      { label: 'This mention only', value: 'mention' },
    ],
    active: 'all', placeholder: 'Correct which mentions?',
  });
  return !picked || picked === BACK ? undefined : picked;
}

/** Merge With Entity: the canonical name given, picked from the source's entities, or typed. */
async function mergeEntity(ctx: CorrectionContext, args?: AnnotateArgs & { canonical?: string }): Promise<ItemRef | undefined> {
  let canonical = args?.canonical;
  if (!canonical) {
    const editor = vscode.window.activeTextEditor;
    const analysis = editor && ctx.analysisFor(editor.document.uri);
    const names = [...new Set((analysis?.entities ?? []).map((e) => e.canonical))].sort();
    const pick = await vscode.window.showQuickPick([...names.map((n) => ({ label: n })), { label: '$(edit) Another name…' }], { placeHolder: 'Merge with the entity…' });
    if (!pick) return undefined;
    canonical = pick.label.startsWith('$(edit)') ? await vscode.window.showInputBox({ prompt: 'Canonical name of the entity' }) : pick.label;
    if (!canonical) return undefined;
  }
  return correct(ctx, { action: 'merge', canonical }, args);
}

/**
 * Set Quotation Speaker on the quotation or reported statement at the range; the speaker given, or
 * picked (empty: no speaker).
 */
async function setSpeaker(ctx: CorrectionContext, args?: AnnotateArgs & { speaker?: string }): Promise<ItemRef | undefined> {
  const r = await correctionRange(ctx, args);
  if (!r) return undefined;
  if (await ctx.refuseIfReadOnly(r.editor.document.uri)) return undefined;
  const analysis = ctx.analysisFor(r.editor.document.uri);
  const quotes = analysis?.quotes ?? [];
  // The innermost quotation or reported statement at the selection, or the statement whose cue it is on.
  const at = quoteIndexAt(quotes, r.start, r.end, true);
  // A quotation-mark fragment of a reported statement is corrected with the statement (it follows).
  const part = at >= 0 ? quotes[at].partOf : undefined;
  const qi = part !== undefined && part >= 0 && part < quotes.length ? part : at;
  const quote = qi >= 0 ? quotes[qi] : undefined;
  const speaker = args?.speaker !== undefined ? args.speaker : await pickSpeaker(analysis, quote);
  if (speaker === undefined) return undefined;
  const ref = await correct(ctx, { action: 'speaker', speaker }, quote ? { ...args, uri: r.editor.document.uri.toString(), start: quote.start, end: quote.end } : args);
  // The quotation-mark fragments of a reported statement, and the continuation quotations that
  // followed this one's speaker, follow the correction too.
  if (quote) {
    for (const j of speakerFollowers(quotes, qi)) {
      await correct(ctx, { action: 'speaker', speaker }, { uri: r.editor.document.uri.toString(), start: quotes[j].start, end: quotes[j].end });
    }
  }
  return ref;
}

/** The speaker picked among the source's people and organisations, typed, or '' for none; undefined when cancelled. */
async function pickSpeaker(analysis: Analysis | undefined, quote: Quote | undefined): Promise<string | undefined> {
  const reported = quote !== undefined && isReported(quote);
  const current = quote?.speaker?.name;
  const people = [...new Set((analysis?.entities ?? []).filter((e) => (e.type === 'person' || e.type === 'organization') && plausibleName(e.canonical)).map((e) => e.canonical))].sort();
  if (current && !people.includes(current)) people.unshift(current);
  const EDIT = '\u0000edit';
  const NONE = '\u0000none';
  const items: PickItem<string>[] = [
    ...people.map((n) => ({ label: n, description: n === current ? '(current)' : undefined, value: n })),
    { label: '$(edit) Another speaker…', value: EDIT },
    { label: '$(circle-slash) No speaker', description: quote && !quote.speaker ? '(current)' : undefined, value: NONE },
  ];
  const picked = await pickStep<string>({
    title: 'Marginalia: Set Quotation Speaker', step: 1, totalSteps: 1, items, active: current ?? people[0],
    placeholder: reported ? (current ? `Now: ${current}. Whose reported speech is this?` : 'Whose reported speech is this?') : current ? `Now: ${current}. Who said this quotation?` : 'Who said this quotation?',
  });
  if (!picked || picked === BACK) return undefined;
  if (picked === NONE) return '';
  if (picked === EDIT) return vscode.window.showInputBox({ title: 'Marginalia: Set Quotation Speaker', prompt: 'The speaker\'s name', value: current ?? '' });
  return picked;
}
