/**
 * The recurring-problem rule (issue 10 part 5), pure: one decision per new report, given the earlier reports of the
 * same matter at the same place. The incremental job (one report at a time, from the store) and the full rebuild (a
 * sliding window in memory) both call `decide` in case-id order with the same neighbours, so they build the same
 * problems.
 *
 * "The same place" is the same part (部件, when the report names one) or a point within `radiusMeters`. Candidates
 * come from the report's resolution-9 H3 cell and its 1-ring: a neighbour within r metres lies in a cell whose
 * centre is at most R + r + R from ours (R ≈ 174 m, the circumradius); the 2-ring starts at ≈ 523 m, so every
 * neighbour is in the 1-ring while r < 523 − 348 ≈ 175 m (the settings stop at 150 m). "N times in M days": the new
 * report and at least N − 1 earlier ones within the M days before it.
 *
 * Duplicates (a report linked to an open master, issue 3 §5) are one occurrence told twice: they never count.
 */
import { haversineMeters } from '../duplicates/duplicates.ts';
import type { RecurrenceSettings } from './settings.ts';

export interface RecurrencePoint {
  caseId: number;
  at: number;
  lon: number | null;
  lat: number | null;
  partId: string | null;
  /** The recurring problem the report already belongs to. */
  problemId: number | null;
}

export type RecurrenceDecision =
  | { kind: 'none' }
  /** Join the oldest problem among the neighbours; `members` are the report and neighbours not yet in a problem. */
  | { kind: 'join'; problemId: number; members: number[] }
  | { kind: 'create'; members: number[] };

/** Is `p` the same place as the new report `c` (same part, else within the radius) and inside its window? */
export function isNeighbour(c: RecurrencePoint, p: RecurrencePoint, s: Pick<RecurrenceSettings, 'radiusMeters' | 'windowDays'>): boolean {
  if (p.caseId >= c.caseId) return false;
  if (p.at > c.at || p.at < c.at - s.windowDays * 86_400_000) return false;
  if (c.partId && p.partId) return c.partId === p.partId;
  if (c.lon === null || c.lat === null || p.lon === null || p.lat === null) return false;
  return haversineMeters(c.lon, c.lat, p.lon, p.lat) <= s.radiusMeters;
}

/** What to do with a new report, given candidates of its matter (filtered here by isNeighbour). */
export function decide(c: RecurrencePoint, candidates: readonly RecurrencePoint[], s: Pick<RecurrenceSettings, 'radiusMeters' | 'windowDays' | 'minCount'>): RecurrenceDecision {
  const near = candidates.filter((p) => isNeighbour(c, p, s));
  if (near.length + 1 < s.minCount) return { kind: 'none' };
  const problems = near.map((p) => p.problemId).filter((x): x is number => x !== null);
  const members = [...near.filter((p) => p.problemId === null).map((p) => p.caseId), c.caseId].sort((a, b) => a - b);
  if (problems.length) return { kind: 'join', problemId: Math.min(...problems), members };
  return { kind: 'create', members };
}
