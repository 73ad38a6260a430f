/**
 * User dictionaries: a workspace YAML file (e.g. `.marginalia/dictionary.yaml`) where users add
 * names with a type, aliases and a description (shown in hovers), and names never to mark.
 *
 * ```yaml
 * entries:
 *   - name: Sergei Lavrov
 *     type: person
 *     aliases: [Lavrov, S. Lavrov]
 *     description: Russia's foreign minister since 2004.
 *   - name: The Cradle
 *     type: organization
 * ignore:
 *   - Required Fields
 * ```
 *
 * The host reads the file; `parseDictionary(text)` parses and validates it (the `yaml` package
 * with alias and size limits, since the file is untrusted) and reports every problem with its
 * line. Valid entries are kept even when others are invalid.
 */
import { yamlNestingBeyondLimit } from '../sidecar/guards';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ENTITY_TYPES, type EntityType } from '../types';

export interface DictionaryEntry {
  name: string;
  type: EntityType;
  aliases: string[];
  description?: string;
}

export interface Dictionary {
  entries: DictionaryEntry[];
  /** Names never marked (compared case-insensitively, whitespace normalised). */
  ignore: string[];
}

export interface DictionaryProblem {
  message: string;
  /** 1-based line, when known. */
  line?: number;
}

export interface ParsedDictionary {
  dictionary: Dictionary;
  /** Empty when the file is valid. */
  errors: DictionaryProblem[];
}

/** Larger files are refused (a dictionary is hand-written). */
export const MAX_DICTIONARY_BYTES = 1_000_000;
const MAX_ENTRIES = 20_000;
const MAX_NAME = 200;
const MAX_DESCRIPTION = 2_000;

export function emptyDictionary(): Dictionary {
  return { entries: [], ignore: [] };
}

export function normalizeName(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Parses and validates a dictionary file. Never throws. */
export function parseDictionary(text: string): ParsedDictionary {
  const errors: DictionaryProblem[] = [];
  const dictionary = emptyDictionary();
  const refused = refusal(text);
  if (refused) return { dictionary, errors: [refused] };
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, strict: true });
  const lineOf: LineOf = (node) => (node?.range ? lc.linePos(node.range[0]).line : undefined);
  for (const e of doc.errors) errors.push({ message: e.message.split('\n')[0], line: e.linePos?.[0]?.line });
  if (doc.errors.length > 0) return { dictionary, errors };
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    return { dictionary, errors: [{ message: `cannot read the dictionary: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  if (root === null || root === undefined) return { dictionary, errors };
  if (!isMap(doc.contents) || typeof root !== 'object' || Array.isArray(root)) {
    return { dictionary, errors: [{ message: 'the dictionary must be a mapping with `entries:` and/or `ignore:`', line: 1 }] };
  }
  const top = doc.contents;
  for (const item of top.items) {
    const key = String((item.key as { value?: unknown } | null)?.value ?? item.key);
    if (key !== 'entries' && key !== 'ignore') errors.push({ message: `unknown key \`${key}\` (expected \`entries\` or \`ignore\`)`, line: lineOf(item.key as Node) });
  }
  const entriesNode = top.get('entries', true) as Node | undefined;
  if (entriesNode !== undefined && entriesNode !== null) readEntries(entriesNode, dictionary, errors, lineOf);
  const ignoreNode = top.get('ignore', true) as Node | undefined;
  if (ignoreNode !== undefined && ignoreNode !== null) readIgnore(ignoreNode, dictionary, errors, lineOf);
  return { dictionary, errors };
}

/** The line a YAML node starts on. */
type LineOf = (node: Node | null | undefined) => number | undefined;

/** Why the file is not read at all (too large, or collections nested too deeply), if it is not. */
function refusal(text: string): DictionaryProblem | undefined {
  if (text.length > MAX_DICTIONARY_BYTES) return { message: `dictionary is too large (${text.length} characters; the limit is ${MAX_DICTIONARY_BYTES})` };
  const deep = yamlNestingBeyondLimit(text);
  if (deep < 0) return undefined;
  let line = 1;
  for (let i = 0; i < deep; i++) if (text.charCodeAt(i) === 10) line++;
  return { message: 'collections nested too deeply (more than 64 levels); the dictionary was not read', line };
}

/** The valid entries of `entries:` (at most MAX_ENTRIES), a problem for each invalid one. */
function readEntries(node: Node, dictionary: Dictionary, errors: DictionaryProblem[], lineOf: LineOf): void {
  if (!isSeq(node)) {
    errors.push({ message: '`entries` must be a list', line: lineOf(node) });
    return;
  }
  if (node.items.length > MAX_ENTRIES) errors.push({ message: `too many entries (limit ${MAX_ENTRIES})` });
  node.items.slice(0, MAX_ENTRIES).forEach((n, i) => {
    const entry = readEntry(n as Node, `entry ${i + 1}`, errors, lineOf(n as Node));
    if (entry) dictionary.entries.push(entry);
  });
}

/** One entry (`where`: "entry N"), or undefined with its problems reported. */
function readEntry(n: Node, where: string, errors: DictionaryProblem[], line: number | undefined): DictionaryEntry | undefined {
  if (!isMap(n)) {
    errors.push({ message: `${where}: must be a mapping with \`name\` and \`type\``, line });
    return undefined;
  }
  const v = (n as { toJSON(): unknown }).toJSON() as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!['name', 'type', 'aliases', 'description'].includes(k)) errors.push({ message: `${where}: unknown key \`${k}\``, line });
  const name = v.name;
  if (typeof name !== 'string' || !name.trim()) {
    errors.push({ message: `${where}: \`name\` must be a non-empty string`, line });
    return undefined;
  }
  if (name.length > MAX_NAME) {
    errors.push({ message: `${where}: \`name\` is longer than ${MAX_NAME} characters`, line });
    return undefined;
  }
  const type = v.type;
  if (typeof type !== 'string' || !(ENTITY_TYPES as readonly string[]).includes(type)) {
    errors.push({ message: `${where} (${name}): \`type\` must be one of ${ENTITY_TYPES.join(', ')}`, line });
    return undefined;
  }
  const problem = (message: string): void => {
    errors.push({ message: `${where} (${name}): ${message}`, line });
  };
  const aliases = readAliases(v.aliases, problem);
  let description: string | undefined;
  if (v.description !== undefined && v.description !== null) {
    if (typeof v.description !== 'string') problem('`description` must be a string');
    else description = v.description.slice(0, MAX_DESCRIPTION);
  }
  return { name: name.replace(/\s+/g, ' ').trim(), type: type as EntityType, aliases, description };
}

/** An entry's aliases (one string or a list), whitespace normalised; `problem` for each invalid one. */
function readAliases(value: unknown, problem: (message: string) => void): string[] {
  const aliases: string[] = [];
  if (value === undefined || value === null) return aliases;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    problem('`aliases` must be a list of strings');
    return aliases;
  }
  for (const a of list) {
    if (typeof a === 'string' && a.trim() && a.length <= MAX_NAME) aliases.push(a.replace(/\s+/g, ' ').trim());
    else problem(`alias ${JSON.stringify(a)} is not a non-empty string`);
  }
  return aliases;
}

/** The names of `ignore:`, a problem for each item that is not one. */
function readIgnore(node: Node, dictionary: Dictionary, errors: DictionaryProblem[], lineOf: LineOf): void {
  if (!isSeq(node)) {
    errors.push({ message: '`ignore` must be a list of names', line: lineOf(node) });
    return;
  }
  for (const n of node.items) {
    const v = (n as { toJSON?(): unknown })?.toJSON?.() ?? (n as { value?: unknown })?.value;
    if (typeof v === 'string' && v.trim()) dictionary.ignore.push(v.replace(/\s+/g, ' ').trim());
    else errors.push({ message: `ignore: ${JSON.stringify(v)} is not a name`, line: lineOf(n as Node) });
  }
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface DictionaryMatcher {
  /** Non-overlapping, leftmost-longest matches of entry names/aliases in `text.slice(start, end)`. */
  find(text: string, start: number, end: number): { start: number; end: number; entry: DictionaryEntry }[];
  isIgnored(name: string): boolean;
  /** Stable key of the dictionary's content (for caches). */
  readonly key: string;
  readonly empty: boolean;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

export function compileDictionary(dict: Dictionary | undefined): DictionaryMatcher {
  const forms = new Map<string, { form: string; entry: DictionaryEntry }[]>();
  const ignore = new Set((dict?.ignore ?? []).map(normalizeName));
  for (const entry of dict?.entries ?? []) {
    for (const form of [entry.name, ...entry.aliases]) {
      const f = form.trim();
      if (!f) continue;
      const first = f.split(/\s+/)[0].toLowerCase();
      let list = forms.get(first);
      if (!list) forms.set(first, (list = []));
      list.push({ form: f, entry });
    }
  }
  for (const list of forms.values()) list.sort((a, b) => b.form.length - a.form.length);
  const key = dict ? JSON.stringify(dict) : '';
  return {
    key,
    empty: forms.size === 0 && ignore.size === 0,
    isIgnored: (name) => ignore.size > 0 && ignore.has(normalizeName(name)),
    find(text, start, end) {
      const out: { start: number; end: number; entry: DictionaryEntry }[] = [];
      if (forms.size === 0) return out;
      const re = /[\p{L}\p{N}][\p{L}\p{N}.'’-]*/gu;
      re.lastIndex = start;
      for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
        const word = m[0].replace(/[’']s$/, '').replace(/\.$/, '');
        const list = forms.get(word.toLowerCase()) ?? forms.get(m[0].toLowerCase());
        if (!list) continue;
        for (const { form, entry } of list) {
          // Case-sensitive match of the whole form with word boundaries.
          const cand = text.slice(m.index, m.index + form.length);
          if (cand !== form || m.index + form.length > end) continue;
          const after = text[m.index + form.length] ?? '';
          if (after && WORD_CHAR.test(after)) continue;
          out.push({ start: m.index, end: m.index + form.length, entry });
          re.lastIndex = m.index + form.length;
          break;
        }
      }
      return out;
    },
  };
}
