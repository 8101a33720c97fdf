/**
 * Coordination sums for the assessment (src/domain/assessment/coordination.ts): assisting tasks per unit, summoned
 * departments per unit, transfers per receiving platform, over an interval of issue instants. Each is one grouped
 * range read of an index that starts with the instant (migration 040 for tasks and transfers; summons_units_unit).
 * Read on the read connection when there is one (hot reads never queue behind a transaction).
 */
import { sql } from 'kysely';
import type { Conn } from '../db.ts';
import type { AssistSums, SummonsSums, TransferSums } from '../../domain/assessment/coordination.ts';

const n = (v: unknown): number => Number(v ?? 0);

export async function assistSums(c: Conn, from: number, to: number): Promise<Map<string, AssistSums>> {
  const db = c.read ?? c.db;
  const rows = await db.selectFrom('case_assist_tasks').where('dispatched_at', '>=', from).where('dispatched_at', '<', to)
    .select((eb) => [
      'unit_id',
      eb.fn.countAll().as('tasks'),
      sql<number>`sum(case when state not in ('waived', 'reassigned') then 1 else 0 end)`.as('due'),
      sql<number>`sum(case when state = 'done' then 1 else 0 end)`.as('done'),
      sql<number>`sum(case when state = 'done' and coalesce(overdue, 0) = 0 then 1 else 0 end)`.as('done_on_time'),
      sql<number>`sum(return_count)`.as('returns'),
      sql<number>`sum(case when ruling is not null and state not in ('waived', 'reassigned') then 1 else 0 end)`.as('kept'),
      sql<number>`sum(case when state = 'waived' then 1 else 0 end)`.as('waived'),
    ]).groupBy('unit_id').execute();
  return new Map(rows.map((r) => [r.unit_id, {
    tasks: n(r.tasks), due: n(r.due), done: n(r.done), doneOnTime: n(r.done_on_time), returns: n(r.returns), kept: n(r.kept), waived: n(r.waived),
  }]));
}

/** `now`: a summons whose limit has not passed and that nobody answered yet is not settled (neither on time nor late). */
export async function summonsSums(c: Conn, from: number, to: number, now: number): Promise<Map<string, SummonsSums>> {
  const db = c.read ?? c.db;
  const rows = await db.selectFrom('summons_units').where('issued_at', '>=', from).where('issued_at', '<', to)
    .select((eb) => [
      'unit_id',
      eb.fn.countAll().as('summoned'),
      sql<number>`sum(case when state <> 'summoned' or due_at <= ${now} then 1 else 0 end)`.as('settled'),
      sql<number>`sum(case when state = 'reported' and late = 0 then 1 else 0 end)`.as('on_time'),
      sql<number>`sum(case when state = 'reported' and late <> 0 then 1 else 0 end)`.as('late'),
      sql<number>`sum(case when state = 'absent' or (state = 'summoned' and due_at <= ${now}) then 1 else 0 end)`.as('absent'),
      sql<number>`sum(coalesce(rating, 0))`.as('rating_sum'),
      sql<number>`sum(case when rating is null then 0 else 1 end)`.as('rated'),
    ]).groupBy('unit_id').execute();
  return new Map(rows.map((r) => [r.unit_id, {
    summoned: n(r.summoned), settled: n(r.settled), reportedOnTime: n(r.on_time), reportedLate: n(r.late), absent: n(r.absent),
    ratingSum: n(r.rating_sum), rated: n(r.rated),
  }]));
}

export async function transferSums(c: Conn, from: number, to: number): Promise<Map<string, TransferSums>> {
  const db = c.read ?? c.db;
  const rows = await db.selectFrom('case_transfers').where('requested_at', '>=', from).where('requested_at', '<', to).where('status', '<>', 'withdrawn')
    .select((eb) => [
      'to_region_id',
      eb.fn.countAll().as('received'),
      sql<number>`sum(case when status in ('accepted', 'refused') then 1 else 0 end)`.as('decided'),
      sql<number>`sum(case when status = 'refused' then 1 else 0 end)`.as('refused'),
      sql<number>`sum(case when status = 'pending' then 1 else 0 end)`.as('pending'),
    ]).groupBy('to_region_id').execute();
  return new Map(rows.map((r) => [r.to_region_id, { received: n(r.received), decided: n(r.decided), refused: n(r.refused), pending: n(r.pending) }]));
}
