import * as vscode from 'vscode';
import type { Analysis, Entity, Mention, Quote } from '../../core/types';
import type { DocumentAnalysisService } from '../analysis/service';
import { SOURCE_SCHEMES } from '../analysis/sources';
import { Commands, HOVER_COMMANDS } from '../commands';
import type { WorkspaceIndex } from '../views/workspaceIndex';
import { commandUri, entityCard, quoteCard } from './cards';

/** The innermost mention and quotation at an offset. */
export function itemsAt(analysis: Analysis, offset: number): { mention?: Mention; quote?: Quote; quoteIndex?: number } {
  const mention = analysis.mentions.find((m) => m.start <= offset && offset < m.end);
  let quote: Quote | undefined;
  let quoteIndex: number | undefined;
  analysis.quotes.forEach((q, i) => {
    if (q.start <= offset && offset < q.end && (!quote || q.end - q.start < quote.end - quote.start)) {
      quote = q;
      quoteIndex = i;
    }
  });
  return { mention, quote, quoteIndex };
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
    const { mention, quote } = itemsAt(analysis, offset);
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
                wrongType: commandUri('marginalia.setEntityType', { uri: document.uri.toString(), start: mention.start, end: mention.end }),
                notAName: commandUri('marginalia.ignoreEntity', { uri: document.uri.toString(), start: mention.start, end: mention.end }),
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
      cards.push(markdown(quoteCard({ quote, text, others, wrongSpeaker: commandUri('marginalia.setQuoteSpeaker', { uri: document.uri.toString(), start: quote.start, end: quote.end }) })));
      range ??= new vscode.Range(document.positionAt(quote.start), document.positionAt(quote.end));
    }
    return cards.length ? new vscode.Hover(cards, range) : undefined;
  }

  dispose(): void {
    this.registration.dispose();
  }
}
