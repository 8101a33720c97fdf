/**
 * Knowledge-base search that works for Chinese without a tokenizer: text is normalised (NFKC, traditional →
 * simplified, punctuation removed) and cut into character bigrams (ASCII words kept whole); the score is the
 * weighted share of the query's bigrams found in the title (×3), keywords (×2) and body (×1). Pure.
 */
import { normalizeText } from '../geocode/normalize.ts';

export interface KbDoc { id: number; title: string; keywords: string; body: string }
export interface KbHit<T extends KbDoc> { doc: T; score: number }

/** Character bigrams of CJK runs (a lone character is its own gram); ASCII words and numbers whole. */
export function grams(text: string): Set<string> {
  const t = normalizeText(text).toLowerCase();
  const out = new Set<string>();
  for (const run of t.match(/[\p{Script=Han}]+|[a-z0-9-]+/gu) ?? []) {
    if (/^[a-z0-9-]+$/.test(run)) { out.add(run); continue; }
    const cs = [...run];
    if (cs.length === 1) out.add(cs[0]);
    for (let i = 0; i + 1 < cs.length; i++) out.add(cs[i] + cs[i + 1]);
  }
  return out;
}

const WEIGHTS = { title: 3, keywords: 2, body: 1 } as const;

/** 0..1: how much of the query the document covers, title and keywords counting more than the body. */
export function scoreDoc(query: Set<string>, doc: KbDoc): number {
  if (query.size === 0) return 0;
  const fields = { title: grams(doc.title), keywords: grams(doc.keywords), body: grams(doc.body) };
  let sum = 0;
  for (const g of query) {
    let best = 0;
    for (const f of ['title', 'keywords', 'body'] as const) if (fields[f].has(g)) best = Math.max(best, WEIGHTS[f]);
    sum += best;
  }
  return Math.round((sum / (query.size * WEIGHTS.title)) * 1000) / 1000;
}

/** Docs with a positive score, best first (ties: lower id first); an empty query lists all with score 0. */
export function searchKb<T extends KbDoc>(docs: readonly T[], q: string, limit = 20): KbHit<T>[] {
  const query = grams(q);
  if (query.size === 0) return docs.slice(0, limit).map((doc) => ({ doc, score: 0 }));
  return docs.map((doc) => ({ doc, score: scoreDoc(query, doc) }))
    .filter((h) => h.score > 0)
    .sort((a, b) => b.score - a.score || a.doc.id - b.doc.id)
    .slice(0, limit);
}
