import * as vscode from 'vscode';
import { DECORATION_KINDS, type DecorationKind } from './decorations/kinds';

export { DECORATION_KINDS, type DecorationKind };

/** The editor features' settings, typed. Each field documents its `marginalia.*` key. */
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
}

export const DEFAULT_SOURCES = ['**/*.txt', '**/*.md', 'seeds/**'];
export const DEFAULT_MAX_SOURCE_SIZE = 2_000_000;
export const DEFAULT_DEBOUNCE_MS = 150;

export type ConfigKey = 'sources' | 'decorations' | 'maxSourceSize' | 'model.path' | 'live.debounce';

export const SECTION = 'marginalia';

export function readConfig(): MarginaliaConfig {
  const c = vscode.workspace.getConfiguration(SECTION);
  const decorations = {} as Record<DecorationKind, boolean>;
  for (const kind of DECORATION_KINDS) decorations[kind] = c.get<boolean>(`decorations.${kind}`, true) !== false;
  const sources = c.get<unknown>('sources', DEFAULT_SOURCES);
  const max = c.get<number>('maxSourceSize', DEFAULT_MAX_SOURCE_SIZE);
  const debounce = c.get<number>('live.debounce', DEFAULT_DEBOUNCE_MS);
  return {
    sources: Array.isArray(sources) ? sources.filter((s): s is string => typeof s === 'string' && s.length > 0) : DEFAULT_SOURCES,
    decorations,
    maxSourceSize: typeof max === 'number' && max > 0 ? max : DEFAULT_MAX_SOURCE_SIZE,
    modelPath: (c.get<string>('model.path', '') ?? '').trim(),
    debounceMs: typeof debounce === 'number' && debounce >= 0 ? debounce : DEFAULT_DEBOUNCE_MS,
  };
}

/** Typed configuration with a change event that says which of our keys changed. */
export class Configuration implements vscode.Disposable {
  private value = readConfig();
  private readonly emitter = new vscode.EventEmitter<{ affects(key: ConfigKey): boolean }>();
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      this.value = readConfig();
      this.emitter.fire({ affects: (key) => e.affectsConfiguration(`${SECTION}.${key}`) });
    });
  }

  get current(): MarginaliaConfig {
    return this.value;
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
    this.emitter.dispose();
  }
}
