/**
 * From raw matches to an answer: the same place found twice counts once; a compound named together with its
 * own road and number is one candidate (the address confirms the name); a match lying inside a longer match
 * is part of it (望江 inside 望江路128号, 世纪大道 inside 世纪大道站); a tolerant match over text that matched
 * exactly elsewhere is noise. Then the best candidate decides the outcome, unless another is within 0.04.
 */
import type { CandidateKind, GeocodeCandidate, GeocodeOutcome, MatchMethod } from './types.ts';

export const MIN_SCORE = 0.6;
export const AMBIGUITY_MARGIN = 0.04;
/** a road alone is a line, not a point: its middle is a weaker answer than the name suggests */
export const ROAD_ONLY = 0.85;

export interface Cand {
  entry: number;
  kind: CandidateKind;
  score: number;
  /** the answer is exact (name and number as written, or an equivalent name) */
  exact: boolean;
  /** the name itself matched as written (a road-only or interpolated answer can still be literal) */
  literal: boolean;
  fuzzy: boolean;
  method: MatchMethod;
  /** span in the normalised query, and the end of its name part (before a house number) */
  start: number;
  end: number;
  nameEnd: number;
  lon: number;
  lat: number;
  name: string;
  address: string | null;
  communityId: string | null;
  placeId: number | string | null;
  /** house numbers: canonical number */
  numberKey?: string;
  /** compounds and landmarks: the road entry and number of their own address */
  addrRoad?: number;
  addrNumber?: string;
}

const KIND_ORDER: Record<CandidateKind, number> = { compound: 0, landmark: 0, house_number: 0, intersection: 1, road: 2, region: 3 };

/** Steps 1–3: one candidate per place; places merged with (or marked down against) the road and number named. */
export function mergeCandidates(all: Cand[]): Cand[] {
  const numberedRoads = new Set<number>();
  for (const c of all) if (c.kind === 'house_number') numberedRoads.add(c.entry);
  const best = new Map<string, Cand>();
  for (const c of all) {
    if (c.kind === 'road' && numberedRoads.has(c.entry)) continue;
    const key = `${c.kind}|${c.entry}|${c.numberKey ?? ''}`;
    const prev = best.get(key);
    if (!prev || c.score > prev.score || (c.score === prev.score && c.end - c.start > prev.end - prev.start)) best.set(key, c);
  }
  const list = [...best.values()];
  const roadsOnly = new Map<number, Cand>();
  for (const c of list) if (c.kind === 'road') roadsOnly.set(c.entry, c);
  const dropped = new Set<Cand>();
  for (const c of list) {
    if ((c.kind !== 'compound' && c.kind !== 'landmark') || c.addrRoad === undefined) continue;
    const own = best.get(`house_number|${c.addrRoad}|${c.addrNumber}`);
    if (own && !dropped.has(own)) {
      c.score = Math.max(c.score, own.score);
      c.exact = c.exact || own.exact;
      c.literal = c.literal || own.literal;
      c.fuzzy = c.fuzzy && !own.exact;
      c.start = Math.min(c.start, own.start);
      c.end = Math.max(c.end, own.end);
      c.nameEnd = Math.max(c.nameEnd, own.nameEnd);
      dropped.add(own);
    } else if (numberedRoads.size > 0 && !numberedRoads.has(c.addrRoad)) {
      c.score *= 0.9; // the caller named another road
    }
    const road = roadsOnly.get(c.addrRoad);
    if (road) {
      dropped.add(road); // 望江路锦绣花园: the road only says where the compound is
      c.start = Math.min(c.start, road.start);
      c.end = Math.max(c.end, road.end);
    } else if (roadsOnly.size > 0 && numberedRoads.size === 0) {
      c.score *= 0.9;
    }
  }
  return dropped.size === 0 ? list : list.filter((c) => !dropped.has(c));
}

/** Step 4: drop matches inside a longer exact-or-variant match, and variant or tolerant readings of text matched as written. */
export function dropContained(list: Cand[]): Cand[] {
  return list.filter((a) => !list.some((b) => {
    if (b === a) return false;
    const inside = !b.fuzzy && b.start <= a.start && a.end <= b.end;
    const longer = b.end - b.start > a.end - a.start;
    // same text: the name as written beats another name's variant (百合花园 is not 百合华庭)
    const covers = inside && (longer || (b.literal && !a.literal && b.score > a.score));
    // a variant or tolerant reading of text that names something else as written: 花园街 in 锦绣花园3号
    const overlap = Math.min(a.nameEnd, b.end) - Math.max(a.start, b.start);
    const noise = !a.literal && b.literal && overlap * 2 >= a.nameEnd - a.start;
    return covers || noise;
  }));
}

/** Step 5: the answer. */
export function decide(list: Cand[], limit: number, text: string): { outcome: GeocodeOutcome; candidates: GeocodeCandidate[] } {
  const kept = list.filter((c) => c.score >= MIN_SCORE).sort((a, b) =>
    b.score - a.score || Number(b.exact) - Number(a.exact) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
    || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.entry - b.entry);
  if (kept.length === 0) return { outcome: 'none', candidates: [] };
  const ambiguous = kept.length > 1 && kept[0].score - kept[1].score < AMBIGUITY_MARGIN;
  const outcome: GeocodeOutcome = ambiguous ? 'ambiguous' : kept[0].exact ? 'exact' : 'approximate';
  return { outcome, candidates: kept.slice(0, limit).map((c) => present(c, text)) };
}

function present(c: Cand, text: string): GeocodeCandidate {
  return {
    kind: c.kind, name: c.name, address: c.address, lon: c.lon, lat: c.lat, score: Math.round(c.score * 1000) / 1000,
    matched: text.slice(c.start, c.end), method: c.method, communityId: c.communityId, placeId: c.placeId,
  };
}
