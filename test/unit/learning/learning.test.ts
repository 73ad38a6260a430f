/**
 * Learning from the user's corrections: workspace-wide corrections, the tagger's
 * learned change, Forget, no learning when it is off, and linear time.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTarget } from '../../../src/core/anchor';
import { analyze } from '../../../src/core/analyze';
import { adaptModel, deltaOf, loadTaggerModel, tagDocument, type TaggerModel } from '../../../src/core/ner/tagger';
import { trainDelta } from '../../../src/core/ner/tagger/adapt';
import {
  LEARNING_STATE_PATH,
  anchorItems,
  gatherCorrections,
  Project,
  WorkspaceLearner,
  analyzeSource,
  formatLearningState,
  learningKey,
  parseLearningState,
  sentencesOf,
  workspaceLearning,
  writeSidecar,
  type SourceCorrections,
} from '../../../src/core/project';
import { hashText } from '../../../src/core/sidecar/hash';
import { emptySidecar, type Correction } from '../../../src/core/sidecar/model';
import type { EntityType, Mention } from '../../../src/core/types';
import { nodeFs, toProjectPath, workspaceLearningEnabled } from '../../../src/cli/nodeFs';
import { scanFile } from '../../../src/cli/scan';
import { assertLinear } from '../adversarial/harness';

const root = join(__dirname, '..', '..', '..');
const MODEL_FILE = join(root, 'media', 'model', 'ner.bin');
const model: TaggerModel = loadTaggerModel(new Uint8Array(readFileSync(MODEL_FILE)));

let n = 0;
function correction(text: string, exact: string, action: Correction['action'], type?: EntityType, at = 0): Correction {
  const start = text.indexOf(exact, at);
  assert.ok(start >= 0, `${exact} not in the text`);
  // ids increase with n, dated 2026-01-01 + n ms (ULID time part)
  const id = `01KDRJ${String(n++).padStart(4, '0')}ZZZZZZZZZZZZZZZZ`.slice(0, 26);
  const c: Correction = { id, action, target: makeTarget(text, start, start + exact.length), created: new Date(Date.parse('2026-01-01T00:00:00Z') + n).toISOString() };
  if (type) c.type = type;
  return c;
}

/** A name type other than `type` (what a correction of the base model's reading sets). */
function other(type: string | undefined): EntityType {
  return type === 'organization' ? 'person' : 'organization';
}

function typeOf(mentions: readonly Mention[], text: string, exact: string): string | undefined {
  const start = text.indexOf(exact);
  return mentions.find((m) => m.start === start && m.end === start + exact.length)?.type;
}

/** A temporary workspace with these sources and their corrections written by the project layer's writer. */
async function workspace(files: Record<string, string>, corrections: Record<string, Correction[]> = {}): Promise<{ dir: string; project: Project }> {
  const dir = mkdtempSync(join(tmpdir(), 'marginalia-learning-'));
  const project = new Project(nodeFs, toProjectPath(dir));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  for (const [name, list] of Object.entries(corrections)) {
    const source = toProjectPath(join(dir, name));
    await writeSidecar(nodeFs, project.sidecarFor(source), (current) => {
      const base = current.parsed?.sidecar ?? emptySidecar(project.sourceField(source), hashText(files[name]));
      return { ...base, corrections: [...base.corrections, ...list] };
    });
  }
  return { dir, project };
}

describe('learning from corrections', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe('workspace-wide corrections', () => {
    const a = 'Reporters met Quillon Varde at the harbour. Quillon Varde said the ships were late.\n';
    const b = 'Later that week Quillon Varde spoke again about the harbour.\n';

    it('a correction made in one source applies in another (CLI scan --workspace through the project layer)', async () => {
      const base = typeOf(analyze(b, { model }).mentions, b, 'Quillon Varde');
      const to = other(base);
      const { dir } = await workspace({ 'a.txt': a, 'b.txt': b }, { 'a.txt': [correction(a, 'Quillon Varde', 'entity-type', to)] });
      dirs.push(dir);
      const withWs = await scanFile({ file: join(dir, 'b.txt'), options: { model: MODEL_FILE }, workspace: dir, given: dir });
      assert.equal(withWs.error, undefined);
      assert.equal(typeOf(withWs.analysis!.mentions, b, 'Quillon Varde'), to);
      const m = withWs.analysis!.mentions.find((x) => x.text === 'Quillon Varde')!;
      // the correction retypes it, or the learned change already reads it so
      assert.ok(m.source === 'correction' || m.learned, `source ${m.source}`);
      // its own source too
      const own = await scanFile({ file: join(dir, 'a.txt'), options: { model: MODEL_FILE }, workspace: dir, given: dir });
      assert.ok(own.analysis!.mentions.filter((x) => x.text === 'Quillon Varde').every((x) => x.type === to));
      // without --workspace, a source has only its own sidecar's corrections
      const alone = await scanFile({ file: join(dir, 'b.txt'), options: { model: MODEL_FILE }, given: join(dir, 'b.txt') });
      assert.equal(typeOf(alone.analysis!.mentions, b, 'Quillon Varde'), base);
    });

    it('Ignore Entity applies by its text elsewhere (the latest correction of a name wins); scope "this" stays in its source; a source\'s own correction wins', async () => {
      const earlier = correction(b, 'Quillon Varde', 'entity-type', 'person');
      const ignore = correction(a, 'Quillon Varde', 'ignore');
      const local: Correction = { ...correction(a, 'harbour', 'entity-type', 'place'), scope: 'this' };
      const { dir, project } = await workspace({ 'a.txt': a, 'b.txt': b, 'c.txt': b }, { 'a.txt': [ignore, local], 'c.txt': [earlier] });
      dirs.push(dir);
      const { learning } = await workspaceLearning(project, model);
      const bKey = learningKey(project, toProjectPath(join(dir, 'b.txt')));
      const rb = analyzeSource(b, { model, learning, sourceKey: bKey });
      assert.equal(typeOf(rb.mentions, b, 'Quillon Varde'), undefined, 'ignored across the workspace');
      assert.equal(typeOf(rb.mentions, b, 'harbour'), undefined, 'scope this stays in a.txt');
      // c.txt's own Set Entity Type wins over a.txt's Ignore
      const cKey = learningKey(project, toProjectPath(join(dir, 'c.txt')));
      const own = anchorItems(b, [earlier]).items;
      const rc = analyzeSource(b, { model, learning, sourceKey: cKey, corrections: own });
      assert.equal(typeOf(rc.mentions, b, 'Quillon Varde'), 'person');
    });

    it('Set Entity Type of a shorter name never splits a longer mention elsewhere', async () => {
      const x = 'The Czech team played well.\n';
      const y = 'The Czech Republic won the match in Prague.\n';
      const { dir, project } = await workspace({ 'x.txt': x, 'y.txt': y }, { 'x.txt': [correction(x, 'Czech', 'entity-type', 'place')] });
      dirs.push(dir);
      const { learning } = await workspaceLearning(project, model, { enabled: false });
      const before = analyze(y, { model });
      const after = analyzeSource(y, { model, learning, sourceKey: 'y.txt' });
      assert.ok(typeOf(before.mentions, y, 'Czech Republic'), 'the base model reads the longer name');
      assert.equal(typeOf(after.mentions, y, 'Czech Republic'), typeOf(before.mentions, y, 'Czech Republic'));
      assert.equal(typeOf(after.mentions, y, 'Czech'), undefined);
    });
  });

  it('a source that is a link out of the workspace is never read: its corrections are left out and reported', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'marginalia-outside-'));
    dirs.push(outside);
    const secret = 'Quillon Varde holds the key hunter2.\n';
    writeFileSync(join(outside, 'secret.txt'), secret);
    const { dir, project } = await workspace({ 'link.txt': secret }, { 'link.txt': [correction(secret, 'Quillon Varde', 'entity-type', 'organization')] });
    dirs.push(dir);
    rmSync(join(dir, 'link.txt'));
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    const gathered = await gatherCorrections(project);
    assert.deepEqual(gathered.sources, []);
    assert.match(gathered.problems.join('\n'), /link\.txt is outside the workspace/);
  });

  describe('the tagger adapts', () => {
    const taught = 'The band Velvet Harbor played at the festival on Sunday.\n';
    const unseen = 'The band Stone Harbor played at the club on Friday.\n';
    const label = (t: string, name: string): string | undefined => tagDocument(model, t).find((s) => t.slice(s.start, s.end) === name)?.label;
    const to: EntityType = 'organization';
    const toLabel = 'ORG';
    const baseLabel = label(unseen, 'Stone Harbor');

    it('the base model does not read the bands as organisations (the error the test corrects; pick another example if a model gets it right)', () => {
      assert.notEqual(label(taught, 'Velvet Harbor'), 'ORG');
      assert.notEqual(baseLabel, 'ORG');
    });

    it('a correction changes a similar unseen name in a similar context, and marks it learned', async () => {
      const { dir, project } = await workspace({ 'a.txt': taught, 'b.txt': unseen }, { 'a.txt': [correction(taught, 'Velvet Harbor', 'entity-type', to)] });
      dirs.push(dir);
      const { learning } = await workspaceLearning(project, model);
      assert.ok(learning.delta && learning.delta.size > 0, 'a learned change');
      assert.equal(learning.stats.learnedCorrections, 1);
      const spans = tagDocument(learning.model as TaggerModel, unseen);
      assert.deepEqual(spans.map((s) => [unseen.slice(s.start, s.end), s.label, s.learned]), [['Stone Harbor', toLabel, true]]);
      // through the pipeline: the mention says where its label came from
      const r = analyzeSource(unseen, { model, learning, sourceKey: 'b.txt' });
      const m = r.mentions.find((x) => x.text === 'Stone Harbor')!;
      assert.equal(m.type, to);
      assert.equal(m.learned, true);
      assert.equal(m.source, 'model');
      // the base model is unchanged
      assert.equal(deltaOf(model), undefined);
      assert.equal(tagDocument(model, unseen).find((s) => unseen.slice(s.start, s.end) === 'Stone Harbor')?.label, baseLabel);
    });

    it('is deterministic and leaves unrelated text alone', () => {
      const c = correction(taught, 'Velvet Harbor', 'entity-type', to);
      const src: SourceCorrections[] = [{ key: 'a', text: taught, corrections: [c] }];
      const d1 = new WorkspaceLearner().derive(model, src).delta!;
      const d2 = new WorkspaceLearner().derive(model, src).delta!;
      assert.deepEqual([...d1.keys], [...d2.keys]);
      assert.deepEqual([...d1.weights], [...d2.weights]);
      const plain = 'Angela Merkel met Emmanuel Macron in Berlin on Monday.\n';
      const adapted = adaptModel(model, d1);
      assert.deepEqual(tagDocument(adapted, plain).map((s) => [s.start, s.end, s.label]), tagDocument(model, plain).map((s) => [s.start, s.end, s.label]));
    });

    it('Ignore teaches "not a name"', () => {
      const t = 'Fans of Kestrel Bay cheered loudly.\n';
      const c = correction(t, 'Kestrel Bay', 'ignore');
      const { sentences } = sentencesOf(model, t, [c]);
      assert.equal(sentences.length, 1);
      const delta = trainDelta(model, sentences);
      assert.deepEqual(tagDocument(adaptModel(model, delta), t), []);
    });
  });

  describe('Forget and switching learning off', () => {
    const taught = 'The band Velvet Harbor played at the festival on Sunday.\n';
    const unseen = 'The band Stone Harbor played at the club on Friday.\n';
    const baseType = typeOf(analyze(unseen, { model }).mentions, unseen, 'Stone Harbor');
    const to: EntityType = 'organization';

    it('Forget Learned Corrections (the reset marker) drops the learned change; the corrections still apply', async () => {
      const c = correction(taught, 'Velvet Harbor', 'entity-type', to);
      const { dir, project } = await workspace({ 'a.txt': taught, 'b.txt': 'Velvet Harbor toured again.\n' }, { 'a.txt': [c] });
      dirs.push(dir);
      assert.ok((await workspaceLearning(project, model)).learning.delta);
      mkdirSync(join(dir, '.marginalia'), { recursive: true });
      writeFileSync(join(dir, LEARNING_STATE_PATH), formatLearningState(new Date(Date.parse(c.created!) + 1).toISOString()));
      const { learning } = await workspaceLearning(project, model);
      assert.equal(learning.delta, undefined);
      assert.equal(learning.model, model);
      assert.equal(learning.stats.workspaceCorrections, 1);
      const r = analyzeSource('Velvet Harbor toured again.\n', { model, learning, sourceKey: 'b.txt' });
      assert.equal(r.mentions.find((m) => m.text === 'Velvet Harbor')?.type, to);
      // a correction made after the marker is learned again
      const later = { ...correction(taught, 'Velvet Harbor', 'entity-type', to), created: new Date(Date.parse(c.created!) + 10_000).toISOString() };
      assert.ok(new WorkspaceLearner().derive(model, [{ key: 'a', text: taught, corrections: [later] }], parseLearningState(readFileSync(join(dir, LEARNING_STATE_PATH), 'utf8'))).delta);
    });

    it('the marker: a malformed one reads as none', () => {
      assert.deepEqual(parseLearningState('{"forgottenBefore": "2026-01-01T00:00:00.000Z"}'), { forgottenBefore: '2026-01-01T00:00:00.000Z' });
      assert.deepEqual(parseLearningState('{'), {});
      assert.deepEqual(parseLearningState('{"forgottenBefore": "yesterday"}'), {});
    });

    it('learning off (a restricted workspace, or marginalia.learning.enabled: false) adapts nothing', async () => {
      const c = correction(taught, 'Velvet Harbor', 'entity-type', to);
      const off = new WorkspaceLearner().derive(model, [{ key: 'a', text: taught, corrections: [c] }], { enabled: false });
      assert.equal(off.delta, undefined);
      assert.equal(off.model, model);
      const { dir } = await workspace({ 'a.txt': taught, 'b.txt': unseen }, { 'a.txt': [c] });
      dirs.push(dir);
      mkdirSync(join(dir, '.vscode'));
      writeFileSync(join(dir, '.vscode', 'settings.json'), '{ "marginalia.learning.enabled": false }');
      assert.equal(workspaceLearningEnabled(dir), false);
      const r = await scanFile({ file: join(dir, 'b.txt'), options: { model: MODEL_FILE }, workspace: dir, given: dir });
      assert.equal(r.analysis!.mentions.find((m) => m.text === 'Stone Harbor')?.type, baseType);
    });
  });

  describe('time', () => {
    it('workspace-wide corrections: linear in sources × their text (1× vs 4× sources and corrections)', () => {
      const text = 'Reporters met Name0 at the harbour. Later Name1 spoke and Name2 left.\n';
      const make = (k: number): { learner: WorkspaceLearner; sources: SourceCorrections[] } => {
        const sources: SourceCorrections[] = [];
        for (let i = 0; i < k; i++) {
          const t = text.replace(/Name(\d)/g, (_, d: string) => `Name${i}x${d}`);
          sources.push({ key: `s${i}`, text: t, corrections: [correction(t, `Name${i}x0`, 'entity-type', 'person'), correction(t, `Name${i}x1`, 'ignore')] });
        }
        return { learner: new WorkspaceLearner(), sources };
      };
      const run = ({ learner, sources }: { learner: WorkspaceLearner; sources: SourceCorrections[] }): number => {
        const l = learner.derive(undefined, sources);
        let total = 0;
        for (const s of sources) total += l.correctionsFor(s.key, s.text!, []).length;
        return total;
      };
      assertLinear(make, run, 2000);
      // each source gets no other source's corrections (their names differ)
      assert.equal(run(make(10)), 0);
    });

    it('adapting the tagger: linear in the number of corrected sources (1× vs 4× sources, the model loaded)', () => {
      const make = (k: number): SourceCorrections[] => Array.from({ length: k }, (_, i) => {
        const t = `Reporters met Qux${i} at the harbour. Later Qux${i} left.\n`;
        return { key: `s${i}`, text: t, corrections: [correction(t, `Qux${i}`, 'entity-type', 'organization')] };
      });
      const run = (sources: SourceCorrections[]): number => new WorkspaceLearner().derive(model, sources, { enabled: true }).stats.features;
      assertLinear(make, run, 1000);
    });
  });
});
