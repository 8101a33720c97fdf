/**
 * Counting (issue 10 contract §1): recompute the facts of some cases from their rows and history (the pure
 * src/domain/assessment/facts.ts), store them, and move the counters by exactly the difference from the facts stored
 * before. Recounting a case whose facts did not change moves nothing, so recounting is idempotent. Callers hold
 * the counting lock (tx.assessment.lockCounting) so two recounts of one case never interleave.
 */
import type { Repositories } from '../storage/store.ts';
import { caseFacts, factsDelta, flagMask, type Facts } from '../domain/assessment/index.ts';
import { factsRow, type StoredFacts } from '../storage/repositories/assessment.repository.ts';

export interface RecountResult { cases: number; changed: { caseId: number; before: StoredFacts | null; after: Facts }[]; slices: number }

const sameFacts = (a: StoredFacts, b: Facts): boolean =>
  a.day === b.day && a.unitId === b.unitId && a.appealUnitId === b.appealUnitId && a.districtId === b.districtId && a.streetId === b.streetId
  && a.communityId === b.communityId && a.gridId === b.gridId && a.matterClass === b.matterClass && a.channel === b.channel
  && a.urgency === b.urgency && a.reporterId === b.reporterId && a.verifierId === b.verifierId && a.checkerId === b.checkerId
  && a.holderUserId === b.holderUserId && flagMask(a.flags) === flagMask(b.flags)
  && a.counts.buck_passing === b.counts.buck_passing && a.counts.supervised === b.counts.supervised && a.counts.urged === b.counts.urged
  && (Object.keys(b.durations) as (keyof Facts['durations'])[]).every((k) => a.durations[k] === b.durations[k]);

export async function recountCases(tx: Repositories, ids: number[], now: number, utcOffsetMinutes: number): Promise<RecountResult> {
  const unique = [...new Set(ids)];
  const inputs = await tx.assessment.loadFactInputs(unique);
  const stored = await tx.assessment.findFacts(unique);
  const deltas = new Map<string, number[]>();
  const changed: RecountResult['changed'] = [];
  const rows = [];
  for (const id of unique) {
    const input = inputs.get(id);
    if (!input) continue; // never deleted in practice; nothing to count
    const after = caseFacts(input.c, input.history, now, utcOffsetMinutes);
    const before = stored.get(id) ?? null;
    if (before && sameFacts(before, after)) {
      // the explanation may still have moved (e.g. hung minutes), counters did not
      if (JSON.stringify(before.explain) !== JSON.stringify(after.explain)) rows.push(factsRow(after, now));
      continue;
    }
    factsDelta(before, after, deltas);
    changed.push({ caseId: id, before, after });
    rows.push(factsRow(after, now));
  }
  if (rows.length) await tx.assessment.saveFacts(rows);
  if (deltas.size) await tx.assessment.applyCounterDeltas(deltas);
  return { cases: unique.length, changed, slices: deltas.size };
}
