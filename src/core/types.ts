/**
 * Shared vocabulary of the core. Everything here is plain data: no `vscode`, no Node built-ins.
 * Offsets are UTF-16 code units into the source text (JavaScript string indices), end exclusive.
 */

export const ENTITY_TYPES = ['person', 'organization', 'place', 'group', 'date', 'number'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface Span {
  start: number;
  end: number;
}

/** Where a mention came from (shown in hovers, used by corrections). */
export type MentionSource = 'model' | 'gazetteer' | 'rule' | 'dictionary' | 'correction' | 'consistency';

export interface Mention extends Span {
  type: EntityType;
  /** `text.slice(start, end)` */
  text: string;
  /** Canonical name of the entity this mention refers to (`Lavrov` → `Sergei Lavrov`). */
  canonical: string;
  /** Id of the entity in `Analysis.entities`. */
  entityId: string;
  /** 0..1 */
  confidence: number;
  /** Normalised value: ISO date (`2023-10-23`, `2023-10`, `2022`) for dates; a number's value (`>5000`) for numbers. */
  value?: string;
  source?: MentionSource;
  /** The tagger read this mention so because of what it learned from the user's corrections in the workspace. */
  learned?: true;
}

export interface Entity {
  /** Stable within one analysis of one text (derived from type and canonical name). */
  id: string;
  type: EntityType;
  canonical: string;
  /** Other surface forms seen in the text (`Lavrov`, `Sergei Lavrov`). */
  aliases: string[];
  /** Titles and appositives the text gives (`Russian Foreign Minister`). */
  roles: string[];
  mentions: Span[];
  /** From the user's dictionary. */
  description?: string;
}

/**
 * `full`, `partial`, `scare` and `block` are marked by quotation marks or layout; `indirect` is reported
 * speech or thought without them ("X said (that) …", "according to X, …"), its span the reported content.
 */
export type QuoteKind = 'full' | 'partial' | 'scare' | 'block' | 'indirect';

/** How a speaker was found: a name, a pronoun, a role phrase, an organisation, an unnamed description, or the previous paragraph's speaker. */
export type AttributionVia = 'name' | 'pronoun' | 'role' | 'organization' | 'description' | 'continuation';

export interface Speaker extends Span {
  /** Resolved canonical name, or the description of an unnamed speaker (`the US representative`). */
  name: string;
  entityId?: string;
  via: AttributionVia;
}

export interface Quote extends Span {
  /** start/end include the quotation marks. */
  kind: QuoteKind;
  speaker: Speaker | null;
  /** The speech verb phrase (`he added`, `said in a statement`, `according to`). */
  cue: Span | null;
  /** 0..1 */
  confidence: number;
  /** Index (in `Analysis.quotes`) of the quotation this one is nested in. */
  parent?: number;
  /**
   * Index (in `Analysis.quotes`) of the reported statement (kind `indirect`) this quotation-mark fragment
   * is part of: in `the plan was "a disaster", he said` the marked words belong to the whole statement.
   */
  partOf?: number;
}

export interface Analysis {
  mentions: Mention[];
  entities: Entity[];
  quotes: Quote[];
}

/** The core logs through this; the host adapts it to a LogOutputChannel, the CLI to stderr. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const nullLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
