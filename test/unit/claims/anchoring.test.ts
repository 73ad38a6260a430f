/**
 * Evidence links are anchored like targets, against the OTHER source's current text: they follow
 * that source's edits, a link whose text is gone is an orphan (kept, marked, listed), a source that
 * cannot be read orphans its links with the reason, and each other source is read once.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTarget } from '../../../src/core/anchor';
import { addEvidence, anchorEvidence, anchorEvidenceOn } from '../../../src/core/claims/evidence';
import { Project, loadSource, type ProjectFs } from '../../../src/core/project';
import { canonicalStringify } from '../../../src/core/sidecar/canonicalWriter';
import { emptySidecar, type Sidecar } from '../../../src/core/sidecar/model';
import { nodeFs, toProjectPath } from '../../../src/cli/nodeFs';
import { removeTmpdirs, tmpdir } from '../cli/helpers';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'claims');
const EVIDENCE = 'Our exports reached 32 million tonnes of grain last year';

function workspace(): string {
  const dir = tmpdir('marginalia-claims-');
  fs.cpSync(FIXTURES, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, '.marginalia'));
  return dir;
}

/** nodeFs, counting the reads of each file. */
function countingFs(reads: Map<string, number>): ProjectFs {
  return { ...nodeFs, readText: (p) => {
    reads.set(p, (reads.get(p) ?? 0) + 1);
    return nodeFs.readText(p);
  } };
}

describe('claims: anchoring evidence across sources', () => {
  after(removeTmpdirs);

  it('a link follows an edit of the other source made outside the editor (text inserted before it)', async () => {
    const dir = workspace();
    const transcript = path.join(dir, 'transcripts', 'press-conference.txt');
    fs.writeFileSync(transcript, 'CORRECTED TRANSCRIPT (an earlier version had errors)\n\n' + fs.readFileSync(transcript, 'utf8'));
    const project = new Project(nodeFs, toProjectPath(dir));
    const loaded = await loadSource(project, toProjectPath(path.join(dir, 'article.txt')));
    const before = loaded.sidecar.annotations[0]!.evidence![0]!.target;
    const r = await anchorEvidence(project, loaded);
    assert.deepStrictEqual(r.orphans, []);
    const after = r.sidecar.annotations[0]!.evidence![0]!;
    const text = fs.readFileSync(transcript, 'utf8');
    assert.equal(after.target.exact, EVIDENCE);
    assert.equal(after.target.start, text.indexOf(EVIDENCE));
    assert.ok(after.target.start > before.start);
    assert.equal(after.orphan, undefined);
    assert.equal(r.texts.get('transcripts/press-conference.txt'), text);
    assert.equal(loaded.sidecar.annotations[0]!.evidence![0]!.target.start, before.start, 'the loaded sidecar is not changed');
  });

  it('a link whose text is gone is an orphan: kept with its last known text, marked and listed; it comes back when the text does', async () => {
    const dir = workspace();
    const transcript = path.join(dir, 'transcripts', 'press-conference.txt');
    const original = fs.readFileSync(transcript, 'utf8');
    fs.writeFileSync(transcript, 'Press conference, 23 October 2023.\nQUESTION: Is that all grain?\n');
    const project = new Project(nodeFs, toProjectPath(dir));
    const loaded = await loadSource(project, toProjectPath(path.join(dir, 'article.txt')));
    const r = await anchorEvidence(project, loaded);
    assert.equal(r.orphans.length, 1);
    assert.deepStrictEqual(r.orphans[0], { annotationId: '01JCLAIM00000000000000000A', index: 0, source: 'transcripts/press-conference.txt', exact: EVIDENCE, reason: 'text-gone' });
    const link = r.sidecar.annotations[0]!.evidence![0]!;
    assert.equal(link.orphan, true);
    assert.equal(link.target.exact, EVIDENCE);
    fs.writeFileSync(transcript, original);
    const back = anchorEvidenceOn(r.sidecar, new Map([['transcripts/press-conference.txt', original]]));
    assert.deepStrictEqual(back.orphans, []);
    assert.equal(back.sidecar.annotations[0]!.evidence![0]!.orphan, undefined);
  });

  it('a missing source, or one outside the workspace, orphans its links with the reason; nothing is thrown', async () => {
    const dir = workspace();
    fs.rmSync(path.join(dir, 'transcripts'), { recursive: true });
    const project = new Project(nodeFs, toProjectPath(dir));
    const loaded = await loadSource(project, toProjectPath(path.join(dir, 'article.txt')));
    const r = await anchorEvidence(project, loaded);
    assert.equal(r.orphans.length, 1);
    assert.equal(r.orphans[0]!.reason, 'source-unreadable');
    assert.match(r.orphans[0]!.message ?? '', /does not exist/);
    // A link through a symbolic link out of the workspace is never read.
    const outside = tmpdir('marginalia-outside-');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret words here');
    fs.symlinkSync(outside, path.join(dir, 'out'));
    const linked = addEvidence(loaded.sidecar, '01JCLAIM00000000000000000B', { relation: 'context', source: 'out/secret.txt', target: makeTarget('secret words here', 0, 6) });
    const r2 = await anchorEvidence(project, { ...loaded, sidecar: linked });
    const o = r2.orphans.find((x) => x.source === 'out/secret.txt');
    assert.ok(o);
    assert.match(o.message ?? '', /outside the workspace/);
    assert.equal(r2.texts.get('out/secret.txt'), undefined);
  });

  it('each other source is read once, however many links point into it; a link into the source itself uses its text', async () => {
    const dir = workspace();
    const reads = new Map<string, number>();
    const project = new Project(countingFs(reads), toProjectPath(dir));
    const loaded = await loadSource(project, toProjectPath(path.join(dir, 'article.txt')));
    reads.clear();
    const t = fs.readFileSync(path.join(dir, 'transcripts', 'press-conference.txt'), 'utf8');
    let s: Sidecar = loaded.sidecar;
    for (const q of ['LOPEZ', 'Wheat and maize together', 'QUESTION']) s = addEvidence(s, '01JCLAIM00000000000000000B', { relation: 'context', source: 'transcripts/press-conference.txt', target: { start: t.indexOf(q), end: t.indexOf(q) + q.length }, text: t });
    s = addEvidence(s, '01JCLAIM00000000000000000B', { relation: 'supports', source: 'article.txt', target: { start: 0, end: 8 }, text: loaded.text });
    const r = await anchorEvidence(project, { ...loaded, sidecar: s });
    assert.deepStrictEqual(r.orphans, []);
    assert.deepStrictEqual([...reads.values()], [1], `reads: ${JSON.stringify([...reads])}`);
    assert.equal(r.sidecar.annotations[1]!.evidence!.length, 4);
    // Saved and read back: the links are in the sidecar, in the canonical layout.
    const text = canonicalStringify(r.sidecar);
    assert.match(text, /"source": "article\.txt", "target": \{ "exact": "Minister"/);
  });

  it('a sidecar without evidence is returned as it is', () => {
    const s = emptySidecar('a.txt');
    assert.equal(anchorEvidenceOn(s, new Map()).sidecar, s);
  });
});
