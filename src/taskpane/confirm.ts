/**
 * The one way the pane asks before it replaces anything: a prompt (taskpane.html's `#<name>`, with `#<name>-message`,
 * `#<name>-replace` and `#<name>-cancel`) that runs the pending action on Replace and reports on Cancel or Escape.
 */
import { byId } from "./dom";

export interface ConfirmPrompt {
  /** Shows the question; `onReplace` runs if the analyst agrees, `onCancel` if they decline (Cancel or Escape). */
  ask(message: string, onReplace: () => void, onCancel: () => void): void;
  /** Hides the prompt and forgets the pending action. */
  dismiss(): void;
}

export function confirmPrompt(name: string): ConfirmPrompt {
  const box = byId(name);
  const message = byId(`${name}-message`);
  const cancelButton = byId(`${name}-cancel`);
  let pending: { onReplace: () => void; onCancel: () => void } | null = null;
  const dismiss = (): void => {
    pending = null;
    box.hidden = true;
  };
  const decide = (replace: boolean): void => {
    const chosen = pending;
    dismiss();
    if (chosen) (replace ? chosen.onReplace : chosen.onCancel)();
  };
  byId(`${name}-replace`).addEventListener("click", () => decide(true));
  cancelButton.addEventListener("click", () => decide(false));
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") decide(false);
  });
  return {
    ask(text, onReplace, onCancel) {
      pending = { onReplace, onCancel };
      message.textContent = text;
      box.hidden = false;
      cancelButton.focus();
    },
    dismiss,
  };
}

/** The error of a failed action in words. */
export const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
