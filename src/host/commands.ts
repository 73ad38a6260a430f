/** Command ids contributed by the editor features. Keep in sync with package.json `contributes.commands`. */
export const Commands = {
  toggleEntityTypes: 'marginalia.toggleEntityTypes',
  nextEntity: 'marginalia.nextEntity',
  previousEntity: 'marginalia.previousEntity',
  nextQuotation: 'marginalia.nextQuotation',
  previousQuotation: 'marginalia.previousQuotation',
  nextAttribution: 'marginalia.nextAttribution',
  previousAttribution: 'marginalia.previousAttribution',
  /** The Quotes view: quotations and reported speech, or quotations only. */
  showReportedSpeech: 'marginalia.quotes.showReportedSpeech',
  quotationsOnly: 'marginalia.quotes.quotationsOnly',
  showAllMentions: 'marginalia.showAllMentions',
  showQuotationsBySpeaker: 'marginalia.showQuotationsBySpeaker',
  rescanWorkspace: 'marginalia.rescanWorkspace',
  showActiveSourceOnly: 'marginalia.showActiveSourceOnly',
  scanAnyway: 'marginalia.scanAnyway',
  /** Internal: reveal a range (tree items). Hidden from the palette. */
  revealRange: 'marginalia.revealRange',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The only commands hover cards may link to (`isTrusted.enabledCommands`). */
export const HOVER_COMMANDS: readonly string[] = [
  Commands.showAllMentions, Commands.revealRange, Commands.rescanWorkspace,
  // The corrections offered on the cards (Wrong type?, Not a name, Wrong speaker?).
  'marginalia.setEntityType', 'marginalia.ignoreEntity', 'marginalia.setQuoteSpeaker',
];
