// Evidence links inside a real extension host: Link Evidence from a selection in a second source
// stores the link in the CLAIM's sidecar (the core's anchor: exact, prefix, suffix, offsets in the
// other source), the claim's hover and the Annotations view show it, following it opens the other
// source at the span, an edit of the other source moves it and a deletion of its text orphans it
// (kept and listed), and the palette's Export writes a ClaimReview with the publisher settings.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar';
import type { MarginaliaApi } from '../../../src/host/api';
import type { AnnotationsApi } from '../../../src/host/annotations';

import { EXTENSION_ID, read, until, write } from './helpers';

const CLAIM_TEXT = [
  'Source: https://news.example.org/budget',
  'LONDON, 24 October 2023 (Wire) - The minister said: "We have built 40 new hospitals since 2019," in a speech on Monday.',
  '',
].join('\n');
const TRANSCRIPT = [
  'Hearing transcript, 25 October 2023.',
  'The health department confirmed that 12 new hospitals had opened since 2019; the others are planned.',
  '',
].join('\n');
const EVIDENCE = '12 new hospitals had opened since 2019';

async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

describe('evidence links (in a real extension host)', function () {
  this.timeout(40_000);
  let ann: AnnotationsApi;
  let root: vscode.Uri;
  let article: vscode.Uri;
  let transcript: vscode.Uri;
  let sidecar: vscode.Uri;
  let claimId: string;

  before(async () => {
    const api = (await vscode.extensions.getExtension<MarginaliaApi>(EXTENSION_ID)!.activate())!;
    assert.ok(api.annotations, 'the API exposes annotations');
    ann = api.annotations;
    root = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'evidence-it');
    article = vscode.Uri.joinPath(root, 'article.txt');
    transcript = vscode.Uri.joinPath(root, 'transcripts', 'hearing.txt');
    sidecar = vscode.Uri.joinPath(root, 'article.txt.marginalia.yaml');
    await write(article, CLAIM_TEXT);
    await write(transcript, TRANSCRIPT);
    // The claim, annotated in the first source.
    const doc = await vscode.workspace.openTextDocument(article);
    await vscode.window.showTextDocument(doc);
    const start = CLAIM_TEXT.indexOf('We have built 40 new hospitals');
    const ref = await vscode.commands.executeCommand<{ id: string }>('marginalia.annotateSelection',
      { uri: article.toString(), start, end: start + 'We have built 40 new hospitals since 2019'.length, kind: 'claim', verdict: 'false', note: 'Only 12 opened' });
    claimId = ref!.id;
    await ann.whenIdle();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(root, { recursive: true }).then(undefined, () => undefined);
  });

  it('Link Evidence stores the link in the claim\'s sidecar with the core\'s anchor in the other source', async () => {
    const doc = await vscode.workspace.openTextDocument(transcript);
    await vscode.window.showTextDocument(doc);
    const start = TRANSCRIPT.indexOf(EVIDENCE);
    const r = await vscode.commands.executeCommand<{ claim: { id: string }; index: number }>('marginalia.linkEvidence',
      { uri: transcript.toString(), start, end: start + EVIDENCE.length, claim: { uri: article.toString(), id: claimId }, relation: 'contradicts' });
    assert.deepEqual(r, { claim: { uri: article.toString(), id: claimId }, index: 0 });
    await ann.whenIdle();
    const parsed = parseSidecar(await read(sidecar));
    assert.ok(parsed.ok);
    if (!parsed.ok) return;
    const a = parsed.value.sidecar.annotations.find((x) => x.id === claimId)!;
    assert.equal(a.evidence?.length, 1);
    const e = a.evidence![0]!;
    assert.equal(e.relation, 'contradicts');
    assert.equal(e.source, 'evidence-it/transcripts/hearing.txt');
    assert.deepEqual(e.target, {
      exact: EVIDENCE, prefix: TRANSCRIPT.slice(Math.max(0, start - 32), start), suffix: TRANSCRIPT.slice(start + EVIDENCE.length, start + EVIDENCE.length + 32),
      start, end: start + EVIDENCE.length,
    });
    // The transcript itself has no sidecar: the link lives with the claim.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(root, 'transcripts', 'hearing.txt.marginalia.yaml'))));
    // The same link twice is stored once.
    await vscode.commands.executeCommand('marginalia.linkEvidence',
      { uri: transcript.toString(), start, end: start + EVIDENCE.length, claim: { uri: article.toString(), id: claimId }, relation: 'contradicts' });
    await ann.whenIdle();
    assert.equal(ann.annotationsFor(article).find((x) => x.id === claimId)!.evidence!.length, 1);
  });

  it('the claim\'s hover and the Annotations view show the evidence: relation, quoted text, source, an Open link', async () => {
    const doc = await vscode.workspace.openTextDocument(article);
    await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(CLAIM_TEXT.indexOf('40 new hospitals') + 2);
    const text = await until(async () => {
      const t = await hoverText(article, at);
      return /Evidence/.test(t) && t;
    }, 'the evidence in the hover');
    assert.match(text, /\*\*Evidence\*\* \(1\)/);
    assert.match(text, /\*contradicts\* “12 new hospitals had opened since 2019” — evidence\\-it\\\/transcripts\\\/hearing\\\.txt/);
    assert.match(text, /command:marginalia\.openEvidence\?/);
    const rows = await until(() => {
      const s = ann.treeSnapshot();
      return s.some((r) => r.includes('contradicts: “12 new hospitals')) && s;
    }, 'the evidence row');
    assert.ok(rows.some((r) => /contradicts: “12 new hospitals had opened since 2019” \(evidence-it\/transcripts\/hearing\.txt\)/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /Only 12 opened \(claim · 1 evidence\)/.test(r)), rows.join('\n'));
  });

  it('following the link opens the other source with the span selected; a link that does not exist opens nothing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const ok = await vscode.commands.executeCommand<boolean>('marginalia.openEvidence', { uri: article.toString(), id: claimId, index: 0 });
    assert.equal(ok, true);
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), transcript.toString());
    assert.equal(editor.document.getText(editor.selection), EVIDENCE);
    // A link index that does not exist opens nothing.
    assert.equal(await vscode.commands.executeCommand<boolean>('marginalia.openEvidence', { uri: article.toString(), id: claimId, index: 7 }), false);
  });

  it('an edit of the other source moves the link; when its text is gone it is an orphan, kept and listed', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Edited outside the editor (closed): text inserted before the span.
    const moved = 'CORRECTION appended on 26 October.\n' + TRANSCRIPT;
    await write(transcript, moved);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === transcript.toString());
    if (open) await until(() => open.getText() === moved, 'the reloaded transcript');
    const views = await until(async () => {
      const v = await ann.evidenceFor(article, claimId);
      return v[0] && !v[0].orphan && v;
    }, 'the re-anchored link');
    assert.equal(views[0]!.exact, EVIDENCE);
    // Opened and edited in the editor: the text removed, then saved.
    const doc = await vscode.workspace.openTextDocument(transcript);
    const editor = await vscode.window.showTextDocument(doc);
    await until(() => doc.getText() === moved, 'the reloaded transcript');
    const s = moved.indexOf(EVIDENCE);
    await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(s), doc.positionAt(s + EVIDENCE.length)), 'several clinics had opened'));
    await doc.save();
    const orphaned = await until(async () => {
      const v = await ann.evidenceFor(article, claimId);
      return v[0]?.orphan && v;
    }, 'the orphaned link');
    assert.equal(orphaned.length, 1);
    assert.equal(orphaned[0]!.exact, EVIDENCE, 'kept with its last known text');
    // Saved in the claim's sidecar as an orphan (never dropped), listed in the view and the hover.
    await until(async () => {
      await ann.whenIdle();
      const p = parseSidecar(await read(sidecar));
      return p.ok && p.value.sidecar.annotations[0]!.evidence?.[0]?.orphan === true;
    }, 'the orphan flag in the sidecar');
    await until(() => ann.treeSnapshot().some((r) => r.includes('orphaned · evidence-it/transcripts/hearing.txt')), 'the orphan row');
    const adoc = await vscode.workspace.openTextDocument(article);
    await vscode.window.showTextDocument(adoc);
    const text = await hoverText(article, adoc.positionAt(CLAIM_TEXT.indexOf('40 new hospitals') + 2));
    assert.match(text, /1 orphaned/);
    assert.match(text, /orphaned: the text is no longer in the source/);
    // The text back: the link is found again.
    const again = await vscode.window.showTextDocument(doc);
    await again.edit((b) => b.replace(new vscode.Range(doc.positionAt(s), doc.positionAt(s + 'several clinics had opened'.length)), EVIDENCE));
    await doc.save();
    await until(async () => {
      const v = await ann.evidenceFor(article, claimId);
      return v[0] && !v[0].orphan;
    }, 'the link found again');
    await until(async () => {
      await ann.whenIdle();
      const p = parseSidecar(await read(sidecar));
      return p.ok && p.value.sidecar.annotations[0]!.evidence?.[0]?.orphan === undefined;
    }, 'the orphan flag cleared in the sidecar');
  });

  it('the palette\'s Export writes a ClaimReview for the claim with the publisher settings and the evidence as citation', async () => {
    // Who made the claim, set in the sidecar (as a user would edit it): the export reads the sidecar on disk.
    await ann.whenIdle();
    const p = parseSidecar(await read(sidecar));
    assert.ok(p.ok);
    if (!p.ok) return;
    p.value.sidecar.annotations[0]!.claimant = 'Jane Doe';
    await write(sidecar, serializeSidecar(p.value.sidecar));
    await until(async () => {
      await ann.whenIdle();
      return ann.annotationsFor(article)[0]?.claimant === 'Jane Doe';
    }, 'the claimant read');
    const config = vscode.workspace.getConfiguration('marginalia');
    await config.update('publisher.name', 'Fact Desk', vscode.ConfigurationTarget.Workspace);
    await config.update('publisher.url', 'https://facts.example.org/hospitals', vscode.ConfigurationTarget.Workspace);
    const dest = vscode.Uri.joinPath(root, 'out', 'article.claimreview.jsonld');
    let result: { dest: string; message: string } | undefined;
    try {
      // The format and the destination given (the quick pick and the save dialog skipped).
      result = await vscode.commands.executeCommand<{ dest: string; message: string }>('marginalia.export', article, { format: 'claimreview', dest: dest.toString() });
    } finally {
      await config.update('publisher.name', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('publisher.url', undefined, vscode.ConfigurationTarget.Workspace);
    }
    assert.ok(result, 'the export ran');
    assert.match(result.message, /exported 1 ClaimReview\(s\)/);
    interface Review {
      '@type': string; url: string; author: unknown; claimReviewed: string; reviewRating: unknown;
      itemReviewed: { author: unknown; datePublished: string; appearance: { url: string } };
      citation: Record<string, unknown>[];
    }
    const doc = JSON.parse(await read(dest)) as { '@graph': Review[] };
    assert.equal(doc['@graph'].length, 1);
    const r = doc['@graph'][0]!;
    assert.equal(r['@type'], 'ClaimReview');
    assert.equal(r.url, 'https://facts.example.org/hospitals');
    assert.deepEqual(r.author, { '@type': 'Organization', name: 'Fact Desk', url: 'https://facts.example.org/hospitals' });
    assert.equal(r.claimReviewed, 'We have built 40 new hospitals since 2019');
    assert.deepEqual(r.reviewRating, { '@type': 'Rating', alternateName: 'false', ratingValue: 1, bestRating: 5, worstRating: 1 });
    assert.deepEqual(r.itemReviewed.author, { '@type': 'Person', name: 'Jane Doe' });
    assert.equal(r.itemReviewed.datePublished, '2023-10-24');
    assert.equal(r.itemReviewed.appearance.url, 'https://news.example.org/budget');
    assert.equal(r.citation[0]!.text, EVIDENCE);
    assert.equal(r.citation[0]!['marginalia:relation'], 'contradicts');
    // Without a publisher the claim is left out and the missing fields are named, not guessed.
    const again = await vscode.commands.executeCommand<{ message: string }>('marginalia.export', article, { format: 'claimreview', dest: dest.toString() });
    assert.match(again!.message, /0 ClaimReview\(s\) to \S+ — 1 claim\(s\) left out, missing url, author/);
    assert.equal((JSON.parse(await read(dest)) as { '@graph': unknown[] })['@graph'].length, 0);
    // A destination outside the workspace folder is refused.
    const outside = await vscode.commands.executeCommand('marginalia.export', article, { format: 'claimreview', dest: vscode.Uri.joinPath(root, '..', '..', 'x.jsonld').toString() });
    assert.equal(outside, undefined);
  });
});
