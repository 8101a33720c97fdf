/** Types of the offline geocoder: what the gazetteer is built from and what a lookup answers. */
import type { ParsedAddress } from './parse.ts';

export type PlaceKind = 'road' | 'compound' | 'landmark';
/** What the geocoder holds: the gazetteer's places, and the city's regions (街道/镇, 社区/村) at a representative point. */
export type EntryKind = PlaceKind | 'region';

export interface HouseNumberPoint {
  /** as written on the door plate: 128号, 128-1号, 100弄 (Chinese numerals allowed; normalised on load) */
  number: string;
  lon: number;
  lat: number;
}

/** One gazetteer entry (a row of the `places` table, or a feature of an imported file). WGS84. */
export interface GazetteerPlace {
  id?: number | string;
  kind: EntryKind;
  name: string;
  communityId?: string | null;
  /** postal address, e.g. 滨江区望江路128号锦绣花园: ties a compound or landmark to its road and number */
  address?: string | null;
  /** a representative point (for a road, used only when it has neither line nor house numbers) */
  lon: number;
  lat: number;
  category?: string | null;
  /** roads: door-plate points */
  houseNumbers?: HouseNumberPoint[];
  /** roads: centre lines as [lon, lat] sequences (one per part), used for crossings and the road's midpoint */
  lines?: number[][][];
}

export type CandidateKind = EntryKind | 'house_number' | 'intersection';

/**
 * How a candidate was found:
 * - exact: the name (and number) as written;
 * - variant: an equivalent form — 锦绣小区 for 锦绣花园, 望江街 for 望江路, 128号 for 128-1号;
 * - fuzzy: one wrong, missing or extra character (two for names of eight characters or more);
 * - interpolated: a number between two known numbers on the same side of the road;
 * - nearest: the closest known number when the asked one lies beyond them;
 * - road: only the road matched; the point is the middle of the road;
 * - intersection: two roads named together (与, 交叉口), at their crossing;
 * - region: a 街道/镇 or 社区/村 named (as written or without its suffix): a point inside it, never an exact answer.
 */
export type MatchMethod = 'exact' | 'variant' | 'fuzzy' | 'interpolated' | 'nearest' | 'road' | 'intersection' | 'region';

export interface GeocodeCandidate {
  kind: CandidateKind;
  name: string;
  address: string | null;
  lon: number;
  lat: number;
  /** 0–1: 1 for an exact name and number; ≈0.95 equivalent form; ≈0.7 one character off */
  score: number;
  /** the part of the (normalised) query that matched */
  matched: string;
  method: MatchMethod;
  /** the community the gazetteer records (null for roads and house numbers: locate the point instead) */
  communityId: string | null;
  /** id of the gazetteer entry (for an intersection, the first road's) */
  placeId: number | string | null;
}

export type GeocodeOutcome = 'exact' | 'ambiguous' | 'approximate' | 'none';

export interface GeocodeResult {
  /**
   * exact: one best candidate matched as written; approximate: one best candidate, found by a variant, a
   * tolerant match, interpolation or a road only; ambiguous: two or more candidates within 0.04 of the best
   * (the caller must choose); none: nothing scored 0.6 or more.
   */
  outcome: GeocodeOutcome;
  /** best first */
  candidates: GeocodeCandidate[];
  parsed: ParsedAddress;
}

export interface GeocodeOptions {
  /** candidates returned (default 5, at most 50) */
  limit?: number;
}
