import * as vscode from 'vscode';
import type { Logger } from '../core/types';

export interface GuardOptions {
  log: Logger;
  /** Names the failed action in the message ("Marginalia: Export failed: …"); without it the error's own sentence is shown. */
  what?: string;
  /** Offers *Show Log* on the message. */
  showLog?: () => void;
}

/**
 * The one error wrapper of the extension's commands: a command that throws has its error logged and
 * shown in one message (never an unhandled rejection in the extension host) and resolves to undefined.
 */
export function guarded<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, { log, what, showLog }: GuardOptions): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error(what ? `${what} failed: ${message}` : message);
      const text = what ? `Marginalia: ${what} failed: ${message}` : `Marginalia: ${message}`;
      void (showLog ? vscode.window.showErrorMessage(text, 'Show Log').then((pick) => pick && showLog()) : vscode.window.showErrorMessage(text));
      return undefined;
    }
  };
}
