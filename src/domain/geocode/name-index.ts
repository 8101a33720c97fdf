/**
 * The inverted index of the gazetteer: retrieval key (bigram or skip bigram) → aliases holding it. A query
 * scores every alias it shares keys with by *coverage* — the share of the alias's key weight found in the
 * query, keys weighted by rarity (花园 and 小区 are in hundreds of names and weigh little) — and only the best
 * few are compared character by character. An alias contained in the query has coverage 1.
 */
import { gramKeys } from './similarity.ts';

/**
 * name: the full (normalised) name, or the name without the city/district prefix, or a common form
 * (世纪大道站 for 地铁2号线世纪大道站); core: a compound without its compound word (锦绣 for 锦绣花园);
 * road-core: a road without its road word (望江 for 望江路).
 */
export type AliasRole = 'name' | 'core' | 'road-core' | 'region-core';

export interface Alias {
  entry: number;
  text: string;
  role: AliasRole;
}

const MIN_COVERAGE = 0.2;

export class NameIndex {
  readonly aliases: Alias[] = [];
  /** alias text → alias ids (exact lookups) */
  readonly byText = new Map<string, number[]>();
  private readonly building = new Map<string, number[]>();
  private postings = new Map<string, Int32Array>();
  private weight = new Map<string, number>();
  private aliasWeight = new Float64Array(0);
  private acc = new Float64Array(0);

  add(entry: number, text: string, role: AliasRole): void {
    if (text.length < 2) return;
    const same = this.byText.get(text);
    if (same?.some((id) => this.aliases[id].entry === entry && this.aliases[id].role === role)) return;
    const id = this.aliases.push({ entry, text, role }) - 1;
    if (same) same.push(id);
    else this.byText.set(text, [id]);
    for (const k of gramKeys(text)) {
      const list = this.building.get(k);
      if (list) list.push(id);
      else this.building.set(k, [id]);
    }
  }

  /** Freeze the postings and compute the key weights (idf). */
  finish(): void {
    const n = Math.max(1, this.aliases.length);
    this.aliasWeight = new Float64Array(this.aliases.length);
    for (const [k, ids] of this.building) {
      const w = Math.log(1 + n / ids.length);
      this.weight.set(k, w);
      this.postings.set(k, Int32Array.from(ids));
      for (const id of ids) this.aliasWeight[id] += w;
    }
    this.building.clear();
    this.acc = new Float64Array(this.aliases.length);
  }

  /** Alias ids sharing enough of their keys with `text`, best coverage first (at most `max`). */
  search(text: string, max: number): number[] {
    const touched: number[] = [];
    const acc = this.acc;
    for (const k of gramKeys(text)) {
      const ids = this.postings.get(k);
      if (!ids) continue;
      const w = this.weight.get(k)!;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (acc[id] === 0) touched.push(id);
        acc[id] += w;
      }
    }
    const hits: { id: number; c: number }[] = [];
    for (const id of touched) {
      const c = acc[id] / this.aliasWeight[id];
      acc[id] = 0;
      if (c >= MIN_COVERAGE) hits.push({ id, c });
    }
    hits.sort((a, b) => b.c - a.c || a.id - b.id);
    return hits.slice(0, max).map((h) => h.id);
  }
}
