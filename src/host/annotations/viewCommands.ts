import * as vscode from 'vscode';
import { BACK, pickStep, type PickItem } from './flow';
import type { AnnotationCommandDeps } from './commandSupport';
import { GROUPINGS, type Grouping } from './tree';

// The Annotations view's grouping and filter: kept per workspace, told in the view's description.

const STATE_GROUPING = 'marginalia.annotations.grouping';
const STATE_FILTER = 'marginalia.annotations.filter';

type ViewDeps = Pick<AnnotationCommandDeps, 'store' | 'tree' | 'view' | 'state'>;

export class AnnotationViewSettings implements vscode.Disposable {
  private readonly recount: vscode.Disposable;

  /** Restores the workspace's grouping and filter, and keeps the filter's count up to date. */
  constructor(private readonly deps: ViewDeps) {
    const { tree, state } = deps;
    const savedGrouping = state?.get<string>(STATE_GROUPING);
    if (savedGrouping && (GROUPINGS as readonly string[]).includes(savedGrouping)) tree.grouping = savedGrouping as Grouping;
    const savedFilter = state?.get<string>(STATE_FILTER);
    if (typeof savedFilter === 'string') tree.filter = savedFilter;
    this.describe();
    this.recount = deps.store.onDidChange(() => {
      if (tree.filter) this.describe();
    });
  }

  dispose(): void {
    this.recount.dispose();
  }

  /** How many annotations the filter lets through, of all. */
  counts(): { shown: number; total: number } {
    let shown = 0;
    let total = 0;
    for (const e of this.deps.store.all()) {
      total += e.sidecar.annotations.length;
      shown += this.deps.tree.visible(e).length;
    }
    return { shown, total };
  }

  describe(): void {
    const { tree, view } = this.deps;
    const c = tree.filter ? this.counts() : undefined;
    const parts = [tree.grouping !== 'source' ? `by ${tree.grouping}` : '', tree.filter && c ? `filter: ${tree.filter} (${c.shown} of ${c.total})` : ''].filter(Boolean);
    view.description = parts.join(' · ') || undefined;
    void vscode.commands.executeCommand('setContext', 'marginalia.annotationFilter', !!tree.filter);
  }

  setGrouping(g: Grouping): void {
    this.deps.tree.grouping = g;
    void this.deps.state?.update(STATE_GROUPING, g);
    this.describe();
    this.deps.tree.refresh();
  }

  applyFilter(f: string, persist: boolean): void {
    const { tree, state } = this.deps;
    tree.filter = f.trim();
    if (persist) void state?.update(STATE_FILTER, tree.filter);
    this.describe();
    tree.refresh();
  }
}

/** Group Annotations By: the grouping given, or picked. */
export function groupAnnotationsCommand(settings: AnnotationViewSettings, tree: ViewDeps['tree']): (arg?: unknown) => Promise<void> {
  return async (arg) => {
    let g = typeof arg === 'string' && (GROUPINGS as readonly string[]).includes(arg) ? (arg as Grouping) : undefined;
    if (!g) {
      const items: PickItem<Grouping>[] = GROUPINGS.map((x) => ({ label: x, description: x === tree.grouping ? '(current)' : x === 'source' ? '' : 'across sources', value: x }));
      const pick = await pickStep<Grouping>({ title: 'Marginalia: Group Annotations By', step: 1, totalSteps: 1, items, active: tree.grouping, placeholder: 'Group annotations by' });
      if (!pick || pick === BACK) return;
      g = pick;
    }
    settings.setGrouping(g);
  };
}

/** The filter applies as you type, with the count of what it lets through; Escape restores the previous one. */
export function filterAnnotationsCommand(settings: AnnotationViewSettings, tree: ViewDeps['tree']): (arg?: unknown) => Promise<void> {
  return async (arg) => {
    if (typeof arg === 'string') {
      settings.applyFilter(arg, true);
      return;
    }
    const before = tree.filter;
    const box = vscode.window.createInputBox();
    box.title = 'Marginalia: Filter Annotations';
    box.placeholder = 'Words in the note, kind, tags, verdict, author or text';
    box.value = before;
    const say = (): void => {
      const c = settings.counts();
      box.prompt = tree.filter ? `${c.shown} of ${c.total} annotations match. Enter keeps the filter; Escape restores the previous one.` : `${c.total} annotations. Type to filter.`;
    };
    say();
    await new Promise<void>((resolve) => {
      let accepted = false;
      box.onDidChangeValue((v) => {
        settings.applyFilter(v, false);
        say();
      });
      box.onDidAccept(() => {
        accepted = true;
        settings.applyFilter(box.value, true);
        box.hide();
      });
      box.onDidHide(() => {
        if (!accepted) settings.applyFilter(before, false);
        box.dispose();
        resolve();
      });
      box.show();
    });
  };
}
