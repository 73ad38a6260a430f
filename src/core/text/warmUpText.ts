/**
 * A short made-up dispatch: a dateline, a titled person, an organisation, places, a number and a
 * quotation with its speaker, so that every stage of the recogniser runs once. The extension
 * analyses it a moment after activation when no source is open (src/host/analysis/warmUp.ts),
 * so that the first source opened later is recognised at warm speed; the bench times that.
 */
export const WARM_UP_TEXT =
  'GENEVA, March 3 (Staff) — Foreign Minister Anna Lindqvist met delegates of the United Nations on Monday.\n\n' +
  '“We will not accept a 40 percent cut,” Lindqvist told reporters in Geneva, according to a transcript. ' +
  'Officials in Nairobi said the $2.5 billion plan was discussed with the World Bank.\n';
