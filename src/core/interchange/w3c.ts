/**
 * W3C Web Annotation Data Model (JSON-LD), https://www.w3.org/TR/annotation-model/: the vocabulary
 * shared by the writer (`./w3cExport`, `toW3C`) and the reader (`./w3cImport`, `fromW3C`).
 */

export const W3C_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
export const MARGINALIA_NS = 'https://marginalia-dev.github.io/ns#';
export const ANNOTATION_IRI_PREFIX = 'urn:marginalia:annotation:';
/** The collection's `generator`: with `marginalia:exportOf` (the source's path), what marks a file as Marginalia's own export. */
export const W3C_GENERATOR = { id: 'https://marginalia-dev.github.io/', type: 'Software', name: 'Marginalia' } as const;

export interface W3CSelector {
  type: string;
  [k: string]: unknown;
}

export interface W3CAnnotation {
  '@context'?: unknown;
  id: string;
  type: 'Annotation';
  motivation: string;
  [k: string]: unknown;
}

export interface W3CCollection {
  '@context': unknown;
  generator: typeof W3C_GENERATOR;
  'marginalia:exportOf': string;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { id: string; type: 'AnnotationPage'; startIndex: 0; items: W3CAnnotation[] };
}

export interface W3COptions {
  /** Include entity mentions and quotations (default true when `analysis` is given). */
  recognition?: boolean;
}
