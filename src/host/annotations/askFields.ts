import type { Settings } from '../config';
import { ANNOTATION_KINDS, VERDICTS } from '../../core/sidecar/model';
import type { Annotation, AnnotationKind } from '../../core/sidecar';
import type { AnnotateArgs } from './commandSupport';
import { BACK, inputStep, pickStep, type PickItem, type StepOptions, type StepResult } from './flow';
import { clipWords, describeQuickEntry, parseQuickEntry, type QuickEntry } from './quickEntry';

// The annotate and edit flow: one quick input per field, with a step count and Back.

const KIND_DESCRIPTIONS: Record<AnnotationKind, string> = {
  note: 'A note on the passage', claim: 'A claim to check', question: 'An open question', verdict: 'A fact-check verdict',
  tag: 'Tags only', link: 'A link to another source', correction: 'A correction of the text',
};

type Step = 'kind' | 'verdict' | 'note' | 'tags';
type KindPick = AnnotationKind | { quick: QuickEntry };

/** The flow's state: what `args` gave, the annotation being edited, the verdict scale and the answers so far. */
interface Flow {
  args: AnnotateArgs | undefined;
  current: Annotation | undefined;
  scale: string[];
  draft: { kind?: AnnotationKind; verdict?: string; note?: string; tags?: string[] };
}

/** A step's answer (BACK, or undefined when the flow was cancelled), or the whole fields of a quick entry. */
interface Outcome {
  r: StepResult<unknown>;
  done?: Partial<Annotation>;
}

/** `marginalia.annotations.verdicts` when it is a list of words, else the default scale. */
function verdictScale(custom: unknown): string[] {
  return Array.isArray(custom) && custom.every((v) => typeof v === 'string') && custom.length > 0 ? custom as string[] : [...VERDICTS];
}

/**
 * Ask for the fields, one step at a time with a step count and Back (skipping what `args` gives):
 * kind (where a one-line quick entry such as `claim: false #casualties the note` saves at once),
 * then the verdict for claims and verdicts, the note and the tags. Editing preselects the current
 * values, so pressing Enter through the steps changes nothing.
 */
export async function askFields(config: Settings, args: AnnotateArgs | undefined, current?: Annotation, about?: string): Promise<Partial<Annotation> | undefined> {
  if (args?.kind !== undefined && args.note !== undefined) return fieldsFromArgs(args, args.kind, args.note);
  const flow: Flow = {
    args,
    current,
    scale: verdictScale(config.current.verdicts),
    draft: {
      kind: args?.kind ?? current?.kind,
      verdict: args?.verdict ?? current?.verdict,
      note: args?.note ?? current?.note,
      tags: args?.tags ?? current?.tags,
    },
  };
  const what = about ? ` “${clipWords(about, 40)}”` : '';
  const titleFor = (kind?: AnnotationKind): string => `Marginalia: ${current ? 'Edit Annotation' : `Annotate${what}`}${kind ? ` — ${kind}` : ''}`;
  for (let i = 0; ;) {
    const steps = stepsFor(args, flow.draft.kind);
    if (i >= steps.length) break;
    const step = steps[i]!;
    const at = { title: titleFor(step === 'kind' ? undefined : flow.draft.kind), step: i + 1, totalSteps: steps.length };
    const { r, done } = await ASK[step](flow, at);
    if (done) return done;
    if (r === undefined) return undefined;
    i = r === BACK ? Math.max(0, i - 1) : i + 1;
  }
  return fieldsOfDraft(flow.draft);
}

/** Every field given by the arguments: nothing is asked. */
function fieldsFromArgs(args: AnnotateArgs, kind: AnnotationKind, note: string): Partial<Annotation> {
  const fields: Partial<Annotation> = { kind, note: note || undefined };
  if (args.tags) fields.tags = args.tags;
  if (args.verdict !== undefined) fields.verdict = args.verdict || undefined;
  return fields;
}

/** The steps still to ask, for the kind chosen so far (a verdict only for claims and verdicts). */
function stepsFor(args: AnnotateArgs | undefined, kind?: AnnotationKind): Step[] {
  const steps: Step[] = [];
  if (args?.kind === undefined) steps.push('kind');
  if (args?.verdict === undefined && (kind === 'claim' || kind === 'verdict')) steps.push('verdict');
  if (args?.note === undefined) steps.push('note');
  if (args?.tags === undefined) steps.push('tags');
  return steps;
}

function fieldsOfDraft(draft: Flow['draft']): Partial<Annotation> {
  const fields: Partial<Annotation> = { kind: draft.kind ?? 'note', note: draft.note || undefined, tags: draft.tags?.length ? draft.tags : undefined };
  fields.verdict = draft.verdict || undefined;
  return fields;
}

const ASK: Record<Step, (flow: Flow, at: StepOptions) => Promise<Outcome>> = { kind: askKind, verdict: askVerdict, note: askNote, tags: askTags };

/** The kind, or a whole quick entry typed into the same box (which saves at once). */
async function askKind({ current, scale, draft }: Flow, at: StepOptions): Promise<Outcome> {
  const r = await pickStep<KindPick>({
    ...at,
    items: ANNOTATION_KINDS.map((k) => ({ label: k, description: `${KIND_DESCRIPTIONS[k]}${current?.kind === k ? ' (current)' : ''}`, value: k })),
    active: draft.kind ?? 'note',
    placeholder: current ? `Kind (now: ${current.kind})` : 'Kind — or type a whole entry: claim: false #casualties the figure is from 2021',
    onValue: (v) => {
      const q = parseQuickEntry(v, ANNOTATION_KINDS, scale);
      // A verdict annotation needs its verdict: without one the steps go on.
      if (!q || (q.kind === 'verdict' && !q.verdict)) return [];
      return [{ label: `$(check) Save ${describeQuickEntry(q)}`, description: 'quick entry', alwaysShow: true, value: { quick: q } }];
    },
  });
  if (r && r !== BACK && typeof r === 'object') return { r, done: fieldsOfQuickEntry(r.quick, current) };
  if (typeof r === 'string') draft.kind = r;
  return { r };
}

function fieldsOfQuickEntry(q: QuickEntry, current: Annotation | undefined): Partial<Annotation> {
  const fields: Partial<Annotation> = { kind: q.kind as AnnotationKind, note: q.note };
  if (q.tags.length || current?.tags) fields.tags = q.tags.length ? q.tags : current?.tags;
  fields.verdict = q.verdict ?? current?.verdict;
  return fields;
}

async function askVerdict({ current, scale, draft }: Flow, at: StepOptions): Promise<Outcome> {
  const none = Symbol('none');
  const items: PickItem<string | typeof none>[] = scale.map((v) => ({ label: v, description: current?.verdict === v ? '(current)' : undefined, value: v }));
  if (draft.kind !== 'verdict') items.unshift({ label: 'no verdict yet', description: current && !current.verdict ? '(current)' : undefined, value: none });
  const active = draft.verdict && scale.includes(draft.verdict) ? draft.verdict : draft.kind === 'verdict' ? scale[0] : none;
  const r = await pickStep<string | typeof none>({ ...at, items, active, placeholder: draft.kind === 'verdict' ? 'The verdict' : 'The verdict, if you have one' });
  if (r === none) draft.verdict = undefined;
  else if (typeof r === 'string') draft.verdict = r;
  return { r };
}

async function askNote({ draft }: Flow, at: StepOptions): Promise<Outcome> {
  const r = await inputStep({ ...at, value: draft.note ?? '', prompt: 'Your note (optional)', placeholder: 'e.g. The figure is from 2021' });
  if (typeof r === 'string') draft.note = r;
  return { r };
}

async function askTags({ draft }: Flow, at: StepOptions): Promise<Outcome> {
  const r = await inputStep({ ...at, value: (draft.tags ?? []).join(', '), prompt: 'Tags, separated by commas (optional)', placeholder: 'e.g. casualties, sources' });
  if (typeof r === 'string') draft.tags = r.split(',').map((t) => t.trim().replace(/^#/, '')).filter(Boolean);
  return { r };
}
