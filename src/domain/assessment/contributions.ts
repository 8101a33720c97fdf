/**
 * What a case's facts add to the counters: one vector of COUNTER_COLUMNS per (day, dimension, key). Counters are
 * kept from the difference of the old and new contributions (`factsDelta`), so a case recounted with unchanged
 * facts adds nothing, and one whose facts changed moves exactly its own share.
 */
import { BUCKET_COUNT, COLUMN_INDEX, COUNTER_COLUMNS, COUNTS, FLAGS, PERSON_FLAGS, STAGES, bucketOf, type Count, type Dimension, type Flag, type Stage } from './counters.ts';

/** The part of the facts that counting reads (the stored row carries exactly this). */
export interface CountedFacts {
  /** The local day (YYYYMMDD) the case was reported: the period it counts in, forever. */
  day: number;
  /** The handling unit the case is assessed for (null: never dispatched to a unit, or removed by an accepted appeal). */
  unitId: string | null;
  /** The unit whose accepted appeal removed the case from its assessment. */
  appealUnitId: string | null;
  districtId: string | null;
  streetId: string | null;
  communityId: string | null;
  gridId: string | null;
  matterClass: string;
  channel: string;
  urgency: string;
  reporterId: string | null;
  verifierId: string | null;
  checkerId: string | null;
  /** The grid member who held the case as its handler. */
  holderUserId: string | null;
  flags: ReadonlySet<Flag>;
  counts: Record<Count, number>;
  /** Minutes per stage, null when the stage did not (yet) happen. */
  durations: Record<Stage, number | null>;
}

/** A slice key: `${day}|${dim}|${key}`. */
export const sliceKey = (day: number, dim: Dimension, key: string): string => `${day}|${dim}|${key}`;
export const parseSliceKey = (k: string): { day: number; dim: Dimension; key: string } => {
  const i = k.indexOf('|');
  const j = k.indexOf('|', i + 1);
  return { day: Number(k.slice(0, i)), dim: k.slice(i + 1, j) as Dimension, key: k.slice(j + 1) };
};

const N = COUNTER_COLUMNS.length;
const idx = (c: string): number => COLUMN_INDEX.get(c)!;

/** The whole-case vector (every flag, count and duration). */
function fullVector(f: CountedFacts): number[] {
  const v = new Array<number>(N).fill(0);
  for (const fl of f.flags) v[idx(fl)] = 1;
  for (const c of COUNTS) v[idx(c)] = f.counts[c];
  for (const s of STAGES) {
    const m = f.durations[s];
    if (m === null || m === undefined) continue;
    v[idx(`d_${s}_n`)] = 1;
    v[idx(`d_${s}_sum`)] = m;
    v[idx(`d_${s}_b${bucketOf(m)}`)] = 1;
  }
  return v;
}

function only(flags: readonly Flag[], f: CountedFacts, withRest: boolean): number[] {
  const full = fullVector(f);
  const v = new Array<number>(N).fill(0);
  for (const fl of flags) v[idx(fl)] = full[idx(fl)];
  if (withRest) {
    for (let i = FLAGS.length; i < N; i++) v[i] = full[i];
  }
  return v;
}

const add = (into: Map<string, number[]>, key: string, v: number[], sign = 1) => {
  const cur = into.get(key);
  if (!cur) { into.set(key, sign === 1 ? v.slice() : v.map((x) => -x)); return; }
  for (let i = 0; i < N; i++) cur[i] += sign * v[i];
};

/** Every slice a case counts in, with its vector. */
export function contributions(f: CountedFacts): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const full = fullVector(f);
  const d = f.day;
  add(out, sliceKey(d, 'city', ''), full);
  if (f.districtId) add(out, sliceKey(d, 'district', f.districtId), full);
  if (f.streetId) add(out, sliceKey(d, 'street', f.streetId), full);
  if (f.communityId) add(out, sliceKey(d, 'community', f.communityId), full);
  if (f.gridId) add(out, sliceKey(d, 'grid', f.gridId), full);
  add(out, sliceKey(d, 'matter_class', f.matterClass), full);
  add(out, sliceKey(d, 'channel', f.channel), full);
  add(out, sliceKey(d, 'urgency', f.urgency), full);
  if (f.unitId) add(out, sliceKey(d, 'unit', f.unitId), full);
  if (f.appealUnitId) add(out, sliceKey(d, 'unit', f.appealUnitId), only(['appeal_accepted'], { ...f, flags: new Set(['appeal_accepted']) }, false));
  const person = new Map<string, Flag[]>();
  const credit = (id: string | null, flags: readonly Flag[]) => { if (id) person.set(id, [...(person.get(id) ?? []), ...flags]); };
  credit(f.reporterId, PERSON_FLAGS.reporter);
  credit(f.verifierId, PERSON_FLAGS.verifier);
  credit(f.checkerId, PERSON_FLAGS.checker);
  credit(f.holderUserId, PERSON_FLAGS.holder);
  for (const [id, fl] of person) add(out, sliceKey(d, 'person', id), only([...new Set(fl)], f, id === f.holderUserId));
  return out;
}

/** new − old, merged into `into` (slices whose delta is all zero are dropped). */
export function factsDelta(oldF: CountedFacts | null, newF: CountedFacts | null, into: Map<string, number[]> = new Map()): Map<string, number[]> {
  if (newF) for (const [k, v] of contributions(newF)) add(into, k, v, 1);
  if (oldF) for (const [k, v] of contributions(oldF)) add(into, k, v, -1);
  for (const [k, v] of into) if (v.every((x) => x === 0)) into.delete(k);
  return into;
}

export const emptyVector = (): number[] => new Array<number>(N).fill(0);
export const bucketCount = BUCKET_COUNT;
