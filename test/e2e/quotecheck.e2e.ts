// The quotation check as a user sees it: a transcript and two articles; the altered quotation is
// underlined, its hover shows the word diff against the transcript (the dropped word struck), and the
// Quote Check view lists the quotations by status with the other article that carries the same one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertWorkbenchImage, workbench } from './harness';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'quotes-fidelity');
const SECOND = [
  'Lavrov on the talks',
  '',
  '"We have always said that the dialogue must continue," Lavrov said on Monday.',
  '',
  '"The sanctions have not achieved any of their goals, and they never will," the minister added.',
  '',
].join('\n');

async function poll<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('quotation check: a transcript and two articles', () => {
  before(async () => {
    const wb = workbench();
    await wb.waitForActivation();
    fs.mkdirSync(wb.wsPath('quotecheck/transcripts'), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'transcripts', 'briefing.txt'), wb.wsPath('quotecheck/transcripts/briefing.txt'));
    fs.copyFileSync(path.join(FIXTURES, 'articles', 'report.txt'), wb.wsPath('quotecheck/report.txt'));
    fs.writeFileSync(wb.wsPath('quotecheck/second.txt'), SECOND);
  });

  it('underlines the altered quotation and shows the diff against the transcript in its hover', async () => {
    const wb = workbench();
    await wb.openFile('quotecheck/report.txt');
    await wb.waitForDecoration('ced-');
    // The altered mark: a dashed underline in the contributed colour.
    const dashed = await poll(async () => {
      const texts = await wb.page.evaluate(() =>
        Array.from(document.querySelectorAll('.monaco-editor [class*="ced-"]'))
          .filter((el) => getComputedStyle(el).borderBottomStyle === 'dashed')
          .map((el) => el.className),
      );
      return texts.length ? texts : undefined;
    }, 'a dashed (altered) underline');
    assert.ok(dashed.length >= 1);
    await wb.goToLine(9);
    const card = await poll(async () => {
      const t = await wb.hoverText('achieved any of their goals');
      return /Quotation check/.test(t) ? t : undefined;
    }, 'the quotation check in the hover');
    assert.match(card, /Quotation check: altered against the primary source quotecheck\/transcripts\/briefing\.txt/);
    assert.match(card, /Open the primary source beside/);
    const struck = await wb.page.locator('.monaco-hover-content del').allInnerTexts();
    assert.equal(struck[0], 'stated'); // then the legend's own ~~struck~~
    await wb.page.mouse.move(2, 2);
  });

  it('lists the quotations by status in the Quote Check view, with the other article carrying the same one', async () => {
    const wb = workbench();
    const rows = await poll(async () => {
      const r = await wb.readViewRows('Quote Check', { min: 1 });
      return r.some((x) => /elsewhere/.test(x)) && r.some((x) => /^spliced/.test(x)) ? r : undefined;
    }, 'the Quote Check rows', 40_000);
    assert.ok(rows.some((r) => /^altered\s*2$/.test(r)), rows.join(' | '));
    assert.ok(rows.some((r) => /The sanctions have not achieved.*quotecheck\/report\.txt · \+1 elsewhere/.test(r)), rows.join(' | '));
    assert.ok(rows.some((r) => /The sanctions have not achieved.*quotecheck\/second\.txt/.test(r)), rows.join(' | '));
  });

  it('saves a screenshot of the diff hover beside the Quote Check view', async () => {
    const wb = workbench();
    await wb.runCommand('Notifications: Clear All Notifications');
    // Room for the Quote Check view: the other panes folded (unfolded again below).
    const folded: string[] = [];
    for (const name of ['Annotations', 'Quotes', 'Entities']) {
      const header = (await wb.view(name)).locator('.pane-header').first();
      await header.click();
      folded.push(name);
    }
    const pane = await wb.view('Quote Check');
    const row = pane.locator('.monaco-list-row', { hasText: 'The sanctions have not achieved' }).first();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    await pane.locator('.monaco-list-row', { hasText: 'also in' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await wb.goToLine(9);
    await wb.clickText('they never will');
    await poll(async () => {
      const t = await wb.hoverText('achieved any of their goals');
      return /Quotation check/.test(t) ? t : undefined;
    }, 'the hover for the screenshot');
    const file = await wb.screenshot('quotecheck', { readme: process.env.MARGINALIA_README_SCREENSHOT === '1', as: 'quotecheck.png' });
    assertWorkbenchImage(file);
    await wb.page.mouse.move(2, 2);
    for (const name of folded) await wb.view(name);
  });
});
