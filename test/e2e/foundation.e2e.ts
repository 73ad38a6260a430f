// The foundation's end-to-end scenario: what a user sees on opening the seed in a real VS Code.
import * as assert from 'node:assert/strict';
import { SEED, getSession, workbench } from './harness';

describe('foundation: the seed in a real VS Code', () => {
  it('activates the extension on the seed workspace', async () => {
    const signal = await workbench().waitForActivation();
    assert.equal(signal.extension, 'marginalia-dev.marginalia');
  });

  it('runs in the extension host the run asked for (node: code-server\'s; web: the browser\'s web worker, no `process`)', async () => {
    const signal = await workbench().waitForActivation();
    if (getSession(true).host === 'web') {
      assert.equal(signal.host, 'webworker', `activation signal: ${JSON.stringify(signal)}`);
      assert.equal(signal.extensionKind, 1, 'VS Code reports ExtensionKind.UI (the browser side) in the web worker host');
    } else {
      assert.equal(signal.host, 'node', `activation signal: ${JSON.stringify(signal)}`);
      assert.equal(signal.extensionKind, 2, 'VS Code reports ExtensionKind.Workspace (the server) in the Node host');
    }
  });

  it('opens the seed and decorates what it recognises', async () => {
    const wb = workbench();
    await wb.openFile(SEED);
    await wb.goToLine(1);
    const count = await wb.waitForDecoration('ced-');
    assert.ok(count > 0, 'no decorations on the seed');
    const lines = await wb.visibleLines();
    assert.ok(lines.some((l) => l.includes('Russian FM calls')), `the seed's title is not visible: ${lines.slice(0, 3).join(' / ')}`);
    const decorated = (await wb.readDecorations('ced-')).map((d) => d.text.trim()).filter(Boolean);
    assert.ok(decorated.includes('Sergei Lavrov'), `decorated texts: ${decorated.slice(0, 15).join(' | ')}`);
  });

  it('answers a hover on a recognised name', async () => {
    const wb = workbench();
    await wb.goToLine(1);
    const card = await wb.hoverText('Sergei Lavrov');
    assert.match(card, /Lavrov/, `hover card: ${card}`);
  });

  it('runs a Marginalia command from the palette (Next Quotation moves the cursor)', async () => {
    const wb = workbench();
    await wb.openFile(SEED);
    await wb.goToLine(1);
    const before = await wb.cursorPosition();
    assert.equal(before.line, 1);
    await wb.runCommand('Marginalia: Next Quotation');
    let after = before;
    for (let i = 0; i < 50 && after.line === before.line && after.column === before.column; i++) {
      await wb.page.waitForTimeout(100);
      after = await wb.cursorPosition();
    }
    assert.notDeepEqual(after, before, 'the cursor did not move to a quotation');
  });

  it('lists what the seed names and who it quotes in the Marginalia views', async () => {
    const wb = workbench();
    const entities = await wb.readViewRows('Entities');
    assert.ok(entities.some((r) => /Sergei Lavrov/.test(r)), `Entities rows: ${entities.slice(0, 12).join(' | ')}`);
    const quotes = await wb.readViewRows('Quotes');
    assert.ok(quotes.some((r) => /Raisi/.test(r)), `Quotes rows: ${quotes.slice(0, 12).join(' | ')}`);
  });

  it('saves a screenshot of the seed with a hover card', async () => {
    const wb = workbench();
    await wb.openFile(SEED);
    await wb.goToLine(1);
    await wb.hoverText('Sergei Lavrov');
    const file = await wb.screenshot('foundation-seed', { readme: process.env.MARGINALIA_README_SCREENSHOT === 'foundation' });
    assert.ok(file.endsWith('.png'));
  });
});
