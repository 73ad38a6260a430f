/**
 * The shipped attribution cue classifier (media/model/attribution.json, made by `npm run train`),
 * loaded once on first use. Bundled with the code: no file access.
 */
import shipped from '../../../media/model/attribution.json';
import { loadCueModel, type CueModel, type LoadedCueModel } from './cues';

let loaded: LoadedCueModel | undefined;

export function shippedCueModel(): LoadedCueModel {
  loaded ??= loadCueModel(shipped as CueModel);
  return loaded;
}
