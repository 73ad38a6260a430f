import * as vscode from 'vscode';
import { SECTION } from './config';

/**
 * The fact-check settings, read as src/host/config.ts reads the others (`marginalia.*` through
 * `getConfiguration`), with the same keys the command line reads from `.vscode/settings.json`
 * (src/cli/nodeFs.ts `workspaceClaimSettings`): `marginalia.publisher.name`,
 * `marginalia.publisher.url`, `marginalia.annotations.verdictRatings`. The ratings are validated
 * by the core (`verdictRatingsFrom`), on both paths.
 */
export const CLAIM_SETTING_KEYS = {
  publisherName: 'publisher.name',
  publisherUrl: 'publisher.url',
  verdictRatings: 'annotations.verdictRatings',
} as const;

export interface ClaimSettings {
  publisherName?: string;
  publisherUrl?: string;
  /** The raw setting value (validated by `verdictRatingsFrom`). */
  verdictRatings?: unknown;
}

/** The fact-check settings for a source (`scope`: its URI, so a folder's own values apply). */
export function readClaimSettings(scope?: vscode.Uri): ClaimSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const out: ClaimSettings = {};
  const name = c.get<unknown>(CLAIM_SETTING_KEYS.publisherName);
  if (typeof name === 'string' && name.trim()) out.publisherName = name.trim();
  const url = c.get<unknown>(CLAIM_SETTING_KEYS.publisherUrl);
  if (typeof url === 'string' && url.trim()) out.publisherUrl = url.trim();
  const ratings = c.get<unknown>(CLAIM_SETTING_KEYS.verdictRatings);
  if (ratings !== undefined && ratings !== null) out.verdictRatings = ratings;
  return out;
}
