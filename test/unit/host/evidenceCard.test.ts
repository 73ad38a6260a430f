/**
 * The editor's view of evidence links (src/host/annotations/evidenceCard.ts, pure): the hover's
 * Evidence section keeps hostile text inert (one escapeMarkdown) and links only to our own command
 * with strictly encoded arguments (never a path); orphans are listed, without a link; the claim
 * picker shows each claim's text, verdict and source. And the fact-check settings: the editor and
 * the command line read the same keys, which package.json declares.
 */
import { strict as assert } from 'node:assert';
import { Commands } from '../../../src/host/commands';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { marked } from 'marked';
import {
  claimPickRows, evidenceMarkdown, evidenceRow, isClaim, isOpenEvidenceArgs, sortClaims, type EvidenceView,
} from '../../../src/host/annotations/evidenceCard';
import { workspaceClaimSettings } from '../../../src/cli/nodeFs';
import { verdictRatingsFrom, DEFAULT_VERDICT_RATINGS } from '../../../src/core/claims/details';

const ROOT = path.resolve(__dirname, '..', '..', '..');

const view = (over: Partial<EvidenceView> = {}): EvidenceView => ({ index: 0, relation: 'contradicts', source: 'transcripts/hearing.txt', exact: 'we counted 32 million', orphan: false, ...over });

/** The links of rendered Markdown (href values). */
function hrefs(md: string): string[] {
  const html = marked.parse(md, { async: false });
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
}

describe('host: evidence links in the hover, the tree and the claim picker', () => {
  it('the Evidence section: relation, quoted text, source, and an Open link with the claim and index only', () => {
    const md = evidenceMarkdown([view(), view({ index: 1, relation: 'supports', source: 'b.txt', exact: 'as reported' })], { uri: 'file:///w/a.txt', id: '01ABC' });
    assert.match(md, /^\*\*Evidence\*\* \(2\)/);
    assert.match(md, /\*contradicts\* “we counted 32 million” — transcripts\\\/hearing\\\.txt/);
    assert.match(md, /\*supports\* “as reported” — b\\\.txt/);
    const links = hrefs(md);
    assert.equal(links.length, 2);
    for (const [i, l] of links.entries()) {
      assert.ok(l.startsWith(`command:${Commands.openEvidence}?`), l);
      const args = JSON.parse(decodeURIComponent(l.slice(l.indexOf('?') + 1))) as unknown[];
      assert.deepEqual(args, [{ uri: 'file:///w/a.txt', id: '01ABC', index: i }]);
      assert.ok(isOpenEvidenceArgs(args[0]));
    }
  });

  it('orphans are listed with why, and have no link', () => {
    const md = evidenceMarkdown([view({ orphan: true, reason: 'text-gone' }), view({ index: 1, orphan: true, reason: 'cannot read x: it does not exist' })], { uri: 'u', id: 'i' });
    assert.match(md, /\(2, 2 orphaned\)/);
    assert.match(md, /orphaned: the text is no longer in the source/);
    assert.match(md, /orphaned: the source cannot be read/);
    assert.deepEqual(hrefs(md), []);
    assert.equal(evidenceMarkdown([]), '');
  });

  it('hostile text in the evidence, its source or the relation stays inert: no link, HTML, image or emphasis of its own', () => {
    const hostile = [
      '[click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> ![i](https://e.x/i.png) **bold** `code`',
      ')](command:marginalia.deleteAnnotation?%5B%5D) https://evil.example/x www.evil.example',
      '\u202e\u0000\n\n# heading\n- list\n> quote',
    ];
    for (const exact of hostile) {
      for (const source of [exact, 'ok.txt']) {
        const md = evidenceMarkdown([view({ exact, source })], { uri: 'file:///w/a.txt', id: 'X' });
        const html = marked.parse(md, { async: false });
        assert.deepEqual(hrefs(md).map((h) => h.split('?')[0]), [`command:${Commands.openEvidence}`], md);
        assert.doesNotMatch(html, /<img|<h1|<blockquote|<strong>bold|<code>/, html);
        assert.equal((html.match(/<li>/g) ?? []).length, 1, html);
      }
    }
    // The arguments of the link cannot be broken out of by the claim's id or uri either.
    const md = evidenceMarkdown([view()], { uri: 'file:///w/a).txt"', id: '") [x](command:evil)' });
    assert.deepEqual(hrefs(md).map((h) => h.split('?')[0]), [`command:${Commands.openEvidence}`]);
  });

  it('the tree row: relation and quoted text, the source; orphans say so', () => {
    assert.deepEqual(evidenceRow(view()).label, 'contradicts: “we counted 32 million”');
    assert.equal(evidenceRow(view()).description, 'transcripts/hearing.txt');
    assert.equal(evidenceRow(view({ orphan: true, reason: 'text-gone' })).description, 'orphaned · transcripts/hearing.txt');
    assert.match(evidenceRow(view({ orphan: true })).tooltip, /kept with its last known text/);
  });

  it('claims: kind claim or verdict, or anything with a verdict; the picker shows text, verdict, source, evidence count', () => {
    assert.ok(isClaim({ kind: 'claim' }));
    assert.ok(isClaim({ kind: 'verdict', verdict: 'false' }));
    assert.ok(isClaim({ kind: 'note', verdict: 'true' }));
    assert.ok(!isClaim({ kind: 'note' }));
    assert.ok(!isClaim({ kind: 'question', verdict: '  ' }));
    const t = (exact: string, start: number) => ({ exact, prefix: '', suffix: '', start, end: start + exact.length });
    const choices = sortClaims([
      { source: 'b.txt', annotation: { id: '2', kind: 'claim' as const, target: t('second', 5) } },
      { source: 'a.txt', annotation: { id: '3', kind: 'claim' as const, verdict: 'false', note: 'From 2021', target: t('40 million cases', 50), evidence: [{ relation: 'contradicts' as const, source: 'b.txt', target: t('x', 0) }] } },
      { source: 'a.txt', annotation: { id: '1', kind: 'verdict' as const, verdict: 'true', target: t('first', 1), orphan: true } },
    ]);
    assert.deepEqual(choices.map((c) => c.annotation.id), ['1', '3', '2']);
    assert.deepEqual(claimPickRows(choices), [
      { label: '“first”', description: 'true · a.txt · orphaned' },
      { label: '“40 million cases”', description: 'false · a.txt · 1 evidence link', detail: 'From 2021' },
      { label: '“second”', description: 'no verdict yet · b.txt' },
    ]);
  });

  it('isOpenEvidenceArgs refuses anything but {uri, id, index}', () => {
    for (const bad of [undefined, null, 'x', {}, { uri: 'u', id: 'i' }, { uri: 'u', id: 'i', index: -1 }, { uri: 'u', id: 'i', index: 1.5 }, { uri: 1, id: 'i', index: 0 }]) {
      assert.ok(!isOpenEvidenceArgs(bad), JSON.stringify(bad));
    }
  });
});

describe('host: the fact-check settings', () => {
  const props = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown; type?: unknown }> } } }).contributes.configuration.properties;

  it('package.json declares the keys the editor reads and the command line reads from .vscode/settings.json', () => {
    const src = fs.readFileSync(path.join(ROOT, 'src/host/config.ts'), 'utf8');
    for (const key of ['publisher.name', 'publisher.url', 'annotations.verdictRatings']) {
      assert.ok(props[`marginalia.${key}`], `marginalia.${key} is not declared`);
      assert.ok(src.includes(`'${key}'`), `the editor does not read marginalia.${key}`);
    }
    // The command line reads exactly those keys.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marginalia-claimsettings-'));
    try {
      fs.mkdirSync(path.join(dir, '.vscode'));
      fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({
        'marginalia.publisher.name': 'Fact Desk', 'marginalia.publisher.url': 'https://facts.example.org/', 'marginalia.annotations.verdictRatings': { true: 3, false: 0 },
      }));
      assert.deepEqual(workspaceClaimSettings(dir), { publisherName: 'Fact Desk', publisherUrl: 'https://facts.example.org/', verdictRatings: { true: 3, false: 0 } });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the declared default verdict ratings are the core\'s default scale', () => {
    const r = verdictRatingsFrom(props['marginalia.annotations.verdictRatings']!.default);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.ratings, DEFAULT_VERDICT_RATINGS);
  });
});
