/**
 * Marginalia sidecars — the user's annotations, one YAML file per source. Pure: no `vscode`, no
 * Node built-ins; runs in the extension (Node and web), the CLI and the benchmarks.
 *
 * Format (`article.txt` → `article.txt.marginalia.yaml`, see `schemas/marginalia.schema.json`):
 *
 * ```yaml
 * version: 1
 * source: article.txt            # relative to the sidecar's folder, `/`-separated
 * hash: fnv1a64:af63dc4c8601ec8c # hashText(source text) at last save
 * annotations:
 *   - id: 01JDQ5N8W9X3Y2Z1A0B4C6D8EF   # ULID, sorted ascending, one block per annotation
 *     kind: claim                      # note | claim | question | verdict | tag | link | correction
 *     tags: [economy]
 *     verdict: misleading
 *     note: The figure is from 2021.
 *     author: Ada
 *     created: 2026-11-28T03:00:00.000Z
 *     modified: 2026-11-28T03:00:00.000Z
 *     claimant: Maria Lopez            # claims: who, when (claimDate), where (appearance)
 *     evidence: [ { "relation": "contradicts", "source": "transcripts/t.txt", "target": { … } } ]
 *     target: { exact: "…", prefix: "…", suffix: "…", start: 120, end: 141 }
 * corrections:
 *   - id: 01JDQ5…
 *     action: entity-type              # entity-type | merge | ignore | speaker
 *     type: person                     # entity-type; `canonical` for merge; `speaker` for speaker
 *     target: { … }
 * ```
 * Offsets are UTF-16 code units in the normalised text (`normalizeText`: BOM stripped, line
 * endings → `\n`).
 *
 * API:
 * - model: `Sidecar`, `Annotation`, `Correction`, `Target`, `ANNOTATION_KINDS`, `CORRECTION_ACTIONS`,
 *   `emptySidecar`, `normalizeText`, `SIDECAR_VERSION`, `SIDECAR_SUFFIX`;
 * - `hashText(text)` (FNV-1a 64 over UTF-8 of the normalised text), `ulidFactory({now, random})`;
 * - codec: `parseSidecar(text, limits)` → `{ok, value: {sidecar, doc, readOnly?}}` or
 *   `{ok: false, error: {code, message, line, column}}` (codes: too-large, conflict-markers,
 *   syntax, alias-limit, schema, duplicate-id); `serializeSidecar(sidecar, previousDoc?)` keeps
 *   comments/order/unknown keys when given the parsed Document; same data → same bytes;
 * - `mergeSidecars(base, ours, theirs)` → `{sidecar, conflicts}` (three-way, by id, never loses);
 * - paths: `sidecarPathFor`, `sourcePathFor`, `isSafeRelativePath`.
 * Anchoring lives in `../anchor` (`reanchor`, `shiftSpans`, `makeTarget`), corrections in `../corrections`.
 */
export * from './model';
export * from './hash';
export * from './ulid';
export * from './codec';
export { findConflictMarker, utf8Length, yamlNestingBeyondLimit } from './guards';
export { stringifySidecarDocument } from './documentRender';
export { updateSidecarDocument } from './documentUpdate';
export { sidecarValuesEqual } from './valuesEqual';
export * from './merge';
export * from './paths';
export { CANONICAL_HEADER, canonicalStringify, escapeUnsafe, evidenceRecord, hasUnsafe, reuseBlocks, scalar, type BlockReuse } from './canonicalWriter';
export { canonicalParse, type CanonicalBlock, type CanonicalRead } from './canonicalReader';
