/**
 * `marginalia export --format claimreview` and `--format md --layout factcheck` on a small
 * workspace (test/fixtures/claims: an article with a dateline and its URL, a transcript the claim
 * is checked against, a sidecar with two claims and one evidence link).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateClaimReview } from '../../../src/core/claims/claimreview';
import { buildCli, cli, removeTmpdirs, tmpdir } from './helpers';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'claims');
const A = '01JCLAIM00000000000000000A';
const B = '01JCLAIM00000000000000000B';

/** A copy of the fixture as its own workspace (`.marginalia/` marks the root: evidence paths are relative to it). */
function workspace(settings?: Record<string, unknown>): string {
  const dir = tmpdir('marginalia-claimreview-');
  fs.cpSync(FIXTURES, dir, { recursive: true });
  fs.mkdirSync(path.join(dir, '.marginalia'));
  if (settings) {
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), `// the editor's settings\n${JSON.stringify(settings, null, 2)}\n`);
  }
  return dir;
}

/** The sidecar with a claimant on the claim outside any quotation (so every claim is complete). */
function giveClaimant(dir: string): void {
  const file = path.join(dir, 'article.txt.marginalia.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('    verdict: misleading\n', '    verdict: misleading\n    claimant: Ministry of Agriculture\n'));
}

type Doc = { '@graph': Record<string, unknown>[]; 'marginalia:exportOf': string };
const PUB = ['--publisher-name', 'Check Desk', '--publisher-url', 'https://check.example.org/grain'];

describe('cli: export --format claimreview', function () {
  this.timeout(60000);
  before(async () => {
    await buildCli();
  });
  after(removeTmpdirs);

  it('--help names the format, --layout and the publisher options', () => {
    const r = cli(['export', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /claimreview/);
    assert.match(r.stdout, /--layout L/);
    assert.match(r.stdout, /--publisher-name/);
  });

  it('writes a.txt.claimreview.jsonld: a valid ClaimReview per complete claim; a missing required field is named per claim on stderr (exit 1)', () => {
    const dir = workspace();
    const r = cli(['export', '--format', 'claimreview', ...PUB, '--out', 'out', 'article.txt'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`article\\.txt: claim ${B}: missing itemReviewed\\.author: .*left out of the ClaimReview file`));
    assert.doesNotMatch(r.stderr, new RegExp(`claim ${A}`));
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'article.txt.claimreview.jsonld'), 'utf8')) as Doc;
    assert.equal(doc['marginalia:exportOf'], 'article.txt');
    assert.equal(doc['@graph'].length, 1);
    const review = doc['@graph'][0]!;
    assert.deepStrictEqual(validateClaimReview(review), []);
    assert.equal(review['marginalia:annotation'], A);
    assert.deepStrictEqual(review.reviewRating, { '@type': 'Rating', alternateName: 'false', ratingValue: 1, bestRating: 5, worstRating: 1 });
    const claim = review.itemReviewed as Record<string, unknown>;
    assert.deepStrictEqual(claim.author, { '@type': 'Person', name: 'Maria Lopez' }, 'the speaker of the quotation the claim sits in');
    assert.equal(claim.datePublished, '2023-10-24', 'the dateline');
    assert.deepStrictEqual(claim.appearance, { '@type': 'CreativeWork', url: 'https://news.example.org/2023/10/grain-figures' });
    assert.deepStrictEqual(review.citation, [{ '@type': 'CreativeWork', name: 'transcripts/press-conference.txt', text: 'Our exports reached 32 million tonnes of grain last year', 'marginalia:relation': 'contradicts' }]);
    // With the claimant set, both claims are exported, exit 0, and the file is replaced (it is ours).
    giveClaimant(dir);
    const again = cli(['export', '--format', 'claimreview', ...PUB, '--out', 'out', 'article.txt'], dir);
    assert.equal(again.status, 0, again.stderr);
    const doc2 = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'article.txt.claimreview.jsonld'), 'utf8')) as Doc;
    assert.deepStrictEqual(doc2['@graph'].map((x) => x['marginalia:annotation']), [A, B]);
    for (const x of doc2['@graph']) assert.deepStrictEqual(validateClaimReview(x), []);
  });

  it('the publisher comes from .vscode/settings.json (flags win); verdict ratings from marginalia.annotations.verdictRatings', () => {
    const dir = workspace({ 'marginalia.publisher.name': 'Settings Desk', 'marginalia.publisher.url': 'https://settings.example/fc', 'marginalia.annotations.verdictRatings': { true: 10, misleading: 4, false: 0, unverified: null } });
    giveClaimant(dir);
    const r = cli(['export', '--format', 'claimreview', 'article.txt'], dir);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Doc;
    const [a, b] = doc['@graph'];
    assert.deepStrictEqual(a!.author, { '@type': 'Organization', name: 'Settings Desk', url: 'https://settings.example/fc' });
    assert.equal(a!.url, 'https://settings.example/fc');
    assert.deepStrictEqual(a!.reviewRating, { '@type': 'Rating', alternateName: 'false', ratingValue: 0, bestRating: 10, worstRating: 0 });
    assert.deepStrictEqual(b!.reviewRating, { '@type': 'Rating', alternateName: 'misleading', ratingValue: 4, bestRating: 10, worstRating: 0 });
    const flagged = cli(['export', '--format', 'claimreview', '--publisher-name', 'Flag Desk', 'article.txt'], dir);
    assert.equal((JSON.parse(flagged.stdout) as Doc)['@graph'][0]!.author && ((JSON.parse(flagged.stdout) as Doc)['@graph'][0]!.author as { name: string }).name, 'Flag Desk');
  });

  it('without a publisher every claim lacks url and author: named, nothing guessed, exit 1', () => {
    const dir = workspace();
    const r = cli(['export', '--format', 'claimreview', 'article.txt'], dir);
    assert.equal(r.status, 1);
    for (const id of [A, B]) {
      assert.match(r.stderr, new RegExp(`claim ${id}: missing url: `));
      assert.match(r.stderr, new RegExp(`claim ${id}: missing author: `));
    }
    assert.deepStrictEqual((JSON.parse(r.stdout) as Doc)['@graph'], []);
  });

  it('an evidence link whose text is gone from the other source is reported as orphaned and exported with its last known text (exit 1)', () => {
    const dir = workspace();
    giveClaimant(dir);
    fs.writeFileSync(path.join(dir, 'transcripts', 'press-conference.txt'), 'Press conference.\nLOPEZ: No comment.\n');
    const r = cli(['export', '--format', 'claimreview', ...PUB, 'article.txt'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`annotation ${A}: evidence 1 in transcripts/press-conference\\.txt is orphaned`));
    const citation = ((JSON.parse(r.stdout) as Doc)['@graph'][0]!.citation as Record<string, unknown>[])[0]!;
    assert.equal(citation['marginalia:orphan'], true);
    assert.equal(citation.text, 'Our exports reached 32 million tonnes of grain last year');
  });

  it('never overwrites a file it did not write; several sources need --out', () => {
    const dir = workspace();
    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'out', 'article.txt.claimreview.jsonld'), '{"@context": "https://schema.org", "@type": "ClaimReview"}\n');
    const r = cli(['export', '--format', 'claimreview', ...PUB, '--out', 'out', 'article.txt'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /exists and is not a Marginalia claimreview export/);
    assert.equal(fs.readFileSync(path.join(dir, 'out', 'article.txt.claimreview.jsonld'), 'utf8'), '{"@context": "https://schema.org", "@type": "ClaimReview"}\n');
    const two = cli(['export', '--format', 'claimreview', 'article.txt', 'transcripts/press-conference.txt'], dir);
    assert.equal(two.status, 2);
    assert.match(two.stderr, /--out DIR/);
    const badLayout = cli(['export', '--format', 'csv', '--layout', 'factcheck', 'article.txt'], dir);
    assert.equal(badLayout.status, 2);
  });

  it('export --format md --layout factcheck: the fact-check draft with evidence footnotes linked to the transcript', () => {
    const dir = workspace();
    const r = cli(['export', '--format', 'md', '--layout', 'factcheck', ...PUB, '--out', 'out', 'article.txt'], dir);
    assert.equal(r.status, 0, r.stderr);
    const md = fs.readFileSync(path.join(dir, 'out', 'article.txt.md'), 'utf8');
    assert.match(md, /^<!-- marginalia export: "article\.txt" -->\n# Fact-check: article\\\.txt\n/);
    assert.match(md, /## Claim 1: false \(1 of 5\)/);
    assert.match(md, /\*\*Said by:\*\* Maria Lopez \(the speaker of the quotation\)/);
    assert.match(md, /\*\*Said by:\*\* _unknown_/);
    assert.match(md, /\*\*Evidence:\*\* Contradicts \\\[1\\\]/);
    assert.match(md, /\n1\. Contradicts: “Our exports reached 32 million tonnes of grain last year” — \[transcripts\\\/press\\-conference\\\.txt\]\(\.\/transcripts\/press-conference\.txt\), line 2\n/);
    // The plain report is unchanged by the claims.
    const report = cli(['export', '--format', 'md', 'article.txt'], dir);
    assert.doesNotMatch(report.stdout, /Fact-check/);
  });

  it('brat: export → import keeps the evidence links and the claim details', () => {
    const dir = workspace();
    giveClaimant(dir);
    const file = path.join(dir, 'article.txt.marginalia.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const r = cli(['export', '--format', 'brat', '--no-recognition', '--out', 'out', 'article.txt'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(fs.readFileSync(path.join(dir, 'out', 'article.txt.ann'), 'utf8'), /"claimant":"Ministry of Agriculture"/);
    fs.rmSync(file);
    const imp = cli(['import', '--format', 'brat', '--source', 'article.txt', 'out/article.txt.ann'], dir);
    assert.equal(imp.status, 0, imp.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });

  it('w3c: export → import keeps the evidence links and the claim details', () => {
    const dir = workspace();
    giveClaimant(dir);
    const file = path.join(dir, 'article.txt.marginalia.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const r = cli(['export', '--format', 'w3c', '--no-recognition', '--out', 'out', 'article.txt'], dir);
    assert.equal(r.status, 0, r.stderr);
    const w3c = fs.readFileSync(path.join(dir, 'out', 'article.txt.jsonld'), 'utf8');
    assert.match(w3c, /"marginalia:evidence": \[/);
    assert.match(w3c, /"marginalia:claim": \{\n\s+"claimant": "Ministry of Agriculture"/);
    fs.rmSync(file);
    const imp = cli(['import', '--format', 'w3c', '--source', 'article.txt', 'out/article.txt.jsonld'], dir);
    assert.equal(imp.status, 0, imp.stderr);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });
});
