/**
 * The canonical reader: a sidecar in the canonical layout (see `./canonicalWriter`) read into plain
 * data in one pass over its lines, without the `yaml` package. It also tells whether the text is
 * byte for byte what the writer writes, and where each item's block lies (so that saving can copy
 * the blocks of unchanged items).
 */
import { ANNOTATION_KEYS, CORRECTION_KEYS } from './model';
import { CANONICAL_HEADER } from './canonicalWriter';
import { CanonicalValueReader, KNOWN_TARGET, KNOWN_TOP, OUTSIDE } from './canonicalValues';

/** Where one list item's block lies in the text read, and whether `writeItem` writes exactly it back. */
export interface CanonicalBlock {
  /** Offset of the block's first line (`  - id: …`). */
  start: number;
  /** Offset just past the `\n` of its last line. */
  end: number;
  /**
   * The block is exactly what `writeItem` writes for the model the codec builds from `data`: every
   * line in the writer's layout and quoting, every value of the type the model keeps (no
   * `verdict: true` read as the text "true", no `start: 1.0`), the target in its nested form, no
   * mapping or list other than `tags` (which the model copies) and no `__proto__` key.
   */
  exact: boolean;
  /** The item has keys the format does not define (kept in the model's `extra`). */
  extra: boolean;
  /** The item as read (unvalidated; the codec's model copies its strings, target and tags). */
  data: Record<string, unknown>;
}

export interface CanonicalRead {
  data: Record<string, unknown>;
  /** The text is byte for byte what `canonicalStringify` writes for this data (so it can be rewritten wholesale). */
  canonical: boolean;
  /** One entry per item of `data.annotations` / `data.corrections` when they were read in block form. */
  blocks?: { annotations?: CanonicalBlock[]; corrections?: CanonicalBlock[] };
  /** Every id in `data.annotations` is a string, each greater than the one before (so none repeats). */
  annotationIdsIncreasing?: boolean;
  /**
   * A value was read into data that does not keep its text (`1.10` read as 1.1, a 20-digit number,
   * a `null` in a flow collection): the codec reads such a file with the YAML parser instead.
   */
  lossy?: boolean;
}

/**
 * Read a sidecar written in the canonical layout into plain data (not yet validated), or undefined
 * if the text deviates from the layout anywhere (then the full YAML parser reads it). The text is
 * scanned once, line by line, and each value is read as the JSON it is (a JSON string, number or
 * flow collection, or a plain scalar the writer would write unquoted); the result is what
 * `JSON.parse` of the equivalent JSON text gives.
 */
export function canonicalParse(text: string): CanonicalRead | undefined {
  const n = text.length;
  if (n > 0 && text.charCodeAt(n - 1) !== 10) return undefined;
  return new CanonicalParser(text).parse();
}

/**
 * An annotation block exactly in the writer's layout (known keys in order, the target nested), seen
 * in one match instead of line by line. Each value is `[^ \n][^\n]*`, as the line reader splits
 * `key: value`; the values are then read by the same code. Anything else (unknown keys, a
 * conflict, another order) goes through the line reader.
 */
const VALUE = '[^ \\n][^\\n]*\\n';
const ANNOTATION_BLOCK = new RegExp(
  `  - id: ${VALUE}    kind: ${VALUE}`
  + ['tags', 'verdict', 'note', 'author', 'created', 'modified'].map((k) => `(?:    ${k}: ${VALUE})?`).join('')
  + '(?:    orphan: true\\n)?    target:\\n'
  + KNOWN_TARGET.map((k) => `      ${k}: ${VALUE}`).join(''),
  'y',
);
const ORPHAN_LINE = '    orphan: true\n'.length;
const TARGET_LINE = '    target:\n'.length;
const TARGET_RANK = ANNOTATION_KEYS.indexOf('target');

/**
 * Set `obj[key]` as JSON.parse would (an own `__proto__` property, not the prototype); false when
 * the key is already there (a duplicate key: the YAML parser reports it).
 */
function put(obj: Record<string, unknown>, key: string, v: unknown): boolean {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return false;
  if (key === '__proto__') Object.defineProperty(obj, key, { value: v, writable: true, enumerable: true, configurable: true });
  else obj[key] = v;
  return true;
}

/** Where the reader is: at the top level, in a list, in a list item, or in an item's nested target. */
type Mode = 0 | 1 | 2 | 3;
const ROOT = 0;
const LIST = 1;
const ITEM = 2;
const TARGET = 3;

/** A line's indentation: 0 (a top-level key), 4 (an item's key), 6 (a target's key), or ITEM_START (`  - `). */
const ITEM_START = 2;
function indentOf(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== 32 || text.charCodeAt(pos + 1) !== 32) return 0;
  const c2 = text.charCodeAt(pos + 2);
  if (c2 === 45) return text.charCodeAt(pos + 3) === 32 ? ITEM_START : 0;
  if (c2 !== 32 || text.charCodeAt(pos + 3) !== 32) return 0;
  return text.charCodeAt(pos + 4) === 32 && text.charCodeAt(pos + 5) === 32 ? 6 : 4;
}

/**
 * The key of the line at `p` inside an annotation block that matched `ANNOTATION_BLOCK` (not its
 * first line): the match says which line holds which key, so the optional ones are told apart by
 * their first letters.
 */
function blockLineKey(text: string, p: number): string {
  switch (text.charCodeAt(p + 4)) {
    case 107: return 'kind'; // k
    case 116: return text.charCodeAt(p + 6) === 103 ? 'tags' : 'target'; // t: ta(g)s / ta(r)get
    case 118: return 'verdict';
    case 110: return 'note';
    case 97: return 'author';
    case 99: return 'created';
    case 109: return 'modified';
    default: return 'orphan'; // o
  }
}

/** Store a value read in an annotation block under its key (named stores: the items share their shapes). */
function storeBlockValue(item: Record<string, unknown>, key: string, v: unknown): void {
  switch (key) {
    case 'id': item.id = v; break;
    case 'kind': item.kind = v; break;
    case 'tags': item.tags = v; break;
    case 'verdict': item.verdict = v; break;
    case 'note': item.note = v; break;
    case 'author': item.author = v; break;
    case 'created': item.created = v; break;
    default: item.modified = v;
  }
}

/** Store the `t`-th target value of an annotation block (`KNOWN_TARGET` order). */
function storeTargetValue(target: Record<string, unknown>, t: number, v: unknown): void {
  switch (t) {
    case 0: target.exact = v; break;
    case 1: target.prefix = v; break;
    case 2: target.suffix = v; break;
    case 3: target.start = v; break;
    default: target.end = v;
  }
}

/**
 * The state of one read, with one method per construct (a top-level key, a list, an item's line, a
 * whole annotation block, a target line); keys and values are read by `CanonicalValueReader`. Every
 * `read…` method returns false (OUTSIDE for a value) when the text leaves the canonical layout:
 * then the whole read gives up.
 */
class CanonicalParser extends CanonicalValueReader {
  private readonly n: number;
  private pos = 0;
  private readonly root: Record<string, unknown> = {};
  private readonly blocks: { annotations?: CanonicalBlock[]; corrections?: CanonicalBlock[] } = {};
  private mode: Mode = ROOT;
  private rootRank = -1;
  private rootExtra = false;
  private list: unknown[] = [];
  private listBlocks: CanonicalBlock[] = [];
  private listFirst = true;
  private listKeys: readonly string[] = ANNOTATION_KEYS;
  private prevId = '';
  private annotationIdsIncreasing = true;
  private item: Record<string, unknown> = {};
  private block: CanonicalBlock | undefined;
  private itemRank = -1;
  private itemExtra = false;
  private target: Record<string, unknown> = {};
  private targetCount = 0;
  private blank = false;

  constructor(text: string) {
    super(text);
    this.n = text.length;
    if (this.n > CANONICAL_HEADER.length && text.startsWith(CANONICAL_HEADER) && text.charCodeAt(CANONICAL_HEADER.length) === 10) this.pos = CANONICAL_HEADER.length + 1;
    else this.canonical = false;
  }

  parse(): CanonicalRead | undefined {
    if (!this.readLines()) return undefined;
    this.closeList();
    if (this.blank) this.canonical = false;
    if (!Object.prototype.hasOwnProperty.call(this.root, 'annotations')) this.canonical = false;
    return { data: this.root, canonical: this.canonical, blocks: this.blocks, annotationIdsIncreasing: this.annotationIdsIncreasing, lossy: this.lossy };
  }

  /**
   * Every line; false when one leaves the canonical layout. (The loop is a method of its own, ending
   * in a constant: its optimised code has nothing to deoptimise on when it exits.)
   */
  private readLines(): boolean {
    while (this.pos < this.n) {
      if (!this.readLine()) return false;
    }
    return true;
  }

  /** The line at `pos` (a whole annotation block when it is one in the writer's layout). */
  private readLine(): boolean {
    const text = this.text;
    const pos = this.pos;
    const end = text.indexOf('\n', pos);
    if (end === pos) {
      this.blank = true;
      this.pos++;
      return true;
    }
    const next = end + 1;
    const indent = indentOf(text, pos);
    const isItemStart = indent === ITEM_START;
    if (this.blank !== (isItemStart && !this.listFirst && this.mode !== ROOT)) this.notCanonical();
    this.blank = false;
    if (indent === 6) return this.readTargetLine(pos, end, next);
    if (isItemStart && this.listKeys === ANNOTATION_KEYS) {
      ANNOTATION_BLOCK.lastIndex = pos;
      if (ANNOTATION_BLOCK.test(text)) return this.readAnnotationBlock(pos, ANNOTATION_BLOCK.lastIndex);
    }
    if (isItemStart || indent === 4) return this.readItemLine(pos, end, next, isItemStart);
    return this.readTopLine(pos, end, next);
  }

  // --- top level and lists

  /** A top-level `key: value`, or `annotations:` / `corrections:` opening a block list. */
  private readTopLine(pos: number, end: number, next: number): boolean {
    const c0 = this.text.charCodeAt(pos);
    if (c0 === 32 || c0 === 9 || c0 === 35 || c0 === 45) return false;
    this.closeList();
    const key = this.splitKey(pos, end);
    if (key === undefined) return false;
    if (Object.prototype.hasOwnProperty.call(this.root, key)) return false;
    this.noteTopKeyOrder(key);
    this.pos = next;
    if (this.vStart === this.vEnd) return this.openList(key);
    const v = this.readValue(key);
    if (v === OUTSIDE) return false;
    if ((key === 'annotations' || key === 'corrections') && (key !== 'annotations' || !this.emptyFlowList())) this.canonical = false;
    if (key === 'annotations') this.annotationIdsIncreasing = false; // a flow list: not looked at
    return put(this.root, key, v);
  }

  /** The writer writes the known top-level keys in order, then a top-level conflict, then unknown keys. */
  private noteTopKeyOrder(key: string): void {
    const rank = KNOWN_TOP.indexOf(key);
    if (rank >= 0) {
      if (rank <= this.rootRank || this.rootExtra) this.canonical = false;
      this.rootRank = rank;
    } else {
      if (key === 'conflict' && this.rootExtra) this.canonical = false;
      this.rootExtra = true;
    }
  }

  /** `annotations:` or `corrections:` with nothing after it: a block list follows. */
  private openList(key: string): boolean {
    if (key !== 'annotations' && key !== 'corrections') return false;
    this.list = [];
    this.listBlocks = [];
    if (!put(this.root, key, this.list)) return false;
    this.blocks[key] = this.listBlocks;
    this.mode = LIST;
    this.listFirst = true;
    this.listKeys = key === 'annotations' ? ANNOTATION_KEYS : CORRECTION_KEYS;
    this.prevId = '';
    return true;
  }

  private closeList(): void {
    this.closeItem();
    if (this.mode === LIST) {
      if (this.listFirst) this.canonical = false; // `annotations:` with no items (the writer writes `[]`)
      this.mode = ROOT;
    }
  }

  // --- list items

  /** A new list item (its block starts at `start`); false when not inside a list. */
  private openItem(start: number, end: number): boolean {
    this.closeItem();
    if (this.mode !== LIST) return false;
    this.item = {};
    this.block = { start, end, exact: false, extra: false, data: this.item };
    this.list.push(this.item);
    this.listBlocks.push(this.block);
    this.listFirst = false;
    this.itemExtra = false;
    this.exact = true;
    return true;
  }

  private closeItem(): void {
    this.closeTarget();
    if (this.mode === ITEM) {
      this.block!.exact = this.exact && this.rawOk;
      this.mode = LIST;
    }
  }

  /**
   * An item's id (the value just read at [vStart, vEnd)): the writer sorts ids, so one not after
   * the previous is not the canonical layout; in the annotations list it also means the codec must
   * check for duplicates itself.
   */
  private noteId(v: unknown, annotations: boolean): void {
    const id = typeof v === 'string' ? v : this.text.slice(this.vStart, this.vEnd);
    if (id <= this.prevId || typeof v !== 'string') {
      if (id <= this.prevId) this.canonical = false;
      if (annotations) this.annotationIdsIncreasing = false;
    }
    this.prevId = id;
  }

  /** One line of a list item (`  - key: value` starts one, `    key: value` continues it). */
  private readItemLine(pos: number, end: number, next: number, isItemStart: boolean): boolean {
    if (isItemStart) {
      if (!this.openItem(pos, next)) return false;
      this.mode = ITEM;
      this.itemRank = -1;
    } else {
      this.closeTarget();
      if (this.mode !== ITEM) return false;
    }
    const key = this.splitKey(pos + 4, end);
    if (key === undefined) return false;
    if (Object.prototype.hasOwnProperty.call(this.item, key)) return false;
    this.noteItemKeyOrder(key, isItemStart);
    this.block!.end = next;
    this.pos = next;
    if (this.vStart === this.vEnd) return key === 'target' && this.openTarget(key);
    const v = this.readValue(key);
    if (v === OUTSIDE) return false;
    if (key === 'id') {
      this.noteId(v, this.listKeys === ANNOTATION_KEYS);
    } else if (key === 'tags' || key === 'evidence') {
      if (this.emptyFlowList()) this.notCanonical(); // (the writer leaves out an empty list)
    } else if (key === 'target' || key === 'conflict') this.exact = false; // the target in flow form; a conflict the model shares
    return put(this.item, key, v);
  }

  /** The writer writes `id` first, the known keys in order, then the unknown ones (kept in `extra`). */
  private noteItemKeyOrder(key: string, isItemStart: boolean): void {
    const rank = this.listKeys.indexOf(key);
    if (rank >= 0) {
      if (rank <= this.itemRank || this.itemExtra) this.notCanonical();
      this.itemRank = rank;
    } else {
      this.itemExtra = true;
      this.block!.extra = true;
      if (key === '__proto__') this.exact = false;
    }
    if (isItemStart && key !== 'id') this.notCanonical();
  }

  // --- targets

  /** `target:` with nothing after it: the target's lines follow. */
  private openTarget(key: string): boolean {
    this.target = {};
    if (!put(this.item, key, this.target)) return false;
    this.mode = TARGET;
    this.targetCount = 0;
    return true;
  }

  private closeTarget(): void {
    if (this.mode === TARGET) {
      if (this.targetCount !== 5) this.notCanonical();
      this.mode = ITEM;
    }
  }

  /** One line of a nested target (`      key: value`). */
  private readTargetLine(pos: number, end: number, next: number): boolean {
    if (this.mode !== TARGET) return false;
    const key = this.splitKey(pos + 6, end);
    if (key === undefined || this.vStart === this.vEnd) return false;
    const v = this.readValue(key);
    if (v === OUTSIDE) return false;
    if (KNOWN_TARGET[this.targetCount] !== key) this.notCanonical();
    this.targetCount++;
    if (!put(this.target, key, v)) return false;
    this.block!.end = next;
    this.pos = next;
    return true;
  }

  // --- annotation blocks in the writer's layout

  /**
   * A whole annotation block that matched `ANNOTATION_BLOCK` ([pos, blockEnd)): what the line
   * reader does for these lines, without splitting them again.
   */
  private readAnnotationBlock(pos: number, blockEnd: number): boolean {
    if (!this.openItem(pos, blockEnd)) return false;
    const targetLine = this.readBlockKeys(pos);
    if (targetLine < 0 || !this.readBlockTarget(targetLine + TARGET_LINE)) return false;
    this.mode = TARGET;
    this.targetCount = 5;
    this.itemRank = TARGET_RANK;
    this.pos = blockEnd;
    return true;
  }

  /** The block's lines before `target:`; the offset of the `target:` line, or -1 for a value outside the layout. */
  private readBlockKeys(pos: number): number {
    const text = this.text;
    const item = this.item;
    const outside = OUTSIDE; // (read once: under CommonJS, each use of an imported binding is a getter call)
    let p = pos;
    for (;;) {
      const key = p === pos ? 'id' : blockLineKey(text, p);
      if (key === 'target') return p;
      if (key === 'orphan') {
        item.orphan = true;
        p += ORPHAN_LINE;
        continue;
      }
      this.vStart = p + key.length + 6;
      this.vEnd = text.indexOf('\n', this.vStart);
      p = this.vEnd + 1;
      const v = this.readValue(key);
      if (v === outside) return -1;
      if (key === 'id') this.noteId(v, true);
      else if (key === 'tags' && this.emptyFlowList()) this.notCanonical();
      storeBlockValue(item, key, v);
    }
  }

  /** The block's five target lines, from `p`. */
  private readBlockTarget(p: number): boolean {
    const text = this.text;
    const keys = KNOWN_TARGET; // (read once: under CommonJS, each use of an imported binding is a getter call)
    const outside = OUTSIDE;
    const target: Record<string, unknown> = {};
    this.target = target;
    this.item.target = target;
    for (let t = 0; t < 5; t++) {
      const key = keys[t]!;
      this.vStart = p + key.length + 8;
      this.vEnd = text.indexOf('\n', this.vStart);
      p = this.vEnd + 1;
      const v = this.readValue(key);
      if (v === outside) return false;
      storeTargetValue(target, t, v);
    }
    return true;
  }
}
