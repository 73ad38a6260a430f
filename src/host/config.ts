import * as vscode from 'vscode';
import { DEFAULT_PRIMARY_SOURCES } from '../core/quotecheck/primary';
import { isSafeRelativePath } from '../core/sidecar/paths';
import { DECORATION_KINDS, type DecorationKind } from './decorations/kinds';

export { DECORATION_KINDS, type DecorationKind };

/**
 * Every `marginalia.*` setting, typed and validated: the one place the extension reads settings
 * (`vscode.workspace.getConfiguration`). Each field documents its key. Features get the
 * `Configuration` below injected and read `config.current` (the window's values) or
 * `config.for(uri)` (a resource's: in a multi-root workspace each folder may set its own).
 */
export interface MarginaliaConfig {
  /** `marginalia.sources`: globs (workspace-relative) of files treated as sources. */
  sources: string[];
  /**
   * `marginalia.decorations.<kind>`: which kinds are painted — the entity types, `quotation`,
   * `attribution` (reported speech without quotation marks, and its speaker label) and `speaker`.
   */
  decorations: Record<DecorationKind, boolean>;
  /** `marginalia.maxSourceSize`: sources longer than this (characters) are not scanned unless asked. */
  maxSourceSize: number;
  /** `marginalia.model.path`: workspace-relative path of a custom tagger model ('' = the bundled one). */
  modelPath: string;
  /** `marginalia.live.debounce`: milliseconds of quiet typing before touched paragraphs are re-recognised. */
  debounceMs: number;
  /** `marginalia.sidecar.folder`: where sidecars live, relative to the workspace folder ('' = beside each source). */
  sidecarFolder: string;
  /**
   * `marginalia.sidecar.folder` as the workspace folder itself sets it (its `.vscode/settings.json`
   * in a multi-root workspace), when it does; `config.for(uri)` only.
   */
  sidecarFolderOfFolder?: string;
  /** `marginalia.sidecar.maxSizeMB`, in bytes: larger sidecars are refused, never truncated. */
  maxSidecarBytes: number;
  /** `marginalia.annotations.author`: recorded on new annotations ('' = none). */
  author: string;
  /** `marginalia.annotations.verdicts`: the raw value (validated by the verdict scale). */
  verdicts: unknown;
  /** `marginalia.annotations.verdictRatings`: the raw value (validated by the core's `verdictRatingsFrom`). */
  verdictRatings?: unknown;
  /** `marginalia.annotations.inlineBadge`: the verdict badge at the end of annotated lines. */
  inlineBadge: boolean;
  /** `marginalia.publisher.name` and `.url`: the fact-checker named in ClaimReview exports. */
  publisherName?: string;
  publisherUrl?: string;
  /** `marginalia.primarySources`: globs of files that are primary sources (transcripts) for the quotation check. */
  primarySources: string[];
  /** `marginalia.learning.enabled`: whether the tagger adapts to the reader's corrections. */
  learningEnabled: boolean;
  /** `marginalia.export.folder`: where exports are written (workspace-relative, never outside it). */
  exportFolder: string;
  /** `marginalia.test.signalFile` from the user settings only (never a workspace's): the test harness's signal. */
  testSignalFile?: string;
}

export const SECTION = 'marginalia';
export const DEFAULT_SOURCES = ['**/*.txt', '**/*.md', 'seeds/**'];
export const DEFAULT_MAX_SOURCE_SIZE = 2_000_000;
export const DEFAULT_DEBOUNCE_MS = 150;
export const DEFAULT_EXPORT_FOLDER = 'marginalia-exports';
const DEFAULT_MAX_SIDECAR_MB = 5;

/** Keys (and key prefixes) a change event can be asked about. */
export type ConfigKey = 'sources' | 'decorations' | 'maxSourceSize' | 'model.path' | 'live.debounce' | 'annotations' | 'annotations.inlineBadge' | 'sidecar' | 'sidecar.folder' | 'publisher' | 'primarySources' | 'learning' | 'export';

/** Which of our keys a settings change touched. */
export interface ConfigChange {
  affects(key: ConfigKey): boolean;
}

const trimmed = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const optional = (v: unknown): string | undefined => trimmed(v) || undefined;
const globs = (v: unknown, fallback: readonly string[]): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim().length > 0) : [...fallback];

/** A workspace-relative folder that stays inside the workspace, or the default. */
export function safeExportFolder(v: unknown): string {
  const clean = trimmed(v).replace(/\\/g, '/').replace(/^\.?\/+|\/+$/g, '');
  // a folder that would leave the workspace (`..`, absolute, a drive) is not used
  return clean && isSafeRelativePath(clean) && !clean.split('/').includes('..') && !/^[a-zA-Z]:/.test(clean) ? clean : DEFAULT_EXPORT_FOLDER;
}

/** Every setting, for the window (`scope` undefined) or for a resource. */
export function readConfig(scope?: vscode.Uri): MarginaliaConfig {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const decorations = {} as Record<DecorationKind, boolean>;
  for (const kind of DECORATION_KINDS) decorations[kind] = c.get<boolean>(`decorations.${kind}`, true) !== false;
  const max = c.get<number>('maxSourceSize', DEFAULT_MAX_SOURCE_SIZE);
  const debounce = c.get<number>('live.debounce', DEFAULT_DEBOUNCE_MS);
  const mb = c.get<number>('sidecar.maxSizeMB', DEFAULT_MAX_SIDECAR_MB);
  const ratings = c.get<unknown>('annotations.verdictRatings');
  const ownFolder = scope ? c.inspect<string>('sidecar.folder')?.workspaceFolderValue : undefined;
  const signal = c.inspect<string>('test.signalFile')?.globalValue;
  return {
    sources: globs(c.get<unknown>('sources', DEFAULT_SOURCES), DEFAULT_SOURCES),
    decorations,
    maxSourceSize: typeof max === 'number' && max > 0 ? max : DEFAULT_MAX_SOURCE_SIZE,
    modelPath: trimmed(c.get<string>('model.path', '')),
    debounceMs: typeof debounce === 'number' && debounce >= 0 ? debounce : DEFAULT_DEBOUNCE_MS,
    sidecarFolder: trimmed(c.get<string>('sidecar.folder', '')),
    ...(typeof ownFolder === 'string' ? { sidecarFolderOfFolder: ownFolder.trim() } : {}),
    maxSidecarBytes: Math.max(0.01, typeof mb === 'number' ? mb : DEFAULT_MAX_SIDECAR_MB) * 1024 * 1024,
    author: trimmed(c.get<string>('annotations.author', '')),
    verdicts: c.get<unknown>('annotations.verdicts'),
    ...(ratings !== undefined && ratings !== null ? { verdictRatings: ratings } : {}),
    inlineBadge: c.get<boolean>('annotations.inlineBadge', true) !== false,
    publisherName: optional(c.get<unknown>('publisher.name')),
    publisherUrl: optional(c.get<unknown>('publisher.url')),
    primarySources: globs(c.get<unknown>('primarySources', DEFAULT_PRIMARY_SOURCES), DEFAULT_PRIMARY_SOURCES),
    learningEnabled: c.get<boolean>('learning.enabled', true) !== false,
    exportFolder: safeExportFolder(c.get<string>('export.folder', DEFAULT_EXPORT_FOLDER)),
    testSignalFile: typeof signal === 'string' ? signal : undefined,
  };
}

/** What features need of the configuration (a fake in tests). */
export interface Settings {
  /** The window's values. */
  readonly current: MarginaliaConfig;
  /** A resource's values (its workspace folder's own settings apply). */
  for(scope: vscode.Uri | undefined): MarginaliaConfig;
  /** Fires after a `marginalia.*` setting changed, once the values above are read again. */
  readonly onDidChange: vscode.Event<ConfigChange>;
}

/** Typed configuration with a change event that says which of our keys changed. */
export class Configuration implements Settings, vscode.Disposable {
  private value = readConfig();
  private readonly emitter = new vscode.EventEmitter<ConfigChange>();
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;
  private readonly foldersListener: vscode.Disposable;
  /**
   * Resource values per workspace folder (a folder's settings are the same for every file in it),
   * read once until a setting changes: sidecar locations and primary-source checks ask per file.
   */
  private readonly byFolder = new Map<string, MarginaliaConfig>();

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.value = readConfig();
      this.byFolder.clear();
      this.emitter.fire({ affects: (key) => e.affectsConfiguration(`${SECTION}.${key}`) });
    });
    this.foldersListener = vscode.workspace.onDidChangeWorkspaceFolders(() => this.byFolder.clear());
  }

  get current(): MarginaliaConfig {
    return this.value;
  }

  for(scope: vscode.Uri | undefined): MarginaliaConfig {
    if (!scope) return this.value;
    const folder = vscode.workspace.getWorkspaceFolder(scope)?.uri;
    if (!folder) return readConfig(scope);
    const key = folder.toString();
    let c = this.byFolder.get(key);
    if (!c) this.byFolder.set(key, (c = readConfig(folder)));
    return c;
  }

  /** Writes `marginalia.decorations.*`, to the workspace if it is set there, otherwise to the user settings. */
  async setDecorations(enabled: Partial<Record<DecorationKind, boolean>>): Promise<void> {
    const c = vscode.workspace.getConfiguration(SECTION);
    for (const [kind, on] of Object.entries(enabled)) {
      const key = `decorations.${kind}`;
      const inspected = c.inspect<boolean>(key);
      const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await c.update(key, on, target);
    }
  }

  dispose(): void {
    this.listener.dispose();
    this.foldersListener.dispose();
    this.emitter.dispose();
  }
}
