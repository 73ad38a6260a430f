// Attributions as a user sees them: a news text with reported speech (no quotation marks). The
// reported content is tinted in its own theme colour with a dotted underline, apart from the
// quotation; its hover card says "Reported speech" with the speaker, the cue and the content; the
// Quotes view lists it under the speaker as "reported", and "Quotations Only" hides it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertWorkbenchImage, workbench } from './harness';

const ARTICLE = [
  'Harbour plan in doubt',
  '',
  'PORT ELLIS, 3 June (Wire) - The harbour minister said the seawall plan would fail without new funding.',
  '',
  "According to the Fishers' Union, more than 400 boats have stayed in port since April.",
  '',
  'Mayor Jane Okafor told reporters that the plan was "a disaster for everyone" and would be withdrawn.',
  '',
  '"We will not give up," Okafor said.',
  '',
].join('\n');

interface ColorContribution {
  id: string;
  defaults: { dark: string; light: string; highContrast: string; highContrastLight: string };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { colors: ColorContribution[] } };

function rgba(css: string): number[] {
  const v = (css.match(/[\d.]+/g) ?? []).map(Number);
  return [v[0], v[1], v[2], v[3] ?? 1];
}

function hexRgba(hex: string): number[] {
  const n = (i: number) => parseInt(hex.slice(i, i + 2), 16);
  return [n(1), n(3), n(5), hex.length === 9 ? n(7) / 255 : 1];
}

const same = (a: number[], b: number[]) => a.slice(0, 3).every((v, i) => v === b[i]) && Math.abs(a[3] - b[3]) < 0.01;

async function poll<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('attributions: reported speech in the editor', () => {
  let theme: keyof ColorContribution['defaults'] = 'dark';
  const expected = (id: string) => {
    const c = manifest.contributes.colors.find((x) => x.id === `marginalia.${id}`);
    assert.ok(c, `colour marginalia.${id} contributed`);
    return hexRgba(c.defaults[theme]);
  };

  after(async () => {
    // Leave the window as the next scenario expects it: no editor open, focus out of the Quotes view.
    const wb = workbench();
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('View: Close All Editors');
    await wb.runCommand('View: Focus Active Editor Group');
  });

  before(async () => {
    const wb = workbench();
    await wb.waitForActivation();
    fs.mkdirSync(wb.wsPath('attributions'), { recursive: true });
    fs.writeFileSync(wb.wsPath('attributions/harbour.txt'), ARTICLE);
    await wb.openFile('attributions/harbour.txt');
    await wb.waitForDecoration('ced-');
    await wb.goToLine(1);
    const kind = await wb.page.evaluate(() => Array.from(document.querySelector('.monaco-workbench')?.classList ?? []));
    theme = kind.includes('hc-light') ? 'highContrastLight' : kind.includes('hc-black') ? 'highContrast' : kind.includes('vs-dark') ? 'dark' : 'light';
  });

  it('tints reported speech in its own colour with a dotted underline, apart from the quotation', async () => {
    const wb = workbench();
    // Background and dotted underline are drawn in the overlay layer, under the text: find the
    // dotted ones and the lines they sit on.
    const dotted = await poll(async () => {
      const found = await wb.page.evaluate(() => {
        const lines = Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')) as HTMLElement[];
        const lineAt = (top: number) => lines.find((l) => Math.abs(l.getBoundingClientRect().top - top) < 4)?.textContent?.replace(/\u00a0/g, ' ') ?? '';
        return Array.from(document.querySelectorAll('.editor-instance .monaco-editor [class*="ced-"]'))
          .filter((el) => getComputedStyle(el).borderBottomStyle === 'dotted')
          .map((el) => ({ line: lineAt(el.getBoundingClientRect().top), color: getComputedStyle(el).borderBottomColor, background: getComputedStyle(el).backgroundColor }));
      });
      const lines = found.map((f) => f.line).join('\n');
      return /seawall plan would fail/.test(lines) && /400 boats have stayed in port/.test(lines) && /the plan was "a disaster/.test(lines) ? found : undefined;
    }, 'dotted underlines on the lines of reported speech');
    const want = expected('attributionBorder');
    assert.ok(dotted.some((e) => same(rgba(e.color), want)), `underline colours: ${[...new Set(dotted.map((e) => e.color))].join(', ')}`);
    // "We will not give up" is a quotation: its line has no reported speech.
    assert.ok(!dotted.some((e) => /We will not give up/.test(e.line)), 'the quotation is not drawn as reported speech');
    // Backgrounds are drawn in the overlay layer: the attribution tint and the quotation tint both appear.
    const backgrounds = (await wb.page.evaluate(() =>
      Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-overlays [class*="ced-"]')).map((el) => getComputedStyle(el).backgroundColor),
    )).map(rgba);
    assert.ok(backgrounds.some((c) => same(c, expected('attributionBackground'))), 'the attribution tint');
    assert.ok(backgrounds.some((c) => same(c, expected('quotationBackground'))), 'the quotation tint');
  });

  it('answers a hover on reported speech with "Reported speech", the speaker, the cue and the content', async () => {
    const wb = workbench();
    await wb.goToLine(1);
    const card = await poll(async () => {
      const t = await wb.hoverText('400 boats');
      return /Reported speech/.test(t) ? t : undefined;
    }, 'the attribution card');
    assert.match(card, /Reported speech — by (the )?Fishers/, card);
    assert.match(card, /Cue: According to/, card);
    assert.match(card, /Reported: more than 400 boats have stayed in port since April/, card);
    assert.match(card, /Wrong speaker\?/, card);
    // the fragment in quotation marks says whose reported statement it is part of
    const fragment = await poll(async () => {
      const t = await wb.hoverText('disaster for everyone');
      return /Part of a reported statement/.test(t) ? t : undefined;
    }, 'the fragment card');
    assert.match(fragment, /Part of a reported statement by Jane Okafor/, fragment);
    await wb.page.mouse.move(2, 2);
  });

  it('lists reported speech under the speaker in the Quotes view, and "Quotations Only" hides it', async () => {
    const wb = workbench();
    const rows = await poll(async () => {
      const r = await wb.readViewRows('Quotes');
      return r.some((x) => /seawall plan would fail.*reported/.test(x)) ? r : undefined;
    }, 'reported speech in the Quotes view');
    assert.ok(rows.some((r) => /Jane Okafor/.test(r)), `Quotes rows: ${rows.join(' | ')}`);
    assert.ok(rows.some((r) => /We will not give up.*full/.test(r)), `Quotes rows: ${rows.join(' | ')}`);
    await wb.runCommand('Marginalia: Quotations Only');
    const only = await poll(async () => {
      const r = await wb.readViewRows('Quotes');
      return r.some((x) => /reported$/.test(x)) ? undefined : r;
    }, 'reported speech hidden');
    assert.ok(only.some((r) => /We will not give up/.test(r)), `Quotes rows: ${only.join(' | ')}`);
    await wb.runCommand('Marginalia: Show Reported Speech');
    await poll(async () => ((await wb.readViewRows('Quotes')).some((x) => /reported$/.test(x)) ? true : undefined), 'reported speech listed again');
    const file = await wb.screenshot('attributions');
    assertWorkbenchImage(file);
  });
});
