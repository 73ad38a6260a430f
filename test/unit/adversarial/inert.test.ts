/**
 * Untrusted text stays inert in every output: the Markdown report (rendered with `marked`, GFM, the
 * way VS Code renders Markdown, and with markdown-it with linkify on, the way its preview does), the
 * escape helpers of src/core/text/escape.ts (properties), and the command line's human-readable output
 * (no terminal control characters from sources, sidecars or file names).
 */
/* eslint-disable no-control-regex -- the tests look for control characters */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { marked } from 'marked';
import { toMarkdown } from '../../../src/core/interchange/markdown';
import type { AnnotationLike, ExportSource } from '../../../src/core/interchange/model';
import { clip, escapeMarkdown, escapeMarkdownLines, jsonSafe, markdownCode, terminalSafe } from '../../../src/core/text/escape';
import { makeTarget } from '../../../src/core/anchor';
import { serializeSidecar } from '../../../src/core/sidecar/codec';
import { hashText } from '../../../src/core/sidecar/hash';
import type { Annotation, Sidecar } from '../../../src/core/sidecar/model';
import type { Analysis, EntityType } from '../../../src/core/types';
import { assertCleanError, buildCli, cli, removeTmpdirs, tmpdir } from './harness';

// markdown-it (installed with @vscode/vsce) ships no types; VS Code's Markdown preview uses it with linkify.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o?: object) => { render(s: string): string };
const markdownIt = new MarkdownIt({ html: true, linkify: true });

const render = (md: string): string => marked.parse(md, { async: false, gfm: true }) as string;

/** Element names in rendered HTML with their counts. */
function elements(html: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)\b/g)) {
    const name = m[1].toLowerCase();
    out.set(name, (out.get(name) ?? 0) + 1);
  }
  return out;
}

/** marked's HTML text back to the characters. */
function unescapeHtml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

// Hostile strings by construct family: every one goes into every field of a report.
const FAMILIES: Record<string, string[]> = {
  'raw HTML, HTML blocks and comments': [
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    '<iframe src="https://evil.example"></iframe>',
    '<div>\n\n*block*\n\n</div>',
    '<!-- comment --> <?php x ?> <![CDATA[x]]>',
    '<a href="https://evil.example">x</a>',
    '</code><img src=x onerror=alert(1)>',
    '<details open ontoggle=alert(1)>',
  ],
  'ATX and setext headings, thematic breaks': ['# heading', '###### six', 'text\n===', 'text\n---', '===', '---', '***', '___', '   # indented', 'a\r\n===\r\n', 'a\n\n# b\n\nc'],
  'links, autolinks, bare URLs, emails, link references and images': [
    '<https://evil.example>',
    '<mailto:a@evil.example>',
    'https://evil.example/x?y=1',
    'www.evil.example',
    'ada@evil.example',
    'xmpp:ada@evil.example',
    '[x](javascript:alert(1))',
    '[ref]\n\n[ref]: https://evil.example',
    '[x]: https://evil.example "title"',
    '![i](https://evil.example/p.png)',
    '[x][ref] [y][] [z]',
    '[^1]\n\n[^1]: footnote',
  ],
  'code fences, indented code and backtick runs of length 1–5': ['```\ncode\n```', '~~~\ncode\n~~~', '`', '``', '```', '````', '`````', 'a`b``c```d````e`````f', '` x `', '    indented code', '\tcode', 'x\n\n    code'],
  'lists, block quotes and GFM tables': [
    '- item',
    '* item',
    '+ item',
    '1. item',
    '1) item',
    ' - nested',
    '> quote',
    '| a | b |\n|---|---|\n| c | d |',
    'a | b\n--- | ---',
    'cell | break',
    '- [ ] task',
  ],
  'emphasis, strikethrough, backslashes and entity references': [
    '*em*',
    '_em_',
    '**strong**',
    '__strong__',
    '~~del~~',
    '~del~',
    '\\',
    '\\*not em\\*',
    'trailing backslash\\',
    '&amp; &lt;script&gt; &#60;img&#62; &#x3C; &copy;',
    'hard  \nbreak',
    '$x$ $$y$$',
  ],
  'NUL, CR, LF, CRLF, zero-width and bidi characters, terminal escapes, very long text': [
    'NUL\u0000byte',
    'CR\ronly',
    'LF\nline',
    'CRLF\r\nline',
    'a\n\nb',
    'zero\u200bwidth\u200d\ufeffjoin',
    'rtl \u202eevil\u202c text',
    '\u2066isolate\u2069 \u202alre\u202c',
    'line\u2028separator\u2029para',
    '\u001b[2J\u001b]52;c;SGVsbG8=\u0007 \u009b31m \u0085',
    'x'.repeat(5000) + '<b>bold</b>',
    ' \t ',
  ],
};
const ALL_HOSTILE = Object.values(FAMILIES).flat();

const TYPES: EntityType[] = ['person', 'organization', 'place', 'group', 'date', 'number'];

/** A report source with `h` in every field: path, ids, kinds, tags, verdicts, notes, authors, dates, quotations, speakers, cues, entities. */
function sourceWith(h: string): ExportSource {
  // The text: three copies of h, one per span (quotation, speaker words, cue), and a plain tail.
  const seg = `${h}`;
  const text = `${seg}\n${seg}\n${seg}\nThe end.`;
  const s1 = 0;
  const s2 = seg.length + 1;
  const s3 = 2 * (seg.length + 1);
  const span = (start: number) => ({ start, end: start + seg.length });
  const annotation = (id: string, exact: string, start: number): AnnotationLike => ({
    id,
    kind: h,
    tags: [h, `tag ${h}`],
    verdict: h,
    note: `${h}\n${h}\n\n${h}`,
    author: h,
    created: h,
    modified: `${h} later`,
    target: { exact, start, end: start + exact.length },
  });
  const analysis: Analysis = {
    mentions: [],
    entities: TYPES.map((type) => ({ id: `${type}:x`, type, canonical: h, aliases: [h, `alias ${h}`], roles: [h, `role ${h}`], mentions: [span(s1)] })),
    quotes: [
      { ...span(s1), kind: 'full', speaker: { ...span(s2), name: h, via: h as never }, cue: span(s3), confidence: 1 },
      { ...span(s2), kind: h as never, speaker: { ...span(s3), name: `other ${h}`, via: 'pronoun' }, cue: null, confidence: 1 },
      { ...span(s3), kind: 'full', speaker: null, cue: span(s1), confidence: 1 },
      { ...span(s1), kind: 'scare', speaker: null, cue: null, confidence: 1 },
    ],
  };
  return {
    path: h,
    text,
    annotations: [annotation(h, seg, s1), annotation(`${h}-2`, `gone ${h}`, s2)],
    orphans: new Set([`${h}-2`]),
    analysis,
  };
}

const BENIGN = 'plain words';
const benignHtml = render(toMarkdown(sourceWith(BENIGN)));
const benign = elements(benignHtml);
const benignMdit = elements(markdownIt.render(toMarkdown(sourceWith(BENIGN))));
/** Elements whose number depends on the text's own line breaks (a note's paragraphs and hard breaks). */
const FLOWING = new Set(['p', 'br']);
/**
 * The report's own emphasis around user text (`**verdict**`, `_meta_`): marked masks `` `…` `` and
 * `<…>` spans for emphasis before it resolves backslash escapes, so an escaped `` \` `` or `\<` in one
 * field can pair with one in another and hide the report's `**` between them (a literal `**` shows;
 * CommonMark itself and markdown-it render them). Never more of them: user `*` and `_` are escaped.
 */
const AT_MOST = new Set(['strong', 'em']);

function assertInertReport(h: string): void {
  const md = toMarkdown(sourceWith(h));
  const html = render(md);
  const got = elements(html);
  const label = JSON.stringify(h.length > 80 ? h.slice(0, 80) + '…' : h);
  for (const [name, n] of got) {
    assert.ok(benign.has(name), `${label}: a <${name}> the report does not make:\n${html.slice(0, 3000)}`);
    if (AT_MOST.has(name)) assert.ok(n <= benign.get(name)!, `${label}: ${n} <${name}>, more than the report's ${benign.get(name)}`);
    else if (!FLOWING.has(name)) assert.equal(n, benign.get(name), `${label}: ${n} <${name}> instead of ${benign.get(name)}:\n${html.slice(0, 3000)}`);
  }
  for (const [name, n] of benign) if (!FLOWING.has(name) && !AT_MOST.has(name)) assert.equal(got.get(name) ?? 0, n, `${label}: <${name}> missing`);
  assert.ok(!/<(a|img|script|iframe|h[1-6]|hr|pre|del|s|input|details)\b/i.test(html.replace(/<h[1-3]>/g, '')), `${label}: ${html.slice(0, 2000)}`);
  assert.ok(!/<[^>]*\s(on[a-z]+|href|src)=/i.test(html), `${label}: an attribute from user text`);
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(md), `${label}: a control character in the report`);
  // markdown-it with linkify (VS Code's preview): no links either, nor any element the report does not make.
  const mdit = markdownIt.render(md);
  assert.ok(!/<(a|img|script|iframe|del|s|pre|hr)\b/i.test(mdit), `${label} (markdown-it): ${mdit.slice(0, 2000)}`);
  for (const [name, n] of elements(mdit)) {
    assert.ok(benignMdit.has(name), `${label} (markdown-it): a <${name}> the report does not make`);
    if (!FLOWING.has(name)) assert.equal(n, benignMdit.get(name), `${label} (markdown-it): ${n} <${name}> instead of ${benignMdit.get(name)}`);
  }
}

describe('adversarial: untrusted text stays inert', () => {
  describe('the Markdown report, rendered with marked (GFM) and markdown-it (linkify)', () => {
    it('a report of benign text makes its own elements only: headings, paragraphs, quotes, emphasis, code, a list and tables', () => {
      assert.deepEqual([...benign.keys()].sort(), ['blockquote', 'br', 'code', 'em', 'h1', 'h2', 'h3', 'li', 'p', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul']);
      assert.equal(benign.get('h1'), 1);
      assert.equal(benign.get('table'), TYPES.length);
      assert.ok(!/<a\b/.test(benignHtml));
    });

    it('every field reaches the report (path, ids, kind, tags, verdict, note, author, dates, quotations, speakers, via, cue, entities, aliases, roles)', () => {
      const tokens: Record<string, string> = {};
      const src = sourceWith('X');
      const put = (name: string) => (tokens[name] = `tok${name}tok`);
      src.path = put('path');
      const a = src.annotations[0] as AnnotationLike;
      Object.assign(a, { id: put('id'), kind: put('kind'), tags: [put('tag')], verdict: put('verdict'), note: put('note'), author: put('author'), created: put('created'), modified: put('modified') });
      const an = src.analysis!;
      an.entities[0] = { ...an.entities[0], canonical: put('canonical'), aliases: [put('alias')], roles: [put('role')] };
      an.quotes[0] = { ...an.quotes[0], speaker: { ...an.quotes[0].speaker!, name: put('speaker'), via: put('via') as never } };
      an.quotes[1] = { ...an.quotes[1], kind: put('qkind') as never };
      const text = render(toMarkdown(src));
      for (const [name, tok] of Object.entries(tokens)) assert.ok(text.includes(tok), `${name} is not in the report`);
      for (const quoted of ['X']) assert.ok(text.includes(quoted));
    });

    for (const [family, strings] of Object.entries(FAMILIES)) {
      it(`${family}: in every field, no element the report did not make (${strings.length} strings)`, () => {
        for (const h of strings) assertInertReport(h);
      });
    }

    it('any string (fast-check: Markdown punctuation, controls, any code point) in every field: no element the report did not make', () => {
      const unit = fc.constantFrom(...'`\\*_<>[]()!#|-=+~&;:/.@ \n\r\t1aw'.split(''), 'http://', 'www.', '&amp;', '\u0000', '\u001b', '\u202e', '\u2028');
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit, minLength: 1, maxLength: 30 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })), (h) => {
          fc.pre(h.trim() !== '');
          assertInertReport(h);
        }),
        { numRuns: 60 },
      );
    });

    it('all the hostile strings together in one report: still only its own elements', () => {
      assertInertReport(ALL_HOSTILE.join(' '));
      assertInertReport(ALL_HOSTILE.join('\n'));
    });

    it('the text is shown, not dropped: a hostile tag, id and note read back as written', () => {
      const h = '<img src=x onerror=alert(1)> `` ``` [x](y) www.x.com';
      const html = render(toMarkdown(sourceWith(h)));
      const text = unescapeHtml(html.replace(/<[^>]+>/g, ''));
      assert.ok(text.includes(h), text.slice(0, 500));
      assert.ok(html.includes(`<code>${h.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code>`), 'the id and tags are code spans holding the text');
    });
  });

  describe('escape helpers (src/core/text/escape.ts)', () => {
    const markdownish = fc.constantFrom(
      ...'`\\*_<>[]()!#|-=+~&;:/.@ \n\r\t1aw'.split(''),
      'http://',
      'https://x.y',
      'www.',
      '&amp;',
      '&#60;',
      '<a href=x>',
      '\u0000',
      '\u001b',
      '\u0085',
      '\u009b',
      '\u00a0',
      '\u2028',
      '\u202e',
      '\u2066',
      '\ufeff',
      '😀',
    );
    const hostileString = fc.oneof(fc.string({ unit: markdownish, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...ALL_HOSTILE));
    const controls = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
    /** What escapeMarkdown promises to show: whitespace runs as one space, controls and bidi as U+FFFD. */
    const shown = (s: string) => s.replace(/\s+/g, ' ').replace(controls, '\uFFFD').trim();

    it('escapeMarkdown(s) renders as one paragraph of plain text equal to s (whitespace runs as one space, controls as U+FFFD)', () => {
      fc.assert(
        fc.property(hostileString, (s) => {
          const want = shown(s);
          fc.pre(want !== '');
          const html = render(escapeMarkdown(s));
          const m = /^<p>([^<]*)<\/p>\n$/.exec(html);
          assert.ok(m, `not a single text paragraph: ${JSON.stringify(html)}`);
          assert.equal(unescapeHtml(m[1]).trim(), want);
        }),
      );
    });

    it('escapeMarkdown(s) in a GFM table cell stays one cell of plain text', () => {
      fc.assert(
        fc.property(hostileString, (s) => {
          const html = render(`| a | b |\n|---|---|\n| ${escapeMarkdown(s)} | z |\n`);
          const cells = [...html.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
          assert.deepEqual(Object.fromEntries(elements(html)), { table: 1, thead: 1, tr: 2, th: 2, tbody: 1, td: 2 }, html);
          assert.equal(unescapeHtml(cells[0]).trim(), shown(s));
          assert.equal(cells[1], 'z');
        }),
      );
    });

    it('escapeMarkdownLines(s) keeps each line as text joined by hard breaks (no <br> written), never a block of its own', () => {
      fc.assert(
        fc.property(hostileString, (s) => {
          const html = render(escapeMarkdownLines(s));
          const names = new Set(elements(html).keys());
          for (const n of names) assert.ok(n === 'p' || n === 'br', `<${n}> from ${JSON.stringify(s)}: ${html}`);
          const want = s.split(/\r\n|\r|\n|\u2028|\u2029/).map(shown).filter(Boolean).join(' ');
          const got = unescapeHtml(html.replace(/<br>/g, ' ').replace(/<\/?p>/g, ' ')).replace(/\s+/g, ' ').trim();
          assert.equal(got, want.replace(/\s+/g, ' ').trim());
        }),
      );
    });

    it('markdownCode(s) renders as exactly one code span holding s (line breaks as spaces, controls as U+FFFD)', () => {
      fc.assert(
        fc.property(hostileString, (s) => {
          const body = s.replace(/\r\n|\r|\n|\u2028|\u2029/g, ' ').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
          fc.pre(body !== '');
          const html = render(`see ${markdownCode(s)} here`);
          const m = /^<p>see <code>([^<]*)<\/code> here<\/p>\n$/.exec(html);
          assert.ok(m, `not one code span: ${JSON.stringify(s)} → ${JSON.stringify(markdownCode(s))} → ${html}`);
          assert.equal(unescapeHtml(m[1]), body);
        }),
      );
    });

    it('markdownCode: backtick runs of length 1–5 inside or at the ends never close the span; the padding is stripped exactly', () => {
      for (let n = 1; n <= 5; n++) {
        const run = '`'.repeat(n);
        for (const s of [run, `a${run}b`, `${run}a`, `a${run}`, ` ${run} `, `${run}${run}x`]) {
          const code = markdownCode(s);
          const longest = Math.max(...[...s.matchAll(/`+/g)].map((m) => m[0].length));
          assert.ok(code.startsWith('`'.repeat(longest + 1)) && !code.startsWith('`'.repeat(longest + 2)), code);
          assert.equal(render(code), `<p><code>${s}</code></p>\n`);
        }
      }
      assert.equal(markdownCode(''), '');
      assert.equal(markdownCode('plain'), '`plain`');
      assert.equal(render(markdownCode('   ')), '<p><code>   </code></p>\n');
    });

    it('terminalSafe removes every C0 control but the allowed ones, DEL, C1, lone CR and bidi controls; idempotent; printable text unchanged', () => {
      fc.assert(
        fc.property(hostileString, fc.boolean(), fc.boolean(), (s, newline, tab) => {
          const out = terminalSafe(s, { newline, tab });
          for (const ch of out) {
            const c = ch.codePointAt(0)!;
            if (c === 0x0a) assert.ok(newline, 'a newline although not allowed');
            else if (c === 0x09) assert.ok(tab, 'a tab although not allowed');
            else assert.ok(c >= 0x20 && !(c >= 0x7f && c <= 0x9f) && !(c >= 0x202a && c <= 0x202e) && !(c >= 0x2066 && c <= 0x2069) && c !== 0x2028 && c !== 0x2029, `U+${c.toString(16)} left in ${JSON.stringify(out)}`);
          }
          assert.equal(terminalSafe(out, { newline, tab }), out);
        }),
      );
      fc.assert(fc.property(fc.string({ unit: 'grapheme-ascii' }), (s) => void assert.equal(terminalSafe(s.replace(/[\u0000-\u001f\u007f]/g, '')), s.replace(/[\u0000-\u001f\u007f]/g, ''))));
    });

    it('terminalSafe shows escape sequences as text: OSC 52 (BEL and ST), CSI 2J, DCS, 8-bit CSI, lone CR, RTL override', () => {
      assert.equal(terminalSafe('\u001b]52;c;SGVsbG8=\u0007'), '\\x1b]52;c;SGVsbG8=\\x07');
      assert.equal(terminalSafe('\u001b]52;c;SGVsbG8=\u001b\\'), '\\x1b]52;c;SGVsbG8=\\x1b\\');
      assert.equal(terminalSafe('a\u001b[2Jb'), 'a\\x1b[2Jb');
      assert.equal(terminalSafe('\u001bP1$r\u001b\\'), '\\x1bP1$r\\x1b\\');
      assert.equal(terminalSafe('\u009b31m'), '\\x9b31m');
      assert.equal(terminalSafe('fake\rreal'), 'fake\\x0dreal');
      assert.equal(terminalSafe('a\r\nb'), 'a\\r\\nb');
      assert.equal(terminalSafe('a\r\nb\nc', { newline: true }), 'a\nb\nc');
      assert.equal(terminalSafe('evil\u202etxt.exe'), 'evil\\u202etxt.exe');
      assert.equal(terminalSafe('a\tb'), 'a\tb');
      assert.equal(terminalSafe('a\tb', { tab: false }), 'a\\x09b');
    });

    it('JSON.stringify escapes C0 controls as \\u escapes; jsonSafe adds DEL, C1, U+2028/9 and bidi, and keeps the value', () => {
      const v = { s: '\u001b]52;c;SGVsbG8=\u0007 \u001b[2J \u0000 \r \u007f \u009b \u0085 \u2028 \u202e x' };
      const plain = JSON.stringify(v);
      assert.ok(!/[\u0000-\u001f]/.test(plain), 'C0 escaped by JSON.stringify');
      assert.ok(plain.includes('\\u001b') && plain.includes('\\u0007'));
      assert.ok(/[\u007f-\u009f]/.test(plain), 'JSON.stringify leaves DEL and C1 raw');
      const safe = jsonSafe(plain);
      assert.ok(!/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(safe), safe);
      assert.deepEqual(JSON.parse(safe), v);
      fc.assert(fc.property(fc.jsonValue(), hostileString, (j, s) => void assert.deepEqual(JSON.parse(jsonSafe(JSON.stringify([j, s]))), JSON.parse(JSON.stringify([j, s])))));
    });

    it('clip: one line, trimmed, at most max characters with …, never half a surrogate pair', () => {
      assert.equal(clip('  a \n\n b\tc  ', 10), 'a b c');
      assert.equal(clip('abcdefghij', 5), 'abcd…');
      assert.equal(clip('abcde', 5), 'abcde');
      assert.equal(clip('x'.repeat(50)).length, 40);
      assert.equal(clip('abc😀def', 5), 'abc…');
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 30 }), (s, n) => {
          const c = clip(s, n);
          assert.ok(c.length <= n, `${JSON.stringify(c)} longer than ${n}`);
          assert.ok(!/\s\s|\n/.test(c));
          assert.ok(!/[\ud800-\udbff]…$|[\ud800-\udbff]$/.test(c), 'half a surrogate pair');
        }),
      );
    });
  });

  describe('the command line prints no control characters from sources, sidecars or file names', function () {
    this.timeout(120000);
    before(async () => {
      await buildCli();
    });
    after(removeTmpdirs);

    const OSC52 = '\u001b]52;c;SGVsbG8=\u0007';
    const CLEAR = '\u001b[2J';
    const EVIL = `${OSC52}${CLEAR}\u009b31m\u202e\r`;
    /** Any control a terminal could act on (newline and tab allowed). */
    const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const assertNoControls = (what: string, s: string) => {
      const m = CONTROL.exec(s);
      assert.ok(!m, `${what}: U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(s.slice(Math.max(0, (m?.index ?? 0) - 60), (m?.index ?? 0) + 60))}`);
    };
    const TEXT = `Port Ellis, 12 March 2024 —\n\nThe mayor, Jane Okafor, said the plan was “${OSC52} a turning point ${CLEAR} for the harbour.” She added: “We have waited ${OSC52} too long.”\n\nMr Brown of the Fishers’ Union called it “reckless${CLEAR}”.\n`;

    /** A folder with a source (its name holding ESC), and a sidecar whose ids, notes, tags and verdicts hold escape sequences; one annotation is orphaned. */
    function workspace(): { dir: string; source: string; name: string } {
      const dir = tmpdir('marginalia-inert-');
      fs.mkdirSync(path.join(dir, '.git'));
      const name = `evil${CLEAR}name.txt`;
      const source = path.join(dir, name);
      fs.writeFileSync(source, TEXT);
      const at = TEXT.indexOf('turning point');
      const annotations: Annotation[] = [
        { id: `01J${EVIL}A`, kind: 'note', target: makeTarget(TEXT, at, at + 'turning point'.length), note: `note ${EVIL}\nsecond line ${OSC52}`, tags: [`tag${EVIL}`], verdict: `v${CLEAR}`, author: `a${OSC52}` },
        { id: `01J${EVIL}B`, kind: 'question', target: { exact: `gone ${EVIL} text`, prefix: `p${CLEAR}`, suffix: `s${OSC52}`, start: 3, end: 9 }, note: EVIL },
      ];
      const data: Sidecar = { version: 1, source: name, hash: hashText(TEXT), annotations, corrections: [] };
      fs.writeFileSync(source + '.marginalia.yaml', serializeSidecar(data));
      return { dir, source, name };
    }

    it('scan prints its table with the quotations and the file name, escape sequences shown as text', () => {
      const { dir, name } = workspace();
      const r = cli(['scan', '--jobs', '0', name], dir);
      assert.equal(r.status, 0, r.stderr);
      assertNoControls('scan stdout', r.stdout);
      assertNoControls('scan stderr', r.stderr);
      assert.ok(r.stdout.includes('\\x1b]52;c;SGVsbG8=\\x07'), r.stdout);
      assert.ok(r.stdout.includes('evil\\x1b[2Jname.txt'), r.stdout);
    });

    it('scan --json: C0 controls come out as \\u escapes, DEL and C1 too', () => {
      const { dir, name } = workspace();
      const r = cli(['scan', '--json', '--jobs', '0', name], dir);
      assert.equal(r.status, 0, r.stderr);
      assertNoControls('scan --json', r.stdout);
      assert.ok(r.stdout.includes('"path":"evil\\u001b[2Jname.txt"'), r.stdout.slice(0, 300));
      const j = JSON.parse(r.stdout) as { files: Array<{ path: string }> };
      assert.equal(j.files[0].path, name);
    });

    it('check prints each finding on one line: ids, quoted text and file names shown as text', () => {
      const { dir } = workspace();
      const r = cli(['check', '--jobs', '0', '.'], dir);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assertNoControls('check stdout', r.stdout);
      assertNoControls('check stderr', r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.ok(lines.length >= 1 && lines.every((l) => /^evil\\x1b\[2Jname\.txt\.marginalia\.yaml:\d+:\d+: (error|warning): /.test(l)), r.stdout);
      assert.ok(r.stdout.includes('01J\\x1b]52;c;SGVsbG8=\\x07'), r.stdout);
    });

    it('check --json: the findings parse back to the raw text, with no control character printed', () => {
      const { dir } = workspace();
      const r = cli(['check', '--json', '--jobs', '0', '.'], dir);
      assert.equal(r.status, 1, r.stderr);
      assertNoControls('check --json', r.stdout);
      const j = JSON.parse(r.stdout) as { files: Array<{ path: string; findings: Array<{ id?: string; message: string }> }> };
      assert.ok(j.files[0].path.includes(CLEAR));
      assert.ok(j.files[0].findings.some((f) => f.id === `01J${EVIL}B`), r.stdout);
    });

    it('export --format md: the report and the orphan message hold no control characters', () => {
      const { dir, name } = workspace();
      const r = cli(['export', '--format', 'md', name], dir);
      assert.equal(r.status, 1, r.stderr);
      assertNoControls('export stdout', r.stdout);
      assertNoControls('export stderr', r.stderr);
      assert.match(r.stderr, /orphaned annotation/);
      const html = render(r.stdout);
      assert.ok(!/<(a|img|script)\b/.test(html));
    });

    it('export --format w3c to stdout: JSON with every control as a \\u escape', () => {
      const { dir, name } = workspace();
      const r = cli(['export', '--format', 'w3c', '--no-recognition', name], dir);
      assertNoControls('export w3c stdout', r.stdout);
      assertNoControls('export w3c stderr', r.stderr);
      assert.ok(r.stdout.includes(`01J${jsonSafe(JSON.stringify(EVIL)).slice(1, -1)}A`), r.stdout.slice(0, 2000));
    });

    it('import: warnings and the summary name hostile files and ids as text', () => {
      const { dir, name } = workspace();
      const file = path.join(dir, `notes${OSC52}.jsonld`);
      const bad = { id: `urn:x:${EVIL}`, type: 'Annotation', motivation: 'commenting', body: { type: 'TextualBody', value: EVIL }, target: { source: EVIL, selector: { type: `Bogus${EVIL}` } } };
      const good = { id: `01J${EVIL}C`, type: 'Annotation', motivation: 'commenting', body: { type: 'TextualBody', value: `hi ${EVIL}` }, target: { source: name, selector: [{ type: 'TextQuoteSelector', exact: 'reckless' }] } };
      fs.writeFileSync(file, JSON.stringify({ '@context': 'http://www.w3.org/ns/anno.jsonld', type: 'AnnotationCollection', first: { type: 'AnnotationPage', items: [bad, good] } }));
      const r = cli(['import', '--format', 'w3c', '--source', name, path.basename(file)], dir);
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      assertNoControls('import stdout', r.stdout);
      assertNoControls('import stderr', r.stderr);
      assert.ok(r.stderr.length > 0);
    });

    it('merge-driver: conflict ids and an invalid side’s error are printed as text', () => {
      const { dir } = workspace();
      const mk = (note: string) => serializeSidecar({ version: 1, source: 'a.txt', annotations: [{ id: `01J${EVIL}M`, kind: 'note', note, target: makeTarget(TEXT, 0, 4) }], corrections: [] });
      const [base, ours, theirs] = ['base', 'ours', 'theirs'].map((n) => path.join(dir, `${n}.yaml`));
      fs.writeFileSync(base, mk('base'));
      fs.writeFileSync(ours, mk(`ours ${EVIL}`));
      fs.writeFileSync(theirs, mk(`theirs ${EVIL}`));
      const r = cli(['merge-driver', base, ours, theirs], dir);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /conflict/);
      assertNoControls('merge-driver stderr', r.stderr);
      assert.ok(r.stderr.includes('01J\\x1b]52'), r.stderr);
      // A side that is not a sidecar: its parse error may quote the file; ours stays as it was.
      fs.writeFileSync(theirs, `version: 1\nsource: [${OSC52}\n  ${CLEAR}: : :\n`);
      const before = fs.readFileSync(ours, 'utf8');
      const r2 = cli(['merge-driver', base, ours, theirs], dir);
      assertCleanError(r2, 1, /not a valid sidecar/);
      assertNoControls('merge-driver stderr (invalid side)', r2.stderr);
      assert.equal(fs.readFileSync(ours, 'utf8'), before);
    });
  });
});
