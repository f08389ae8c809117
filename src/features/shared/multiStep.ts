// Multi-step input as VS Code's own flows do it: one title, a step counter ("2/4"), a Back button from the second
// step on, Escape cancels the whole flow. Each step is an input box or a quick pick.
import * as vscode from 'vscode';

export interface InputStep {
  kind: 'input';
  prompt: string;
  value?: string;
  placeholder?: string;
  /** The reason the value is not acceptable (shown inline, the box stays open), or undefined. */
  validate?: (value: string) => string | undefined;
}

export interface PickStep<T extends vscode.QuickPickItem> {
  kind: 'pick';
  placeholder: string;
  items: T[];
}

/** What a step resolves to: the value, "back", or undefined when the user cancelled. */
export type StepAnswer<T> = T | typeof BACK | undefined;
export const BACK = Symbol('back');

export interface StepPosition {
  title: string;
  step: number;
  totalSteps: number;
}

export function askStep(position: StepPosition, step: InputStep): Promise<StepAnswer<string>>;
export function askStep<T extends vscode.QuickPickItem>(
  position: StepPosition,
  step: PickStep<T>,
): Promise<StepAnswer<T>>;
export function askStep<T extends vscode.QuickPickItem>(
  position: StepPosition,
  step: InputStep | PickStep<T>,
): Promise<StepAnswer<string | T>> {
  const input = step.kind === 'input' ? vscode.window.createInputBox() : vscode.window.createQuickPick<T>();
  input.title = position.title;
  input.step = position.step;
  input.totalSteps = position.totalSteps;
  input.ignoreFocusOut = true;
  input.buttons = position.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  const disposables: vscode.Disposable[] = [input];
  return new Promise<StepAnswer<string | T>>((resolve) => {
    const finish = (answer: StepAnswer<string | T>) => {
      resolve(answer);
      disposables.forEach((disposable) => disposable.dispose());
    };
    disposables.push(
      input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish(BACK)),
      input.onDidHide(() => finish(undefined)),
    );
    if (step.kind === 'input') {
      const box = input as vscode.InputBox;
      box.prompt = step.prompt;
      box.value = step.value ?? '';
      box.placeholder = step.placeholder;
      const check = () => (box.validationMessage = step.validate?.(box.value));
      disposables.push(
        box.onDidChangeValue(check),
        box.onDidAccept(() => {
          if (step.validate?.(box.value) === undefined) finish(box.value);
          else check();
        }),
      );
    } else {
      const pick = input as vscode.QuickPick<T>;
      pick.placeholder = step.placeholder;
      pick.items = step.items;
      disposables.push(pick.onDidAccept(() => pick.selectedItems[0] && finish(pick.selectedItems[0])));
    }
    input.show();
  });
}
