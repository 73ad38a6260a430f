// The fact-check flow as a user sees it: a claim annotated in the sample article, its evidence
// selected in a second source and linked with "Marginalia: Link Evidence…" (pick the claim, pick
// the relation); the link is stored in the claim's sidecar, the claim's hover shows the quoted
// evidence with its source, the Annotations view lists it under the claim, and clicking it opens the
// second source at the span.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseSidecar } from '../../src/core/sidecar';
import { assertWorkbenchImage, SEED, workbench } from './harness';

const RECORD = 'factcheck/un-record.txt';
const RECORD_TEXT = [
  'Security Council meeting record, 16 October 2023.',
  '',
  'The draft resolution submitted by the Russian Federation, calling for a humanitarian ceasefire,',
  'failed to be adopted, having received 5 votes in favour, 4 against and 6 abstentions.',
  '',
].join('\n');
const EVIDENCE = 'failed to be adopted';
const CLAIM = 'a Russian-drafted resolution';
/** The line of the seed holding the claim (1-based). */
const CLAIM_LINE = 37;

async function poll<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Selects `text` with the mouse and checks the status bar says so: the speaker labels (inlay hints)
 * and decorations may arrive between locating the text and the drag, so it is tried again.
 */
async function selectExactly(text: string, line: number): Promise<void> {
  const wb = workbench();
  await poll(async () => {
    await wb.goToLine(line);
    await wb.page.waitForTimeout(500);
    await wb.selectText(text);
    const items = await wb.statusBarItems();
    return items.some((t) => t.includes(`(${text.length} selected)`)) ? true : undefined;
  }, `the selection of "${text}"`);
}

/** The sample article (seeds/…), active: the palette's Open the Sample Article opens the workspace's copy. */
async function openSample(): Promise<void> {
  const wb = workbench();
  await wb.runCommand('Marginalia: Open the Sample Article');
  await wb.page.locator('.tabs-container .tab.active', { hasText: '000_f0f083a2e182d3f1.txt' }).waitFor({ state: 'visible', timeout: 15_000 });
  await wb.page.locator('.editor-instance .monaco-editor .view-line').first().waitFor({ state: 'visible', timeout: 15_000 });
}

const sidecar = (): string => fs.readFileSync(workbench().wsPath(`${SEED}.marginalia.yaml`), 'utf8');

describe('fact-check: link evidence in a second source to a claim', () => {
  before(async () => {
    const wb = workbench();
    await wb.waitForActivation();
    fs.mkdirSync(wb.wsPath('factcheck'), { recursive: true });
    fs.writeFileSync(wb.wsPath(RECORD), RECORD_TEXT);
  });

  it('annotates the claim in the sample article (a one-line quick entry)', async () => {
    const wb = workbench();
    await openSample();
    await wb.waitForDecoration('ced-');
    await selectExactly(CLAIM, CLAIM_LINE);
    await wb.runCommand('Marginalia: Annotate Selection');
    await wb.quickInput('claim: true the draft was put to a vote and not adopted', { submit: false });
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Save claim · true' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await wb.page.keyboard.press('Enter');
    await poll(async () => (sidecar().includes(CLAIM) ? true : undefined), 'the claim on disk');
  });

  it('Link Evidence… from a selection in the second source: pick the claim, pick the relation; stored in the claim\'s sidecar', async () => {
    const wb = workbench();
    await wb.openFile(RECORD);
    await wb.waitForDecoration('ced-');
    await selectExactly(EVIDENCE, 1);
    await wb.runCommand('Marginalia: Link Evidence…');
    // The claims of the workspace: text, verdict and source.
    const row = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'a Russian-drafted resolution' }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    const rows = await wb.quickInputRows();
    assert.ok(rows.some((r) => r.includes('a Russian-drafted resolution') && r.includes('true') && r.includes(SEED)), rows.join(' | '));
    await row.click();
    await wb.pickQuickItem('supports');
    const yaml = await poll(async () => (sidecar().includes('evidence:') ? sidecar() : undefined), 'the evidence in the seed\'s sidecar');
    const parsed = parseSidecar(yaml);
    assert.ok(parsed.ok, yaml);
    if (!parsed.ok) return;
    const claim = parsed.value.sidecar.annotations.find((a) => a.target.exact === CLAIM && a.evidence?.length);
    assert.ok(claim, yaml);
    const start = RECORD_TEXT.indexOf(EVIDENCE);
    assert.deepEqual(claim.evidence, [{
      relation: 'supports', source: RECORD,
      target: { exact: EVIDENCE, prefix: RECORD_TEXT.slice(start - 32, start), suffix: RECORD_TEXT.slice(start + EVIDENCE.length, start + EVIDENCE.length + 32), start, end: start + EVIDENCE.length },
    }]);
    // The second source has no sidecar: the link lives with the claim.
    assert.equal(fs.existsSync(wb.wsPath(`${RECORD}.marginalia.yaml`)), false);
  });

  it('the claim\'s hover shows the evidence: relation, quoted text, source; the view lists it under the claim', async () => {
    const wb = workbench();
    await openSample();
    await wb.goToLine(CLAIM_LINE);
    const card = await poll(async () => {
      const t = await wb.hoverText('drafted resolution');
      return /Evidence/.test(t) ? t : undefined;
    }, 'the evidence in the claim\'s hover');
    assert.match(card, /Evidence \(1\)/);
    assert.match(card, /supports “failed to be adopted” — factcheck\/un-record\.txt/);
    assert.match(card, /Open/);
    const claimRow = (await wb.view('Annotations')).locator('.monaco-list-row', { hasText: 'true: the draft was put to a vote' }).first();
    if ((await claimRow.getAttribute('aria-expanded')) === 'false') await claimRow.locator('.monaco-tl-twistie').click();
    const rows = await poll(async () => {
      const r = await wb.readViewRows('Annotations');
      return r.some((x) => x.includes('supports: “failed to be adopted”')) ? r : undefined;
    }, 'the evidence row in the Annotations view');
    assert.ok(rows.some((r) => /supports: “failed to be adopted”/.test(r) && /factcheck\/un-record\.txt/.test(r)), rows.join(' | '));
    // The screenshot for the README: the hover over the claim beside the Annotations view.
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.goToLine(CLAIM_LINE);
    await poll(async () => {
      const t = await wb.hoverText('drafted resolution');
      return /Evidence/.test(t) ? t : undefined;
    }, 'the hover for the screenshot');
    const file = await wb.screenshot('factcheck', { readme: process.env.MARGINALIA_README_SCREENSHOT === '1', as: 'factcheck.png' });
    assertWorkbenchImage(file);
    await wb.page.mouse.move(2, 2);
  });

  it('clicking the evidence row opens the second source with the evidence selected', async () => {
    const wb = workbench();
    const pane = await wb.view('Annotations');
    await pane.locator('.monaco-list-row', { hasText: 'supports: “failed to be adopted”' }).first().click();
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'un-record.txt' }).waitFor({ state: 'visible', timeout: 15_000 });
    const selected = await poll(async () => {
      const n = await wb.page.locator('.monaco-editor .selected-text').count();
      return n > 0 ? n : undefined;
    }, 'the selection in the second source');
    assert.ok(selected > 0);
    const pos = await wb.cursorPosition();
    assert.equal(pos.line, 4, `cursor at ${JSON.stringify(pos)}`);
    // Leave the workbench as the next scenarios expect it: the sample article open.
    await wb.runCommand('View: Close All Editors');
    await openSample();
  });
});
