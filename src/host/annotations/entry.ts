import * as vscode from 'vscode';
import type { Settings } from '../config';
import type { ParsedSidecar, SidecarIssue } from '../../core/sidecar/codec';
import { emptySidecar, type Annotation, type Correction, type Sidecar } from '../../core/sidecar/model';
import type { Logger } from '../../core/types';

export type Item = Annotation | Correction;

/** Everything Marginalia knows about one source and its sidecar. */
export class SourceEntry {
  sidecar: Sidecar;
  /** The sidecar as last read from or written to disk (the base of a three-way merge). */
  base: Sidecar | undefined;
  /** The last parse of the file on disk (keeps the user's comments and layout for the next write). */
  parsed: ParsedSidecar | undefined;
  /** The exact text last read from or written to disk: a change event with this text is our own write. */
  diskText: string | undefined;
  /** The sidecar on disk is malformed: annotations shown from the last good read, nothing written. */
  error: SidecarIssue | undefined;
  /** Why this sidecar must not be written (newer format version, restricted mode), if so. */
  readOnlyReason: string | undefined;
  /** Positions in the open document (document offsets), by id. Absent for orphans. */
  live: Map<string, { start: number; end: number }> | undefined;
  liveDoc: vscode.TextDocument | undefined;
  /** Anchors moved in the editor since the last write. */
  anchorsDirty = false;
  sourceMissing = false;
  loaded = false;
  queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly sourceUri: vscode.Uri,
    public sidecarUri: vscode.Uri,
    readonly folder: vscode.WorkspaceFolder,
    /** The sidecar's `source:` for this source, from the paths (never read from the file). */
    readonly sourceField: string,
  ) {
    this.sidecar = emptySidecar(sourceField);
  }

  get key(): string {
    return this.sourceUri.toString();
  }

  get readOnly(): string | undefined {
    if (this.error) return `The sidecar ${vscode.workspace.asRelativePath(this.sidecarUri)} has an error (line ${this.error.line}): ${this.error.message} Fix it; until then its annotations are read-only.`;
    return this.readOnlyReason;
  }

  find(id: string): { list: 'annotations' | 'corrections'; item: Item } | undefined {
    const a = this.sidecar.annotations.find((x) => x.id === id);
    if (a) return { list: 'annotations', item: a };
    const c = this.sidecar.corrections.find((x) => x.id === id);
    return c ? { list: 'corrections', item: c } : undefined;
  }

  /** Document range of an item in the open document, if anchored. */
  rangeOf(id: string): vscode.Range | undefined {
    const s = this.live?.get(id);
    if (!s || !this.liveDoc) return undefined;
    return new vscode.Range(this.liveDoc.positionAt(s.start), this.liveDoc.positionAt(s.end));
  }
}

export interface StoreOptions {
  log: Logger;
  /** The settings (sidecar folder and size limit, author), read through the typed Configuration. */
  config: Settings;
  /** Test seam: clock and id generation. */
  now?: () => Date;
}

export interface StoreSettings {
  folder: string;
  maxBytes: number;
  author: string;
}

/** The store's snapshot of the window's settings (the sidecar folder changes only with a reset). */
export function readSettings(config: Settings): StoreSettings {
  const c = config.current;
  return { folder: c.sidecarFolder, maxBytes: c.maxSidecarBytes, author: c.author };
}

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function itemsOf(s: Sidecar): Item[] {
  return [...s.annotations, ...s.corrections];
}
