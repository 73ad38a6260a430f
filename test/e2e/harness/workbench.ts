// Helpers that drive the real VS Code workbench (code-server in headless chromium) the way a user
// does: quick open, the command palette, hovers, views, selections, screenshots. Every helper
// waits for what it needs and fails with a message that says what it was looking for.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ROOT, SCREENSHOTS_DIR } from '../../../scripts/lib/paths';

export interface WorkbenchInfo {
  /** Absolute path of the temp COPY of the fixture workspace that is open. */
  workspace: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The file the extension writes on activation (MARGINALIA_TEST_SIGNAL_FILE). */
  signalFile: string;
}

export interface DecorationInfo {
  /** The decorated text (empty for decorations that only add ::before/::after text). */
  text: string;
  className: string;
  /** `getComputedStyle(el, '::after').content` without quotes ('' when none). */
  after: string;
  before: string;
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget input.input';
const NBSP = '\u00a0';

export class Workbench {
  constructor(readonly page: Page, readonly info: WorkbenchInfo) {}

  /** Absolute path inside the open workspace. */
  wsPath(rel: string): string {
    return path.join(this.info.workspace, rel);
  }

  /** Waits for the workbench to be drawn (status bar and editor area). */
  async waitForWorkbench(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /**
   * Waits for the extension's test-only activation signal (see src/host/testSignal.ts). Two minutes:
   * the browser's web worker host on a loaded machine has taken over one to load the extension.
   */
  async waitForActivation(timeoutMs = 120_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (fs.existsSync(this.info.signalFile)) {
        const text = fs.readFileSync(this.info.signalFile, 'utf8');
        if (text) return JSON.parse(text) as Record<string, unknown>;
      }
      await this.page.waitForTimeout(100);
    }
    throw new Error(`the extension did not activate within ${timeoutMs / 1000} s (no ${this.info.signalFile})`);
  }

  /** Opens a workspace file (path relative to the workspace root) through Quick Open and waits for its editor. */
  async openFile(rel: string): Promise<void> {
    const base = path.basename(rel);
    // Quick Open can lose the keystroke while the window is busy (the browser host): try twice.
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      await this.focusWorkbench();
      await this.page.keyboard.press('Control+P');
      const box = this.page.locator(QUICK_INPUT_BOX);
      await box.waitFor({ state: 'visible', timeout: 10_000 });
      await box.fill(rel);
      const row = this.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: base }).first();
      await row.waitFor({ state: 'visible', timeout: 15_000 });
      await box.press('Enter');
      const opened = await this.page
        .locator('.tabs-container .tab.active', { hasText: base })
        .waitFor({ state: 'visible', timeout: 15_000 })
        .then(() => true, () => false);
      if (opened) break;
      if (attempt >= 2) throw new Error(`openFile(${rel}): no active editor tab named ${base}`);
    }
    await this.page.locator('.editor-instance .monaco-editor .view-line').first().waitFor({ state: 'visible', timeout: 15_000 });
  }

  /**
   * Moves the cursor to a line (1-based) of the active editor with Go to Line and scrolls it into
   * view. Scenarios share one window: call this (e.g. `goToLine(1)`) instead of assuming the top.
   */
  async goToLine(line: number, column?: number): Promise<void> {
    await this.closeQuickInput();
    await this.page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await this.page.keyboard.press('Control+G');
    const box = this.page.locator(QUICK_INPUT_BOX);
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    await box.fill(`:${line}${column ? `:${column}` : ''}`);
    await box.press('Enter');
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    const deadline = Date.now() + 5_000;
    while ((await this.cursorPosition()).line !== line && Date.now() < deadline) await this.page.waitForTimeout(100);
  }

  /**
   * Waits until the active editor shows at least one decoration whose class contains `classPart`
   * (VS Code names extension decoration classes `ced-…`). Returns how many elements match.
   */
  async waitForDecoration(classPart = 'ced-', timeoutMs = 30_000): Promise<number> {
    const sel = `.editor-instance .monaco-editor [class*="${classPart}"]`;
    try {
      await this.page.locator(sel).first().waitFor({ state: 'attached', timeout: timeoutMs });
    } catch {
      throw new Error(`no decoration with a class containing "${classPart}" within ${timeoutMs / 1000} s`);
    }
    return this.page.locator(sel).count();
  }

  /** Reads the decorations (text and ::before/::after content) in the visible part of the active editor. */
  async readDecorations(classPart = 'ced-'): Promise<DecorationInfo[]> {
    return this.page.evaluate((part) => {
      const strip = (s: string): string => (s === 'none' || s === 'normal' ? '' : s.replace(/^"|"$/g, ''));
      return Array.from(document.querySelectorAll(`.editor-instance .monaco-editor [class*="${part}"]`)).map((el) => ({
        text: (el.textContent ?? '').replace(/\u00a0/g, ' '),
        className: el.className,
        after: strip(getComputedStyle(el, '::after').content),
        before: strip(getComputedStyle(el, '::before').content),
      }));
    }, classPart);
  }

  /**
   * Hovers the `occurrence`-th visible occurrence of `text` in the active editor and returns the
   * hover card's text. Scrolls nothing: use `revealText` first for text below the fold.
   */
  async hoverText(text: string, occurrence = 0, timeoutMs = 10_000): Promise<string> {
    // Move away first so that a previous hover closes.
    await this.page.mouse.move(2, 2);
    await this.page.locator('.monaco-hover-content').first().waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
    const box = await this.textBox(text, occurrence);
    await this.page.mouse.move(box.x + Math.min(box.width / 2, 20), box.y + box.height / 2, { steps: 3 });
    const hover = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
    try {
      await hover.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      throw new Error(`no hover card appeared over "${text}"`);
    }
    // Hovers may render in parts (several providers): give them a moment to settle.
    await this.page.waitForTimeout(300);
    return (await hover.innerText()).replace(/\u00a0/g, ' ');
  }

  /** Selects the `occurrence`-th visible occurrence of `text` in the active editor with the mouse. */
  async selectText(text: string, occurrence = 0): Promise<void> {
    const { start, end } = await this.textEdges(text, occurrence);
    await this.page.mouse.move(start.x, start.y);
    await this.page.mouse.down();
    await this.page.mouse.move(end.x, end.y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Puts the cursor on `text` (a click in its middle). */
  async clickText(text: string, occurrence = 0): Promise<void> {
    const box = await this.textBox(text, occurrence);
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  /** Runs a command from the palette by its title as shown there ("Marginalia: Show Quotes"). */
  async runCommand(title: string): Promise<void> {
    await this.closeQuickInput();
    await this.focusWorkbench();
    await this.page.keyboard.press('F1');
    const box = this.page.locator(QUICK_INPUT_BOX);
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    await box.fill(`>${title}`);
    const row = this.page
      .locator(`${QUICK_INPUT} .monaco-list-row`)
      .filter({ has: this.page.locator('.label-name', { hasText: title }) })
      .first();
    try {
      await row.waitFor({ state: 'visible', timeout: 10_000 });
    } catch {
      const shown = await this.quickInputRows();
      throw new Error(`runCommand: no palette entry "${title}" (shown: ${shown.slice(0, 8).join(' | ') || 'nothing'})`);
    }
    // Pick the exact entry, not just the first fuzzy match.
    const rows = await this.quickInputRows();
    const exact = rows.findIndex((r) => r.split('\n')[0].trim() === title);
    if (exact > 0) {
      await this.page.locator(`${QUICK_INPUT} .monaco-list-row`).nth(exact).click();
    } else {
      await box.press('Enter');
    }
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }

  /** The text of the rows the quick input currently lists. */
  async quickInputRows(): Promise<string[]> {
    return (await this.page.locator(`${QUICK_INPUT} .monaco-list-row`).allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' '));
  }

  /** Waits for a quick input (input box or pick) and types into it; presses Enter unless `submit` is false. */
  async quickInput(text: string, { submit = true, timeoutMs = 10_000 } = {}): Promise<void> {
    const box = this.page.locator(QUICK_INPUT_BOX);
    await box.waitFor({ state: 'visible', timeout: timeoutMs });
    await box.fill(text);
    if (submit) await box.press('Enter');
  }

  /** Picks the quick-pick row whose label contains `label`. */
  async pickQuickItem(label: string, timeoutMs = 10_000): Promise<void> {
    const row = this.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  async closeQuickInput(): Promise<void> {
    if (await this.page.locator(QUICK_INPUT).isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }

  /** Opens the Marginalia activity-bar container (or another by its title). */
  async openViewContainer(title = 'Marginalia'): Promise<void> {
    const item = this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout: 15_000 });
    const sidebarTitle = this.page.locator('.part.sidebar .composite.title h2', { hasText: title });
    if (!(await sidebarTitle.isVisible())) await item.click();
    await sidebarTitle.waitFor({ state: 'visible', timeout: 10_000 });
  }

  /** The pane (header + body) of a view by its name ("Quotes"), expanded. */
  async view(viewName: string, container = 'Marginalia'): Promise<Locator> {
    await this.openViewContainer(container);
    const title = this.page.locator('h3.title', { hasText: new RegExp(`^\\s*${escapeRegExp(viewName)}\\s*$`, 'i') });
    const pane = this.page.locator('.part.sidebar .pane', { has: this.page.locator('.pane-header', { has: title }) }).first();
    const header = pane.locator('.pane-header').first();
    await header.waitFor({ state: 'visible', timeout: 10_000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    return pane;
  }

  /**
   * Rows of a tree/list view ("Quotes", "Entities", "Annotations") as their visible text, waiting
   * up to `timeoutMs` for at least `min` rows. Returns [] only when `min` is 0.
   */
  async readViewRows(viewName: string, { min = 1, timeoutMs = 15_000, container = 'Marginalia' } = {}): Promise<string[]> {
    const pane = await this.view(viewName, container);
    const rows = pane.locator('.pane-body .monaco-list-row');
    if (min > 0) {
      try {
        await rows.nth(min - 1).waitFor({ state: 'visible', timeout: timeoutMs });
      } catch {
        const body = (await pane.locator('.pane-body').innerText().catch(() => '')).slice(0, 200);
        throw new Error(`view "${viewName}" shows fewer than ${min} row(s) (body: ${JSON.stringify(body)})`);
      }
    }
    return (await rows.allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').replace(/\s*\n\s*/g, ' ').trim());
  }

  /** The welcome text a view shows when it has no rows. */
  async readViewWelcome(viewName: string, container = 'Marginalia'): Promise<string> {
    const pane = await this.view(viewName, container);
    return pane.locator('.pane-body .welcome-view-content').innerText({ timeout: 10_000 });
  }

  /** Texts of the notification toasts currently shown. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  /** Waits for a notification toast containing `text` and returns its message. */
  async waitForNotification(text: string, timeoutMs = 10_000): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return toast.innerText();
  }

  /** The cursor position the status bar shows ("Ln 9, Col 1"), 1-based. */
  async cursorPosition(): Promise<{ line: number; column: number }> {
    const item = this.page.locator('.part.statusbar [id="status.editor.selection"]').first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await item.innerText();
    const m = /Ln\s*(\d+),\s*Col\s*(\d+)/.exec(text);
    if (!m) throw new Error(`unreadable cursor position in the status bar: ${JSON.stringify(text)}`);
    return { line: Number(m[1]), column: Number(m[2]) };
  }

  /** The text of the status-bar entries (e.g. to find the extension's own item). */
  async statusBarItems(): Promise<string[]> {
    return (await this.page.locator('.part.statusbar .statusbar-item').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  /**
   * The visible lines of the active editor, spaces normalised: the document's text, or with
   * `{ hints: true }` as drawn, inlay hints (speaker labels) included.
   */
  async visibleLines({ hints = false } = {}): Promise<string[]> {
    const lines = await this.page.evaluate((withHints) => {
      const els = Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')) as HTMLElement[];
      const textOf = (el: HTMLElement): string => {
        if (withHints) return el.textContent ?? '';
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        let out = '';
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (!/\bdyn-rule-/.test((n.parentElement?.className ?? '').toString())) out += (n as Text).data;
        }
        return out;
      };
      return els.map((el) => ({ top: parseFloat(el.style.top || '0'), text: textOf(el) })).sort((a, b) => a.top - b.top).map((l) => l.text);
    }, hints);
    return lines.map((l) => l.replace(/\u00a0/g, ' '));
  }

  /** The inlay hints (text the editor injects, e.g. speaker labels) visible in the active editor, in line order. */
  async inlayHints(): Promise<string[]> {
    const texts = await this.page.evaluate(() =>
      Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line span[class*="dyn-rule-"]'))
        .map((el) => ({ top: el.getBoundingClientRect().top, left: el.getBoundingClientRect().left, text: el.textContent ?? '' }))
        .sort((a, b) => a.top - b.top || a.left - b.left)
        .map((h) => h.text),
    );
    return texts.map((t) => t.replace(/\u00a0/g, ' ').trim()).filter((t) => t.length > 0);
  }

  /**
   * What the active editor draws past its right edge: the text of every rendered piece of a line
   * (text, decorations, inlay hints) whose right edge is beyond the editor's visible width, and
   * whether a horizontal scrollbar is shown.
   */
  async overflowPastRightEdge(): Promise<{ pieces: string[]; scrollbar: boolean; editorRight: number }> {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-instance .monaco-editor') as HTMLElement;
      const guard = (editor.querySelector('.overflow-guard') ?? editor) as HTMLElement;
      const vbar = editor.querySelector('.scrollbar.vertical') as HTMLElement | null;
      const right = guard.getBoundingClientRect().right - (vbar ? vbar.getBoundingClientRect().width : 0);
      const pieces: string[] = [];
      for (const el of Array.from(editor.querySelectorAll('.view-lines .view-line span span, .view-lines .view-line span[class*="dyn-rule-"]'))) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > right + 1) pieces.push((el.textContent ?? '').replace(/\u00a0/g, ' '));
      }
      const slider = editor.querySelector('.scrollbar.horizontal .slider') as HTMLElement | null;
      const hbar = editor.querySelector('.scrollbar.horizontal') as HTMLElement | null;
      const scrollbar = !!slider && !!hbar && slider.getBoundingClientRect().width > 0 && slider.getBoundingClientRect().width < hbar.getBoundingClientRect().width - 1;
      return { pieces, scrollbar, editorRight: right };
    });
  }

  /**
   * Saves a PNG to test-output/screenshots/<name>.png (git-ignored). With `readme: true` (or
   * MARGINALIA_README_SCREENSHOT=1 and name 'readme') also copies it to media/screenshot.png.
   */
  async screenshot(name: string, { readme = false, as = 'screenshot.png' } = {}): Promise<string> {
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const file = path.join(SCREENSHOTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    if (readme || (name === 'readme' && process.env.MARGINALIA_README_SCREENSHOT === '1')) {
      // `as`: the file under media/ (the README shows media/screenshot.png and media/screenshot-*.png)
      fs.copyFileSync(file, path.join(ROOT, 'media', path.basename(as)));
    }
    return file;
  }

  private async focusWorkbench(): Promise<void> {
    // Keyboard shortcuts need the page focused; clicking the status bar is harmless.
    await this.page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } }).catch(() => undefined);
  }

  /** Bounding box of the n-th visible occurrence of `text` in the active editor's lines. */
  private async textBox(text: string, occurrence: number): Promise<{ x: number; y: number; width: number; height: number }> {
    const { start, end } = await this.textEdges(text, occurrence);
    return { x: start.x, y: start.y - start.h / 2, width: Math.max(1, end.x - start.x), height: start.h };
  }

  private async textEdges(text: string, occurrence: number): Promise<{ start: { x: number; y: number; h: number }; end: { x: number; y: number } }> {
    const found = await this.page.evaluate(
      ({ needle, nth, nbsp }) => {
        const target = needle.replace(/ /g, nbsp);
        const lines = Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')) as HTMLElement[];
        lines.sort((a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'));
        let seen = 0;
        for (const line of lines) {
          // Concatenate the line's text nodes so that text split across decoration spans is found.
          const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
          const nodes: Text[] = [];
          let full = '';
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            // Inlay hints (injected text, `dyn-rule-*` spans) are not the document's text.
            if (/\bdyn-rule-/.test((n.parentElement?.className ?? '').toString())) continue;
            nodes.push(n as Text);
            full += (n as Text).data;
          }
          let from = 0;
          for (;;) {
            const at = full.indexOf(target, from);
            if (at < 0) break;
            if (seen++ === nth) {
              const locate = (offset: number, preferEnd: boolean): [Text, number] => {
                let acc = 0;
                for (const node of nodes) {
                  const len = node.data.length;
                  if (offset < acc + len || (preferEnd && offset === acc + len)) return [node, offset - acc];
                  acc += len;
                }
                const last = nodes[nodes.length - 1];
                return [last, last.data.length];
              };
              const range = document.createRange();
              const [sn, so] = locate(at, false);
              const [en, eo] = locate(at + target.length, true);
              range.setStart(sn, so);
              range.setEnd(en, eo);
              const rects = Array.from(range.getClientRects());
              const first = rects[0];
              const last = rects[rects.length - 1];
              return {
                start: { x: first.left + 1, y: first.top + first.height / 2, h: first.height },
                end: { x: last.right - 1, y: last.top + last.height / 2 },
              };
            }
            from = at + 1;
          }
        }
        return null;
      },
      { needle: text, nth: occurrence, nbsp: NBSP },
    );
    if (!found) throw new Error(`"${text}" (occurrence ${occurrence}) is not visible in the active editor`);
    return found;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
