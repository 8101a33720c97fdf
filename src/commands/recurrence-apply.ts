/**
 * What the decision-support job does with new reports (issue 10 part 5), shared by the incremental job
 * (src/jobs/recurrence-tail.job.ts) and the full rebuild (recurrence-rebuild.ts): the rollup rows of a report
 * (its city day, grid, H3 cell, matter), and the recurring-problem decision of each report in id order.
 */
import { h3Of, ringOf } from '../domain/hotspot/cells.ts';
import { cityDay, monthOfDay } from '../domain/hotspot/period.ts';
import { decide, type RecurrencePoint } from '../domain/recurrence/detect.ts';
import type { RecurrenceSettings } from '../domain/recurrence/settings.ts';
import { boxAround } from '../domain/recurrence/window.ts';
import type { Repositories } from '../storage/store.ts';
import type { RollupRow } from '../storage/repositories/hotspot.repository.ts';
import type { TailCase } from '../storage/repositories/recurrence.repository.ts';

export const DECIDE_CURSOR = 'decide.cases';
/** The cursor's value while a full rebuild runs: the job leaves the tables alone. */
export const REBUILDING = -1;
const DAY_MS = 86_400_000;

export interface Placed extends TailCase { h3: string | null }

export const place = (c: TailCase): Placed => ({ ...c, h3: h3Of(c.lon, c.lat) });

export function rollupRowOf(c: Placed, utcOffsetMinutes: number): RollupRow {
  const day = cityDay(c.createdAt, utcOffsetMinutes);
  return {
    day, month: monthOfDay(day), gridId: c.gridId, h3: c.h3, matterCode: c.matterCode, n: 1,
    communityId: c.communityId, streetId: c.streetId, districtId: c.districtId,
  };
}

/**
 * Does a report take part in recurrence: not a duplicate of an open case, not the centre's own proactive work order
 * (未诉先办 creates those at the problem's place), and at a place (a point or a part).
 */
export const recurs = (c: Placed): boolean => c.masterCaseId === null && c.channel !== 'proactive' && (c.h3 !== null || !!c.partId);

export interface ApplyResult { cases: number; problemsCreated: number; problemsGrown: number; problemIds: number[]; regionIds: string[] }

/**
 * The incremental path, inside the job's transaction: rollups for the batch, then each report in id order against
 * the stored neighbour index plus the batch's own earlier reports, then the batch's points stored.
 */
export async function applyBatch(tx: Repositories, rows: TailCase[], s: RecurrenceSettings, utcOffsetMinutes: number, now: number): Promise<ApplyResult> {
  const placed = rows.map(place);
  await tx.hotspots.addRollups(placed.map((c) => rollupRowOf(c, utcOffsetMinutes)));
  const res: ApplyResult = { cases: rows.length, problemsCreated: 0, problemsGrown: 0, problemIds: [], regionIds: [] };
  const batch: (RecurrencePoint & { matterCode: string; h3: string | null })[] = [];
  const touched = new Set<number>();
  for (const c of placed) {
    if (!recurs(c)) continue;
    const point = { caseId: c.id, at: c.createdAt, lon: c.lon, lat: c.lat, partId: c.partId, problemId: null as number | null, matterCode: c.matterCode, h3: c.h3 };
    const cells = c.h3 ? ringOf(c.h3) : [];
    const since = c.createdAt - s.windowDays * DAY_MS;
    // Within the ring, only points in the radius's box can be neighbours by distance (by part they come from the part query).
    const box = c.lon !== null && c.lat !== null ? boxAround(c.lon, c.lat, s.radiusMeters) : undefined;
    const stored = (await tx.recurrence.candidates({ matterCode: c.matterCode, cells, partId: c.partId, since, until: c.createdAt, box })).map((p) => ({
      caseId: Number(p.case_id), at: Number(p.at), lon: p.lon === null ? null : Number(p.lon), lat: p.lat === null ? null : Number(p.lat),
      partId: p.part_id, problemId: p.problem_id === null ? null : Number(p.problem_id),
    }));
    const cellSet = new Set(cells);
    const mine = batch.filter((p) => p.matterCode === c.matterCode && ((p.h3 && cellSet.has(p.h3)) || (c.partId && p.partId === c.partId)));
    const all = [...stored, ...mine];
    const d = decide(point, all, s);
    if (d.kind !== 'none') {
      const at = new Map(all.map((p) => [p.caseId, p.at]));
      at.set(c.id, c.createdAt);
      let problemId: number;
      if (d.kind === 'create') {
        problemId = await tx.recurrence.insertProblem({
          matter_code: c.matterCode, part_id: c.partId, lon: c.lon, lat: c.lat, h3: c.h3, address: c.address, grid_id: c.gridId,
          community_id: c.communityId, street_id: c.streetId, district_id: c.districtId, first_case_id: d.members[0],
          first_at: Math.min(...d.members.map((m) => at.get(m)!)), last_at: c.createdAt, case_count: 0, created_at: now, updated_at: now,
        });
        res.problemsCreated++;
      } else {
        problemId = d.problemId;
        if (!touched.has(problemId)) res.problemsGrown++;
      }
      touched.add(problemId);
      await tx.recurrence.linkCases(problemId, d.members.map((m) => ({ caseId: m, at: at.get(m)! })), now);
      const members = new Set(d.members);
      await tx.recurrence.setPointsProblem(stored.filter((p) => members.has(p.caseId)).map((p) => p.caseId), problemId);
      for (const p of batch) if (members.has(p.caseId)) p.problemId = problemId;
      point.problemId = problemId;
      for (const r of [c.districtId, c.streetId]) if (r && !res.regionIds.includes(r)) res.regionIds.push(r);
    }
    batch.push(point);
  }
  await tx.recurrence.insertPoints(batch.map((p) => ({
    case_id: p.caseId, matter_code: p.matterCode, h3: p.h3, part_id: p.partId, at: p.at, lon: p.lon, lat: p.lat, problem_id: p.problemId,
  })));
  if (placed.length) {
    const newest = Math.max(...placed.map((c) => c.createdAt));
    await tx.recurrence.prunePoints(newest - (s.windowDays + 1) * DAY_MS);
  }
  res.problemIds = [...touched];
  return res;
}
