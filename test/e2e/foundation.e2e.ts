// The foundation's end-to-end scenario: what a user sees on opening the seed in a real VS Code.
import * as assert from 'node:assert/strict';
import { SEED, workbench } from './harness';

describe('foundation: the seed in a real VS Code', () => {
  it('activates the extension on the seed workspace', async () => {
    const signal = await workbench().waitForActivation();
    assert.equal(signal.extension, 'marginalia-dev.marginalia');
  });

  it('opens the seed and decorates what it recognises', async () => {
    const wb = workbench();
    await wb.openFile(SEED);
    const count = await wb.waitForDecoration('ced-');
    assert.ok(count > 0, 'no decorations on the seed');
    const lines = await wb.visibleLines();
    assert.ok(lines.some((l) => l.includes('Russian FM calls')), `the seed's title is not visible: ${lines.slice(0, 3).join(' / ')}`);
  });

  it('answers a hover on a recognised name', async () => {
    const card = await workbench().hoverText('Sergei Lavrov');
    assert.match(card, /Lavrov/, `hover card: ${card}`);
  });

  it('runs a Marginalia command from the palette', async () => {
    const wb = workbench();
    await wb.runCommand('Marginalia: Show Quotes');
    const rows = await wb.readViewRows('Quotes');
    assert.ok(rows.length > 0);
  });

  it('lists the seed in a Marginalia view', async () => {
    const rows = await workbench().readViewRows('Entities');
    assert.ok(rows.some((r) => /Lavrov/.test(r)), `Entities rows: ${rows.slice(0, 10).join(' | ')}`);
  });

  it('saves a screenshot', async () => {
    const wb = workbench();
    await wb.openFile(SEED);
    const file = await wb.screenshot('foundation-seed', { readme: process.env.MARGINALIA_README_SCREENSHOT === '1' });
    assert.ok(file.endsWith('.png'));
  });
});
