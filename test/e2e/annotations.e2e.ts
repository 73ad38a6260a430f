// What a user sees when annotating: select text in the seed, run Annotate Selection from the
// palette, pick a kind, type a note — the note is listed in the Annotations view and written to the
// sidecar beside the seed.
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { SEED, workbench } from './harness';

async function poll<T>(probe: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('annotations: annotate the seed from the palette', () => {
  it('select text, Annotate Selection, type a note: it shows in the tree and in the YAML on disk', async () => {
    const wb = workbench();
    await wb.waitForActivation();
    await wb.openFile(SEED);
    await wb.goToLine(1);
    await wb.selectText('Sergei Lavrov');
    await wb.runCommand('Marginalia: Annotate Selection');
    await wb.pickQuickItem('claim');
    await wb.quickInput('Check his title in the dateline');
    await wb.quickInput('e2e, people'); // tags
    await wb.pickQuickItem('unverified'); // verdict
    const rows = await poll(async () => {
      const r = await wb.readViewRows('Annotations');
      return r.some((x) => x.includes('Check his title in the dateline')) ? r : undefined;
    }, 'the note in the Annotations view');
    assert.ok(rows.some((r) => /claim/.test(r)), `rows: ${rows.join(' | ')}`);
    const yaml = await poll(async () => {
      const t = await readFile(wb.wsPath(`${SEED}.marginalia.yaml`), 'utf8');
      return t.includes('Check his title in the dateline') ? t : undefined;
    }, 'the sidecar on disk');
    assert.match(yaml, /^ {4}kind: claim$/m);
    assert.match(yaml, /^ {6}exact: Sergei Lavrov$/m);
    assert.match(yaml, /^ {4}verdict: unverified$/m);
    assert.match(yaml, /^ {4}tags: \[ "e2e", "people" \]$/m);
    // the annotation is painted in the editor (its gutter icon and background)
    const painted = await wb.readDecorations('ced-');
    assert.ok(painted.some((d) => d.text.includes('Sergei Lavrov')), 'no decoration on the annotated text');
    await wb.screenshot('annotations-seed');
  });
});
