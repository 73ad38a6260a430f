import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_PRIMARY_SOURCES,
  PRIMARY_LIST_PATH,
  isPrimarySource,
  matchesGlob,
  parsePrimaryList,
  readPrimaryList,
  serializePrimaryList,
  togglePrimary,
  writePrimaryList,
} from '../../../src/core/quotecheck';
import { Project } from '../../../src/core/project';
import { nodeFs, toProjectPath } from '../../../src/cli/nodeFs';

describe('quotecheck: primary sources', () => {
  it('the default globs: transcripts folders at any depth and *.transcript.* files', () => {
    assert.deepEqual([...DEFAULT_PRIMARY_SOURCES], ['**/transcripts/**', '**/*.transcript.*']);
    for (const p of ['transcripts/a.txt', 'x/y/transcripts/b.md', 'debate.transcript.txt', 'a/b/c.transcript.md']) assert.ok(isPrimarySource(p), p);
    for (const p of ['articles/a.txt', 'transcripts.txt', 'my-transcripts/a.txt', 'transcript.txt']) assert.ok(!isPrimarySource(p), p);
  });

  it('globs: *, ?, **, {a,b}, [abc]', () => {
    assert.ok(matchesGlob('refs/a.txt', 'refs/*.txt'));
    assert.ok(!matchesGlob('refs/x/a.txt', 'refs/*.txt'));
    assert.ok(matchesGlob('refs/x/a.txt', 'refs/**/*.txt'));
    assert.ok(matchesGlob('refs/a.txt', 'refs/**/*.txt'));
    assert.ok(matchesGlob('a1.md', 'a?.{md,txt}'));
    assert.ok(matchesGlob('b.txt', '[abc].txt'));
    assert.ok(!matchesGlob('d.txt', '[abc].txt'));
    assert.ok(matchesGlob('./refs\\a.txt', 'refs/a.txt'), 'paths are normalised');
  });

  it('the marked list: one path a line, sorted, unique; comments and blanks ignored; no ..', () => {
    assert.deepEqual(parsePrimaryList('# mine\nb.txt\r\n\n./a.txt\nb.txt\n../out.txt\n'), ['a.txt', 'b.txt']);
    assert.equal(serializePrimaryList(['b.txt', 'a\\c.txt', 'b.txt']), 'a/c.txt\nb.txt\n');
    assert.equal(serializePrimaryList([]), '');
    assert.deepEqual(togglePrimary(['b.txt'], 'a.txt', true), ['a.txt', 'b.txt']);
    assert.deepEqual(togglePrimary(['a.txt', 'b.txt'], 'a.txt', false), ['b.txt']);
    assert.ok(isPrimarySource('notes/statement.txt', DEFAULT_PRIMARY_SOURCES, ['notes/statement.txt']));
    assert.ok(isPrimarySource('notes/statement.txt', [], new Set(['notes/statement.txt'])));
  });

  it('reads and writes .marginalia/primary-sources.txt in a workspace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marginalia-primary-'));
    try {
      const project = new Project(nodeFs, toProjectPath(dir));
      assert.deepEqual(await readPrimaryList(project), []);
      await writePrimaryList(project, ['z.txt', 'statements/a.txt']);
      assert.equal(fs.readFileSync(path.join(dir, PRIMARY_LIST_PATH), 'utf8'), 'statements/a.txt\nz.txt\n');
      assert.deepEqual(await readPrimaryList(project), ['statements/a.txt', 'z.txt']);
      assert.deepEqual(fs.readdirSync(path.join(dir, '.marginalia')), ['primary-sources.txt'], 'no temporary file left');
      await writePrimaryList(project, []);
      assert.equal(fs.existsSync(path.join(dir, PRIMARY_LIST_PATH)), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
