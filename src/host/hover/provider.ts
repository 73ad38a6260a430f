import * as vscode from 'vscode';
import type { Analysis, Entity, Mention, Quote } from '../../core/types';
import type { DocumentAnalysisService } from '../analysis/service';
import { SOURCE_SCHEMES } from '../analysis/sources';
import { Commands, HOVER_COMMANDS } from '../commands';
import type { WorkspaceIndex } from '../views/workspaceIndex';
import { fragmentsOf, quoteIndexAt } from '../attributions';
import { attributionCard, commandUri, entityCard, quoteCard } from './cards';

/**
 * The innermost mention and quotation at an offset; with no quotation there, the reported statement
 * (kind `indirect`) whose cue is at the offset (`said`, `according to`): hovering the cue explains it too.
 */
export function itemsAt(analysis: Analysis, offset: number): { mention?: Mention; quote?: Quote; quoteIndex?: number } {
  const mention = analysis.mentions.find((m) => m.start <= offset && offset < m.end);
  const quoteIndex = quoteIndexAt(analysis.quotes, offset, offset);
  return { mention, quote: quoteIndex >= 0 ? analysis.quotes[quoteIndex] : undefined, quoteIndex: quoteIndex >= 0 ? quoteIndex : undefined };
}

/** The quotations attributed to an entity (by id, or by name when the quote finder gave no id). */
export function quotesOf(analysis: Analysis, entity: Entity): Quote[] {
  return analysis.quotes.filter((q) => q.speaker && (q.speaker.entityId === entity.id || (!q.speaker.entityId && q.speaker.name === entity.canonical)));
}

function markdown(value: string): vscode.MarkdownString {
  // Document and dictionary text in `value` is escaped; only our own commands may run from links.
  const md = new vscode.MarkdownString(value, false);
  md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  md.supportHtml = false;
  return md;
}

export class HoverProvider implements vscode.HoverProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly service: DocumentAnalysisService,
    private readonly index: WorkspaceIndex,
  ) {
    // Every scheme a source can have (the same list the source matcher uses), and untitled documents.
    this.registration = vscode.languages.registerHoverProvider([...SOURCE_SCHEMES.map((scheme) => ({ scheme })), { scheme: 'untitled' }], this);
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const result = this.service.get(document);
    // A result for another version would point at the wrong words.
    if (!result || result.version !== document.version) return undefined;
    const { analysis } = result;
    const text = document.getText();
    const offset = document.offsetAt(position);
    const { mention, quote, quoteIndex } = itemsAt(analysis, offset);
    const cards: vscode.MarkdownString[] = [];
    let range: vscode.Range | undefined;
    if (mention) {
      const entity = analysis.entities.find((e) => e.id === mention.entityId);
      if (entity) {
        const ws = this.index.countFor(entity.type, entity.canonical);
        cards.push(
          markdown(
            entityCard({
              entity,
              mention,
              text,
              quotes: quotesOf(analysis, entity),
              workspace: ws,
              scanCommand: ws ? undefined : Commands.rescanWorkspace,
              corrections: {
                wrongType: commandUri(Commands.setEntityType, { uri: document.uri.toString(), start: mention.start, end: mention.end }),
                notAName: commandUri(Commands.ignoreEntity, { uri: document.uri.toString(), start: mention.start, end: mention.end }),
              },
              showAllMentions: {
                command: Commands.showAllMentions,
                args: { uri: document.uri.toString(), type: entity.type, canonical: entity.canonical, entityId: entity.id },
              },
            }),
          ),
        );
        range = new vscode.Range(document.positionAt(mention.start), document.positionAt(mention.end));
      }
    }
    if (quote) {
      const others = quote.speaker ? analysis.quotes.filter((q) => q !== quote && q.speaker?.name === quote.speaker?.name) : [];
      const wrongSpeaker = commandUri(Commands.setQuoteSpeaker, { uri: document.uri.toString(), start: quote.start, end: quote.end });
      if (quote.kind === 'indirect') {
        const fragments = quoteIndex !== undefined ? fragmentsOf(analysis.quotes, quoteIndex) : [];
        cards.push(markdown(attributionCard({ quote, text, others: others.filter((q) => !fragments.includes(q)), fragments, wrongSpeaker })));
      } else {
        const statement = quote.partOf !== undefined ? analysis.quotes[quote.partOf] : undefined;
        cards.push(markdown(quoteCard({ quote, text, others: others.filter((q) => q !== statement), statement, wrongSpeaker })));
      }
      // Over the cue of a reported statement the card is about the cue's words.
      const inContent = quote.start <= offset && offset < quote.end;
      const span = inContent || !quote.cue ? quote : quote.cue;
      range ??= new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
    }
    return cards.length ? new vscode.Hover(cards, range) : undefined;
  }

  dispose(): void {
    this.registration.dispose();
  }
}
