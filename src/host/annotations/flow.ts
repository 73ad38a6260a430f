import * as vscode from 'vscode';

// Multi-step quick inputs in the manner of VS Code's multi-step sample: a title, "step n of m", a
// Back button from the second step on, the current value preselected. Escape cancels the whole flow.

export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

export interface StepOptions {
  title: string;
  step: number;
  totalSteps: number;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

/** One pick step. `onValue` may add items for what is typed (the quick entry); they are shown first. */
export function pickStep<T>(
  opts: StepOptions & {
    items: PickItem<T>[];
    active?: T;
    placeholder: string;
    onValue?: (value: string) => PickItem<T>[];
  },
): Promise<StepResult<T>> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<PickItem<T>>();
    qp.title = opts.title;
    qp.step = opts.step;
    qp.totalSteps = opts.totalSteps;
    qp.placeholder = opts.placeholder;
    qp.ignoreFocusOut = false;
    qp.buttons = opts.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    qp.matchOnDescription = true;
    const setItems = (extra: PickItem<T>[]): void => {
      qp.items = [...extra, ...opts.items];
      const current = extra[0] ?? opts.items.find((i) => i.value === opts.active);
      if (current) qp.activeItems = [current];
    };
    setItems([]);
    let done = false;
    const finish = (r: StepResult<T>): void => {
      if (done) return;
      done = true;
      resolve(r);
      qp.dispose();
    };
    qp.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) finish(BACK);
    });
    if (opts.onValue) {
      const onValue = opts.onValue;
      qp.onDidChangeValue((v) => setItems(onValue(v)));
    }
    qp.onDidAccept(() => {
      const pick = qp.selectedItems[0] ?? qp.activeItems[0];
      if (pick) finish(pick.value);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** One input step, its value prefilled (the current value when editing). */
export function inputStep(opts: StepOptions & { value: string; prompt: string; placeholder?: string }): Promise<StepResult<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = opts.title;
    box.step = opts.step;
    box.totalSteps = opts.totalSteps;
    box.value = opts.value;
    box.prompt = opts.prompt;
    box.placeholder = opts.placeholder;
    box.ignoreFocusOut = true;
    box.buttons = opts.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    const finish = (r: StepResult<string>): void => {
      if (done) return;
      done = true;
      resolve(r);
      box.dispose();
    };
    box.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) finish(BACK);
    });
    box.onDidAccept(() => finish(box.value));
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
