import type { Doc } from './internals.js';
import { keysAt } from './queryIndexes.js';

/**
 * The words of an indexed text field, for the searches salespeople type: `/find duc` becomes
 * `{ searchText: { $regex: '(^| )duc' } }` (a word of the folded name starts with "duc"), which
 * a key → documents map cannot answer and CongoDB answers by testing every customer.
 *
 * Each string under the field (array elements included) is split at spaces; each word points to
 * the documents holding it, and the distinct words are kept sorted, so the words starting with a
 * prefix are one stretch of that list. The documents holding any of them are a superset of those
 * the regex matches (the matcher still tests each).
 */
export class WordIndex {
  private readonly holders = new Map<string, Set<string>>();
  /** distinct words, in code-unit order */
  private sorted: string[] = [];
  private readonly path: string[];

  constructor(field: string) {
    this.path = field.split('.');
  }

  build(docs: Iterable<[string, Doc]>): void {
    for (const [id, doc] of docs) for (const word of this.wordsOf(doc)) this.holdersOf(word).add(id);
    this.sorted = [...this.holders.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  add(id: string, doc: Doc): void {
    for (const word of this.wordsOf(doc)) {
      if (!this.holders.has(word)) this.sorted.splice(this.firstAtOrAfter(word), 0, word);
      this.holdersOf(word).add(id);
    }
  }

  remove(id: string, doc: Doc): void {
    for (const word of this.wordsOf(doc)) {
      const holders = this.holders.get(word);
      holders?.delete(id);
      if (holders?.size === 0) {
        this.holders.delete(word);
        this.sorted.splice(this.firstAtOrAfter(word), 1);
      }
    }
  }

  /** `_id` hex of the documents holding a word that starts with `prefix`. */
  startingWith(prefix: string): Set<string> {
    const found = new Set<string>();
    for (let i = this.firstAtOrAfter(prefix); i < this.sorted.length && this.sorted[i]!.startsWith(prefix); i++) {
      for (const id of this.holders.get(this.sorted[i]!)!) found.add(id);
    }
    return found;
  }

  private holdersOf(word: string): Set<string> {
    let holders = this.holders.get(word);
    if (!holders) this.holders.set(word, (holders = new Set()));
    return holders;
  }

  private wordsOf(doc: Doc): Set<string> {
    const words = new Set<string>();
    for (const key of keysAt(doc, this.path)) if (key.startsWith('s')) for (const word of key.slice(1).split(' ')) words.add(word);
    return words;
  }

  private firstAtOrAfter(word: string): number {
    let [lo, hi] = [0, this.sorted.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The word a regex needs some word of the text to start with, when the regex is `^literal` or
 * `(^| )literal` without flags (what the crm's search builds), else undefined. Only the literal's
 * first word is kept: a text matching the regex has a word starting with it.
 */
export function wordPrefixOf(condition: unknown): string | undefined {
  let source: string | undefined;
  if (condition instanceof RegExp) source = condition.flags ? undefined : condition.source;
  else if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
    const { $regex, $options, ...rest } = condition as Record<string, unknown>;
    if (Object.keys(rest).length || ($options !== undefined && $options !== '')) return undefined;
    if (typeof $regex === 'string') source = $regex;
    else if ($regex instanceof RegExp && !$regex.flags) source = $regex.source;
  }
  if (source === undefined) return undefined;
  const start = /^(?:\^|\(\^\| \)|\(\?:\^\| \))/.exec(source);
  if (!start) return undefined;
  const literal = unescapedLiteral(source.slice(start[0].length));
  const word = literal?.split(' ')[0];
  return word ? word : undefined;
}

/** The text a regex fragment matches when it is a plain literal (metacharacters escaped), else undefined. */
function unescapedLiteral(fragment: string): string | undefined {
  let text = '';
  for (let i = 0; i < fragment.length; i++) {
    const c = fragment[i]!;
    if (c === '\\') {
      const next = fragment[i + 1];
      if (next === undefined || !/[.*+?^${}()|[\]\\/\-]/.test(next)) return undefined;
      text += next;
      i++;
    } else if (/[.*+?^${}()|[\]]/.test(c)) return undefined;
    else text += c;
  }
  return text;
}
