/**
 * The storage side of 联勤联动 shared by the assist commands and the case transition hook: a task row as the domain
 * sees it, opening tasks (deadline inside the case's handling deadline, history + outbox row each), writing a
 * decision, and the case's list of assisting units kept in step with the tasks (the visibility policy reads it).
 */
import { addLimit, type LimitUnit } from '../domain/deadline/index.ts';
import {
  assistDueAt, assistPart, isOpenAssist, type AssistSpec, type AssistState, type AssistTask, type AssistTopic,
} from '../domain/joint/assist.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import { fromJson, toJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { AssistTaskRow, AssistTaskUpdate } from '../storage/repositories/assist.repository.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import { calendarFor } from './case-clocks.ts';

const num = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

export function toAssistTask(r: AssistTaskRow): AssistTask {
  return {
    id: Number(r.id), caseId: Number(r.case_id), unitId: r.unit_id, instruction: r.instruction,
    limit: r.limit_amount === null || r.limit_unit === null ? null : { amount: Number(r.limit_amount), unit: r.limit_unit as LimitUnit },
    dueAt: num(r.due_at), state: r.state as AssistState, dispatchedAt: Number(r.dispatched_at), dispatchedBy: r.dispatched_by,
    signedAt: num(r.signed_at), signedBy: r.signed_by, doneAt: num(r.done_at), doneBy: r.done_by, result: r.result,
    photoIds: fromJson<string[]>(r.photo_ids, []), returnReason: r.return_reason, returnBasis: r.return_basis,
    returnedAt: num(r.returned_at), returnCount: Number(r.return_count), ruling: r.ruling, closedAt: num(r.closed_at),
    previousTaskId: num(r.previous_task_id),
  };
}

/** A domain patch as columns; a task that ends gets its part of the bundled limit stored (sign, done, overdue). */
export function taskColumns(t: AssistTask, p: Partial<AssistTask>, now: number, actorName: string | null): AssistTaskUpdate {
  const next = { ...t, ...p };
  const u: AssistTaskUpdate = { state: next.state };
  if ('signedAt' in p) { u.signed_at = p.signedAt ?? null; u.signed_by = p.signedBy ?? null; u.signed_by_name = p.signedAt ? actorName : null; }
  if ('doneAt' in p) { u.done_at = p.doneAt ?? null; u.done_by = p.doneBy ?? null; }
  if ('result' in p) u.result = p.result ?? null;
  if ('photoIds' in p) u.photo_ids = toJson(p.photoIds ?? []);
  if ('returnReason' in p) { u.return_reason = p.returnReason ?? null; u.return_basis = p.returnBasis ?? null; u.returned_at = p.returnedAt ?? null; }
  if ('returnCount' in p) u.return_count = p.returnCount;
  if ('ruling' in p) u.ruling = p.ruling ?? null;
  if ('closedAt' in p) u.closed_at = p.closedAt ?? null;
  // a new deadline (ruled back to the unit) starts a new clock: the overdue job may mark it again
  if ('dueAt' in p) { u.due_at = p.dueAt ?? null; u.overdue_at = null; }
  const part = assistPart(next, now);
  u.sign_ms = part.signMs;
  u.done_ms = part.doneMs;
  u.overdue = isOpenAssist(next.state) ? null : part.overdue ? 1 : 0;
  return u;
}

/** The task's deadline from now: its own limit on the unit's work calendar, inside the case's handling deadline. */
export function dueAtFor(ctx: AppContext, spec: Pick<AssistSpec, 'unitId' | 'limit'>, caseDue: number | null, now: number): number | null {
  const own = spec.limit ? addLimit(calendarFor(ctx.ref, spec.unitId), now, spec.limit) : null;
  return assistDueAt(own, caseDue);
}

export interface EventCase { id: number | string; case_no: string; assigned_unit_id: string | null; district_id: string | null; street_id: string | null; community_id: string | null; state: string }

/** The outbox row of an assist change: the assisting unit and the lead; the case's regions; who is concerned. */
export async function assistEvent(
  tx: Repositories, topic: AssistTopic, c: EventCase, t: Pick<AssistTask, 'id' | 'unitId' | 'state'>, now: number,
  extra: { userIds?: (string | null)[]; unitIds?: string[]; payload?: Record<string, unknown> } = {},
): Promise<void> {
  const unitIds = [...new Set([t.unitId, ...(extra.unitIds ?? []), c.assigned_unit_id].filter((x): x is string => !!x))];
  await tx.outbox.append({
    topic, caseId: Number(c.id), unitIds, regionIds: [c.district_id, c.street_id, c.community_id].filter((x): x is string => !!x), at: now,
    payload: {
      caseId: Number(c.id), caseNo: c.case_no, taskId: t.id, unitId: t.unitId, leadUnitId: c.assigned_unit_id, state: t.state,
      userIds: [...new Set((extra.userIds ?? []).filter((x): x is string => !!x))], ...extra.payload,
    },
  });
}

/**
 * Opens one task per spec (already checked): its row, a history row on the case (`assist_assign`) and an
 * `assist.assigned` outbox row each. `caseDue` is the case's handling deadline as it will be after this transaction.
 */
export async function openTasks(
  tx: Repositories, ctx: AppContext, c: EventCase, specs: readonly AssistSpec[], actor: Actor & { name?: string }, now: number,
  caseDue: number | null, opts: { previousTaskId?: number; previousUnitId?: string; reason?: string | null } = {},
): Promise<AssistTask[]> {
  const out: AssistTask[] = [];
  for (const s of specs) {
    const dueAt = dueAtFor(ctx, s, caseDue, now);
    const id = await tx.assists.insertTask({
      case_id: Number(c.id), unit_id: s.unitId, instruction: s.instruction, limit_amount: s.limit?.amount ?? null, limit_unit: s.limit?.unit ?? null,
      due_at: dueAt, state: 'dispatched', dispatched_at: now, dispatched_by: actor.userId, photo_ids: '[]', return_count: 0, version: 1,
      previous_task_id: opts.previousTaskId ?? null,
    });
    await tx.history.append({
      caseId: Number(c.id), action: 'assist_assign', fromState: c.state, toState: c.state, actorId: actor.userId, actorName: actor.name ?? null,
      at: now, reason: opts.reason ?? null,
      details: { taskId: id, unitId: s.unitId, instruction: s.instruction, dueAt, ...(opts.previousTaskId ? { previousTaskId: opts.previousTaskId } : {}) },
    });
    const task = { id, unitId: s.unitId, state: 'dispatched' as const };
    await assistEvent(tx, 'assist.assigned', c, task, now, {
      unitIds: opts.previousUnitId ? [opts.previousUnitId] : [],
      payload: { instruction: s.instruction, dueAt, actorId: actor.userId, ...(opts.previousTaskId ? { previousTaskId: opts.previousTaskId } : {}) },
    });
    out.push({
      id, caseId: Number(c.id), unitId: s.unitId, instruction: s.instruction, limit: s.limit, dueAt, state: 'dispatched', dispatchedAt: now,
      dispatchedBy: actor.userId, signedAt: null, signedBy: null, doneAt: null, doneBy: null, result: null, photoIds: [], returnReason: null,
      returnBasis: null, returnedAt: null, returnCount: 0, ruling: null, closedAt: null, previousTaskId: opts.previousTaskId ?? null,
    });
  }
  return out;
}

/** The units that hold the case as assistants: those with an open or completed task (a waived unit no longer sees it). */
export const assistingUnitsOf = (tasks: readonly Pick<AssistTask, 'unitId' | 'state'>[]): string[] =>
  [...new Set(tasks.filter((t) => isOpenAssist(t.state) || t.state === 'done').map((t) => t.unitId))];

/** Whether the case's stored list differs from the tasks' (then the case row is rewritten with it). */
export const unitsChanged = (row: Pick<CaseRow, 'assisting_unit_ids'>, units: readonly string[]): boolean =>
  JSON.stringify([...fromJson<string[]>(row.assisting_unit_ids, [])].sort()) !== JSON.stringify([...units].sort());
