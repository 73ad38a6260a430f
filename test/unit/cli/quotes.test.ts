import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildCli, cli, removeTmpdirs, tmpdir } from './helpers';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'quotes-fidelity');

/** A copy of the fixture workspace (articles, transcripts/, statements/ marked in .marginalia/primary-sources.txt). */
function workspace(): string {
  const dir = tmpdir('marginalia-quotes-');
  fs.cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

interface JsonQuote {
  path: string;
  start: number;
  end: number;
  text: string;
  speaker: { name: string; canonical: string } | null;
  status: string;
  against: string | null;
  short: boolean;
  matches: { path: string; start: number; end: number; status: string; parts: { start: number; end: number }[]; diff: { op: string; text: string; mark?: string }[] }[];
}

function json(stdout: string): JsonQuote[] {
  return (JSON.parse(stdout) as { quotes: JsonQuote[] }).quotes;
}

const norm = (file: string) => fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

describe('cli: marginalia quotes', function () {
  this.timeout(60000);
  before(async () => {
    await buildCli();
  });
  after(removeTmpdirs);

  it('--help prints the usage and the statuses; the top-level help lists the form', () => {
    const r = cli(['quotes', '--help']);
    assert.equal(r.status, 0);
    assert.ok(r.stdout.startsWith('Usage: marginalia quotes'));
    for (const s of ['verbatim', 'marked-edit', 'altered', 'spliced', 'unmatched', 'Exit status']) assert.ok(r.stdout.includes(s), s);
    assert.ok(cli(['--help']).stdout.includes('quotes [--json] [--primary GLOB_OR_FILE]... [--check] PATH...'));
  });

  it('--json: every quotation with its status, speaker and matches; offsets slice the normalised texts', () => {
    const dir = workspace();
    const r = cli(['quotes', '--json', 'articles/report.txt'], dir);
    assert.equal(r.status, 0, r.stderr);
    const qs = json(r.stdout);
    const article = norm(path.join(dir, 'articles/report.txt'));
    assert.deepEqual(
      qs.map((q) => q.status),
      ['verbatim', 'verbatim', 'altered', 'marked-edit', 'marked-edit', 'spliced', 'unmatched', 'verbatim'],
    );
    for (const q of qs) {
      assert.equal(q.path, 'articles/report.txt');
      assert.equal(article.slice(q.start, q.end), q.text);
      for (const m of q.matches) {
        const src = norm(path.join(dir, m.path));
        assert.ok(m.start < m.end && m.end <= src.length);
        for (const p of m.parts) assert.ok(p.start >= m.start && p.end <= m.end);
        for (const d of m.diff) assert.ok(['equal', 'insert', 'delete'].includes(d.op));
      }
    }
    assert.equal(qs[0].speaker?.canonical, 'Sergei Lavrov');
    assert.equal(qs[0].matches[0].path, 'transcripts/briefing.txt');
    const altered = qs[2].matches[0];
    assert.deepEqual(altered.diff.filter((d) => d.op !== 'equal'), [{ op: 'delete', text: 'stated' }]);
    // The press release is primary through the marked list.
    assert.equal(qs[7].matches[0].path, 'statements/press-release.txt');
  });

  it('human output: location, status, speaker, text, and the diff through terminalText', () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'articles/evil.txt'), '"We will not accept ultimatums from anyone \u001b]52;c;ZXZpbA==\u0007 at all," Lavrov said.\n');
    const r = cli(['quotes', 'articles'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /articles\/report\.txt:9:1 +altered +Sergei Lavrov +"The sanctions/);
    assert.match(r.stdout, /= transcripts\/briefing\.txt:\d+:\d+ altered .*\[-stated-\]/);
    assert.match(r.stdout, /quotations in 4 sources: .*\(2 primary sources\)/);
    assert.ok(!r.stdout.includes('\u001b'), 'no raw escape character reaches the terminal');
    assert.ok(r.stdout.includes('\\x1b'));
  });

  it('--check exits 1 on an altered or spliced quotation, 0 when all are faithful', () => {
    const dir = workspace();
    assert.equal(cli(['quotes', '--check', 'articles/report.txt'], dir).status, 1);
    assert.equal(cli(['quotes', 'articles/report.txt'], dir).status, 0);
    fs.writeFileSync(path.join(dir, 'articles/good.txt'), '"The talks in Geneva were useful," Lavrov said.\n\n"We will not accept ultimatums from anyone … I want to stress that the door remains open," he added.\n');
    const r = cli(['quotes', '--check', '--json', 'articles/good.txt'], dir);
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(json(r.stdout).map((q) => q.status), ['verbatim', 'marked-edit']);
  });

  it('--primary adds a file, a folder or a glob; a glob matching nothing is a usage error', () => {
    const dir = workspace();
    fs.mkdirSync(path.join(dir, 'notes'));
    fs.writeFileSync(path.join(dir, 'notes/interview.txt'), 'Q: And the navy? A: We will never negotiate with terrorists under any circumstances whatsoever.\n');
    const last = (args: string[]) => {
      const r = cli(['quotes', '--json', ...args, 'articles/report.txt'], dir);
      assert.equal(r.status, 0, r.stderr);
      return json(r.stdout)[6];
    };
    assert.equal(last([]).status, 'unmatched');
    for (const p of ['notes/interview.txt', 'notes', 'notes/*.txt']) {
      const q = last(['--primary', p]);
      assert.equal(q.status, 'verbatim', p);
      assert.equal(q.matches[0].path, 'notes/interview.txt');
    }
    const bad = cli(['quotes', '--primary', 'nowhere/*.txt', 'articles/report.txt'], dir);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /no file in the workspace matches it/);
    assert.equal(cli(['quotes', '--primary', 'missing.txt', 'articles/report.txt'], dir).status, 2);
  });

  it('reads marginalia.primarySources from .vscode/settings.json (instead of the default globs)', () => {
    const dir = workspace();
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode/settings.json'), '{\n  // only the statements\n  "marginalia.primarySources": ["statements/**"],\n}\n');
    fs.writeFileSync(path.join(dir, '.marginalia/primary-sources.txt'), '');
    const qs = json(cli(['quotes', '--json', 'articles/report.txt'], dir).stdout);
    assert.equal(qs[0].status, 'unmatched', 'the transcript is not primary any more');
    assert.equal(qs[7].status, 'verbatim');
  });

  it('compares with other sources when no primary source matches; BOM and CRLF do not shift offsets', () => {
    const dir = workspace();
    const crlf = '\uFEFF"Our farmers have planted more oats this year than in any year before," Patrushev said.\r\n';
    fs.writeFileSync(path.join(dir, 'articles/third.txt'), crlf);
    const r = cli(['quotes', '--json', 'articles/other.txt', 'articles/second.txt', 'articles/third.txt'], dir);
    assert.equal(r.status, 0, r.stderr);
    const third = json(r.stdout).filter((q) => q.path === 'articles/third.txt');
    assert.equal(third.length, 1);
    assert.equal(third[0].status, 'altered');
    assert.equal(third[0].against, 'other');
    assert.equal(norm(path.join(dir, 'articles/third.txt')).slice(third[0].start, third[0].end), third[0].text);
  });

  it('usage and input errors: no PATH, an unknown option, a missing file', () => {
    const dir = workspace();
    assert.equal(cli(['quotes'], dir).status, 2);
    assert.equal(cli(['quotes', '--frob', 'articles'], dir).status, 2);
    const r = cli(['quotes', 'articles/missing.txt'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /missing\.txt/);
  });
});
