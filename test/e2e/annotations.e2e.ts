// What a user sees when annotating: select text in the seed, run Annotate Selection from the
// palette, go through the steps (or type one quick entry) — the annotation is listed in the
// Annotations view and written to the sidecar beside the seed; editing with Enter through the steps
// keeps what was there; a source whose sidecar is broken is refused before the first prompt.
import * as assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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

/** The quick input's title bar (title and "n/m" step count). */
async function quickTitle(): Promise<string> {
  const wb = workbench();
  return (await wb.page.locator('.quick-input-widget .quick-input-title').innerText().catch(() => '')).replace(/\u00a0/g, ' ');
}

/** Waits until the quick input shows step `step` of `total`. */
async function waitForStep(step: number, total: number): Promise<string> {
  return poll(async () => {
    const t = await quickTitle();
    return t.includes(`${step}/${total}`) ? t : undefined;
  }, `step ${step}/${total} (title: ${await quickTitle()})`, 10_000);
}

const sidecar = (): Promise<string> => readFile(workbench().wsPath(`${SEED}.marginalia.yaml`), 'utf8');

describe('annotations: annotate the seed from the palette', () => {
  it('select text, Annotate Selection, step by step (verdict first for a claim): it shows in the tree and in the YAML on disk', async () => {
    const wb = workbench();
    await wb.waitForActivation();
    await wb.openFile(SEED);
    await wb.goToLine(1);
    await wb.selectText('Sergei Lavrov');
    await wb.runCommand('Marginalia: Annotate Selection');
    assert.match(await waitForStep(1, 3), /Annotate “Sergei Lavrov”/);
    await wb.pickQuickItem('claim');
    const verdictTitle = await waitForStep(2, 4);
    assert.match(verdictTitle, /claim/);
    assert.ok(await wb.page.locator('.quick-input-widget .action-label[aria-label="Back"], .quick-input-widget .codicon-quick-input-back').count() > 0, 'a Back button');
    await wb.pickQuickItem('unverified'); // verdict
    await waitForStep(3, 4);
    await wb.quickInput('Check his title in the dateline');
    await waitForStep(4, 4);
    await wb.quickInput('e2e, people'); // tags
    const rows = await poll(async () => {
      const r = await wb.readViewRows('Annotations');
      return r.some((x) => x.includes('Check his title in the dateline')) ? r : undefined;
    }, 'the note in the Annotations view');
    assert.ok(rows.some((r) => /unverified/.test(r) && /Check his title/.test(r)), `rows: ${rows.join(' | ')}`);
    const yaml = await poll(async () => {
      const t = await sidecar();
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

  it('Edit Annotation with Enter through every step keeps the kind, the verdict, the note and the tags', async () => {
    const wb = workbench();
    await wb.goToLine(1);
    await wb.clickText('Sergei Lavrov');
    await wb.runCommand('Marginalia: Edit Annotation');
    for (let step = 1; step <= 4; step++) {
      await waitForStep(step, 4);
      await wb.page.waitForTimeout(150);
      await wb.page.keyboard.press('Enter');
    }
    await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
    const yaml = await poll(async () => {
      const t = await sidecar();
      return /modified: /.test(t) ? t : undefined;
    }, 'the sidecar');
    assert.match(yaml, /^ {4}kind: claim$/m, yaml);
    assert.match(yaml, /^ {4}verdict: unverified$/m, yaml);
    assert.match(yaml, /^ {4}note: Check his title in the dateline$/m, yaml);
    assert.match(yaml, /^ {4}tags: \[ "e2e", "people" \]$/m, yaml);
    assert.doesNotMatch(yaml, /kind: note/, yaml);
  });

  it('a one-line quick entry ("claim: false #casualties …") saves kind, verdict, tags and note at once', async () => {
    const wb = workbench();
    await wb.goToLine(43);
    await wb.selectText('over 5,000');
    await wb.runCommand('Marginalia: Annotate Selection');
    await waitForStep(1, 3);
    await wb.quickInput('claim: false #casualties the figure is from 2021', { submit: false });
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Save claim · false · #casualties' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await wb.page.keyboard.press('Enter');
    const yaml = await poll(async () => {
      const t = await sidecar();
      return t.includes('the figure is from 2021') ? t : undefined;
    }, 'the quick entry on disk');
    const block = yaml.slice(yaml.lastIndexOf('  - id:', yaml.indexOf('the figure is from 2021')));
    assert.match(block, /kind: claim/, block);
    assert.match(block, /verdict: "?false"?/, block);
    assert.match(block, /tags: \[ "casualties" \]/, block);
    assert.match(block, /exact: over 5,000/, block);
  });

  it('verdicts at a glance: a badge at the end of the annotated line in the verdict\'s colour, the verdict in the tree label', async () => {
    const wb = workbench();
    await wb.goToLine(43);
    const badges = await poll(async () => {
      const found = await wb.page.evaluate(() =>
        Array.from(document.querySelectorAll('.editor-instance .monaco-editor [class*="ced-"]')).map((el) => ({
          after: getComputedStyle(el, '::after').content.replace(/^"|"$/g, ''),
          color: getComputedStyle(el, '::after').color,
        })).filter((b) => b.after && b.after !== 'none'),
      );
      return found.some((b) => b.after.startsWith('false · the figure is from 2021')) ? found : undefined;
    }, 'the verdict badge on line 43');
    const falseBadge = badges.find((b) => b.after.startsWith('false'))!;
    await wb.page.waitForTimeout(300);
    await wb.screenshot('annotations-verdicts', { readme: process.env.MARGINALIA_README_SCREENSHOT === '1', as: 'screenshot-verdicts.png' });
    await wb.goToLine(1);
    const unverified = await poll(async () => {
      const found = await wb.page.evaluate(() =>
        Array.from(document.querySelectorAll('.editor-instance .monaco-editor [class*="ced-"]')).map((el) => ({
          after: getComputedStyle(el, '::after').content.replace(/^"|"$/g, ''),
          color: getComputedStyle(el, '::after').color,
        })).filter((b) => b.after.startsWith('unverified')),
      );
      return found[0];
    }, 'the unverified badge on line 1');
    assert.notEqual(falseBadge.color, unverified.color, 'false and unverified badges look the same');
    const rows = await wb.readViewRows('Annotations');
    assert.ok(rows.some((r) => r.startsWith('false: the figure is from 2021')), `rows: ${rows.join(' | ')}`);
  });

  it('the filter applies as you type, with a count; Escape restores; grouping by verdict gathers the verdicts', async () => {
    const wb = workbench();
    await wb.runCommand('Marginalia: Filter Annotations…');
    await wb.quickInput('figure', { submit: false });
    const rows = await poll(async () => {
      const r = await wb.readViewRows('Annotations');
      return r.some((x) => x.includes('the figure is from 2021')) && !r.some((x) => x.includes('Check his title')) ? r : undefined;
    }, 'the Annotations view filtered while typing');
    assert.ok(rows.length >= 1);
    const message = await wb.page.locator('.quick-input-widget .quick-input-message').innerText();
    assert.match(message, /1 of 2 annotations match/, message);
    await wb.page.keyboard.press('Escape');
    await poll(async () => {
      const r = await wb.readViewRows('Annotations');
      return r.some((x) => x.includes('Check his title')) ? r : undefined;
    }, 'the previous (empty) filter restored');
    await wb.runCommand('Marginalia: Group Annotations By…');
    await wb.pickQuickItem('verdict');
    const grouped = await poll(async () => {
      const r = await wb.readViewRows('Annotations');
      return r[0]?.startsWith('false') ? r : undefined;
    }, 'the verdict groups at the top of the view');
    assert.ok(grouped.some((r) => r.startsWith('unverified')), grouped.join(' | '));
    await wb.runCommand('Marginalia: Group Annotations By…');
    await wb.pickQuickItem('source');
  });

  it('Export… saves the Markdown report in marginalia-exports/, not beside the article, and opens its preview', async () => {
    const wb = workbench();
    await wb.openFile(SEED);
    await wb.runCommand('Marginalia: Export…');
    await wb.pickQuickItem('Markdown report');
    // the save dialog (VS Code's simple file dialog in the browser) proposes the export folder
    const box = wb.page.locator('.quick-input-widget input.input');
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    const proposed = await poll(async () => {
      const v = await box.inputValue();
      return /marginalia-exports\/.*\.md$/.test(v) ? v : undefined; // the dialog fills in the folder, then the name
    }, 'the proposed path in marginalia-exports/');
    assert.match(proposed, /marginalia-exports\/seeds\/000_f0f083a2e182d3f1\.txt\.md$/);
    await box.press('Enter');
    await poll(async () => (await readFile(wb.wsPath('marginalia-exports/seeds/000_f0f083a2e182d3f1.txt.md'), 'utf8')).length > 0 || undefined, 'the report on disk');
    await wb.page.locator('.tabs-container .tab', { hasText: 'Preview' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await wb.runCommand('View: Close All Editors');
    await wb.openFile(SEED);
  });

  it('a source whose sidecar is broken is refused before the first prompt, with Open Sidecar and Show Problem', async () => {
    const wb = workbench();
    await mkdir(wb.wsPath('e2e'), { recursive: true });
    await writeFile(wb.wsPath('e2e/broken.txt'), 'The minister said nothing new today.\n');
    await writeFile(wb.wsPath('e2e/broken.txt.marginalia.yaml'), 'version: 1\nsource: broken.txt\nannotations:\n  - id: [unclosed\n');
    await wb.openFile('e2e/broken.txt');
    await wb.page.waitForTimeout(1000);
    await wb.selectText('minister');
    await wb.runCommand('Marginalia: Annotate Selection');
    const message = await wb.waitForNotification('read-only');
    assert.match(message, /broken\.txt\.marginalia\.yaml/);
    assert.equal(await wb.page.locator('.quick-input-widget').isVisible(), false, 'no prompt was shown');
    const toast = wb.page.locator('.notifications-toasts .notification-list-item', { hasText: 'read-only' }).first();
    const buttons = (await toast.locator('.monaco-button').allInnerTexts()).map((t) => t.trim());
    assert.ok(buttons.includes('Open Sidecar') && buttons.includes('Show Problem'), `buttons: ${buttons.join(', ')}`);
    await toast.locator('.monaco-button', { hasText: 'Open Sidecar' }).click();
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'broken.txt.marginalia.yaml' }).waitFor({ state: 'visible', timeout: 10_000 });
    // leave the workbench as it was for the scenarios (and the README screenshot) after this one
    await poll(async () => {
      await wb.runCommand('View: Close All Editors');
      return (await wb.page.locator('.tabs-container .tab').count()) === 0 ? true : undefined;
    }, 'every editor closed');
    // fixing the sidecar clears the error, and the row goes (the temp workspace keeps the files)
    await writeFile(wb.wsPath('e2e/broken.txt.marginalia.yaml'), 'version: 1\nsource: broken.txt\nannotations: []\n');
    await poll(async () => ((await wb.readViewRows('Annotations')).some((r) => r.includes('broken.txt')) ? undefined : true), 'the broken source gone from the Annotations view');
    // (Quick Open would list the sidecar first, as recently opened)
    await wb.runCommand('Marginalia: Open the Sample Article');
    await wb.page.locator('.tabs-container .tab.active', { hasText: '000_f0f083a2e182d3f1.txt' }).waitFor({ state: 'visible', timeout: 15_000 });
  });
});
