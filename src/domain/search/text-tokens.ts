/**
 * Words in Chinese text, for the case search index: overlapping character pairs (bigrams). Chinese has no spaces
 * and its commonest search words have two characters (井盖, 垃圾, 漏水), which a trigram index cannot find; every
 * run of letters and digits, in any script, is cut into its pairs (井盖坏了 → 井盖 盖坏 坏了; 3号楼 → 3号 号楼;
 * abc → ab bc), and a run of one character is kept whole. A query matches when its pairs all occur: 井盖 finds
 * 小区门口井盖坏了; 门口井盖 finds it too; 盖井 does not. Both stores index the same tokens (SQLite FTS5 with the
 * unicode61 tokenizer, PostgreSQL a GIN index on to_tsvector('simple', …)), so they answer alike.
 */

/** The shortest query that can use the index: two letters or digits side by side. */
export const MIN_QUERY_RUN = 2;
/** Tokens kept per case: a 2,000-character description has at most ~2,000 pairs; duplicates are dropped. */
const MAX_TOKENS = 4000;

const RUN = /[\p{L}\p{N}]+/gu;

function pairs(text: string, out: Set<string>, keepSingles: boolean): void {
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
    const chars = [...m[0]];
    if (chars.length === 1) {
      if (keepSingles) out.add(chars[0]);
      continue;
    }
    for (let i = 0; i + 1 < chars.length && out.size < MAX_TOKENS; i++) out.add(chars[i] + chars[i + 1]);
  }
}

/** The tokens stored for a case's texts (description, address …), space-separated; null when there are none. */
export function indexTokens(...texts: (string | null | undefined)[]): string | null {
  const out = new Set<string>();
  for (const t of texts) if (t) pairs(t, out, true);
  return out.size ? [...out].join(' ') : null;
}

/**
 * The tokens a query must all match. Single characters standing alone are dropped when the query has pairs (3 号楼
 * → 号楼); a query with no pair at all answers [] — the caller refuses it (a one-character search would read every row).
 */
export function queryTokens(q: string): string[] {
  const out = new Set<string>();
  pairs(q, out, false);
  return [...out];
}

/**
 * The token that stands for a unit involved in a case (routed to, assigned, sub-unit, assisting) in SQLite's full-text
 * index (migration 036): 'zu' and the id's UTF-8 bytes in hex, as SQLite's `'zu' || hex(id)` writes it. It has more
 * than two characters, so no query word (always pairs) can ever equal it; a search within a unit adds it to the words.
 */
export function unitToken(unitId: string): string {
  return 'zu' + [...new TextEncoder().encode(unitId)].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/**
 * A word token joined to a unit's token (migration 037): the index holds one for every word of a case and every unit
 * involved in it, so the cases of a unit holding a word are one short list, not an intersection of the word's and
 * the unit's long lists. Longer than two characters like the unit token, so no query word can equal it.
 */
export function unitWordToken(word: string, unitId: string): string {
  return word + unitToken(unitId);
}
