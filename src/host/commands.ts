/**
 * Every command id of the extension, user-facing and internal: the one table the code uses (no id is
 * written as a string anywhere else). test/unit/host/commands.test.ts holds it equal to package.json
 * `contributes.commands`.
 */
export const Commands = {
  // Recognition in the editor: toggles, navigation, views
  toggleEntityTypes: 'marginalia.toggleEntityTypes',
  nextEntity: 'marginalia.nextEntity',
  previousEntity: 'marginalia.previousEntity',
  nextQuotation: 'marginalia.nextQuotation',
  previousQuotation: 'marginalia.previousQuotation',
  nextAttribution: 'marginalia.nextAttribution',
  previousAttribution: 'marginalia.previousAttribution',
  showReportedSpeech: 'marginalia.quotes.showReportedSpeech',
  quotationsOnly: 'marginalia.quotes.quotationsOnly',
  showAllMentions: 'marginalia.showAllMentions',
  showQuotationsBySpeaker: 'marginalia.showQuotationsBySpeaker',
  rescanWorkspace: 'marginalia.rescanWorkspace',
  showActiveSourceOnly: 'marginalia.showActiveSourceOnly',
  scanAnyway: 'marginalia.scanAnyway',
  forgetLearnedCorrections: 'marginalia.forgetLearnedCorrections',
  openSample: 'marginalia.openSample',
  // Annotations and recognition corrections
  annotateSelection: 'marginalia.annotateSelection',
  annotateAllOccurrences: 'marginalia.annotateAllOccurrences',
  editAnnotation: 'marginalia.editAnnotation',
  deleteAnnotation: 'marginalia.deleteAnnotation',
  nextAnnotation: 'marginalia.nextAnnotation',
  previousAnnotation: 'marginalia.previousAnnotation',
  reanchorAnnotation: 'marginalia.reanchorAnnotation',
  revealAnnotation: 'marginalia.revealAnnotation',
  openSidecar: 'marginalia.openSidecar',
  copyAnnotation: 'marginalia.copyAnnotation',
  groupAnnotations: 'marginalia.groupAnnotations',
  filterAnnotations: 'marginalia.filterAnnotations',
  clearAnnotationFilter: 'marginalia.clearAnnotationFilter',
  setEntityType: 'marginalia.setEntityType',
  mergeEntity: 'marginalia.mergeEntity',
  ignoreEntity: 'marginalia.ignoreEntity',
  setQuoteSpeaker: 'marginalia.setQuoteSpeaker',
  // Evidence links
  linkEvidence: 'marginalia.linkEvidence',
  openEvidence: 'marginalia.openEvidence',
  removeEvidence: 'marginalia.removeEvidence',
  // Quotation check
  markPrimarySource: 'marginalia.markPrimarySource',
  unmarkPrimarySource: 'marginalia.unmarkPrimarySource',
  copyFaithfulQuotation: 'marginalia.copyFaithfulQuotation',
  checkQuotations: 'marginalia.checkQuotations',
  openQuoteCheckMatch: 'marginalia.quoteCheck.openMatch',
  groupQuoteCheckByStatus: 'marginalia.quoteCheck.groupByStatus',
  groupQuoteCheckBySpeaker: 'marginalia.quoteCheck.groupBySpeaker',
  // Interchange
  export: 'marginalia.export',
  import: 'marginalia.import',
  // Internal (hidden from the palette)
  revealRange: 'marginalia.revealRange',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The only commands hover cards may link to (`isTrusted.enabledCommands`). */
export const HOVER_COMMANDS: readonly string[] = [
  Commands.showAllMentions, Commands.revealRange, Commands.rescanWorkspace,
  // The corrections offered on the cards (Wrong type?, Not a name, Wrong speaker?).
  Commands.setEntityType, Commands.ignoreEntity, Commands.setQuoteSpeaker,
];
