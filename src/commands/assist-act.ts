/**
 * 联勤联动 commands: the centre adds assisting tasks to a case in handling; an assisting unit signs, returns or
 * completes its own task; the centre waives a task or rules on a returned one (keep / waive / reassign). Each is ONE
 * transaction: the case row locked (so the lead's disposal and an assist change never cross), the task written, a
 * history row on the case and an outbox row — and the case's assisting-unit list when it changes.
 */
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import {
  assertMayAddAssists, assistSpecsOf, checkAssistSpecs, decideAssist, isOpenAssist, type AssistAction, type AssistCaseFacts,
} from '../domain/joint/assist.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import { toJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import { assistEvent, assistingUnitsOf, dueAtFor, openTasks, taskColumns, toAssistTask, unitsChanged } from './assist-tasks.ts';
import { regionPathOf } from './case-transition.ts';

type Who = Actor & { name?: string };

const factsOf = (ctx: AppContext, row: CaseRow): AssistCaseFacts =>
  ({ state: row.state, leadUnitId: row.assigned_unit_id, regionPath: regionPathOf(row, ctx.ref) });

/** Rewrites the case's assisting-unit list from its tasks (bumps the case version only when it changes). */
async function syncCaseUnits(tx: Repositories, row: CaseRow, now: number): Promise<void> {
  const units = assistingUnitsOf((await tx.assists.listOfCase(Number(row.id))).map(toAssistTask));
  if (!unitsChanged(row, units)) return;
  if (!(await tx.cases.updateCase(Number(row.id), row.version, { assisting_unit_ids: toJson(units), updated_at: now }))) {
    throw new DomainError('CONFLICT', `case ${row.case_no} was changed concurrently; retry`, { field: 'version' });
  }
}

async function lockCase(tx: Repositories, caseId: number): Promise<CaseRow> {
  const row = await tx.cases.findCase(caseId, { forUpdate: true });
  if (!row) throw notFound('case', caseId);
  return row;
}

/** POST /cases/{id}/assists: the centre adds assisting units (with instructions) to a case in handling. */
export async function addAssists(ctx: AppContext, caseId: number, input: Record<string, unknown>, actor: Who): Promise<void> {
  const now = ctx.clock.now();
  const specs = assistSpecsOf({ assists: input.assists });
  if (!specs || specs.length === 0) throw invalidAs('assists', { key: 'assist-act.name_at_least_one_assisting' }, 'name at least one assisting unit');
  await ctx.store.transaction(async (tx) => {
    const row = await lockCase(tx, caseId);
    assertMayAddAssists(actor, factsOf(ctx, row));
    const tasks = (await tx.assists.listOfCase(caseId)).map(toAssistTask);
    checkAssistSpecs(specs, {
      leadUnitId: row.assigned_unit_id, units: ctx.ref.current().units, field: 'assists',
      openUnitIds: tasks.filter((t) => isOpenAssist(t.state)).map((t) => t.unitId),
    });
    const caseDue = row.handle_due_at === null ? null : Number(row.handle_due_at);
    await openTasks(tx, ctx, row, specs, actor, now, caseDue, { reason: typeof input.note === 'string' && input.note.trim() ? input.note.trim() : null });
    await syncCaseUnits(tx, row, now);
  });
  ctx.events.notify();
}

/** POST /cases/{id}/assists/{taskId}/{action}: one action on one task. */
export async function actOnAssist(
  ctx: AppContext, caseId: number, taskId: number, action: AssistAction, input: Record<string, unknown>, actor: Who,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    const row = await lockCase(tx, caseId);
    const stored = await tx.assists.findTask(caseId, taskId);
    if (!stored) throw notFound('assist task', taskId);
    const t = toAssistTask(stored);
    const facts = factsOf(ctx, row);
    // The case must still be in the loop for its tasks to move.
    if (row.state === 'ARCHIVED' || row.state === 'CANCELLED') {
      throw new DomainError('INVALID_TRANSITION', `案件已${row.state === 'ARCHIVED' ? '归档' : '撤销'}，协办任务不能再办理 / the case is ${row.state}`, { details: { taskId } });
    }
    const d = decideAssist(t, action, input, actor, facts, now);
    if (d.reassignTo) {
      const open = (await tx.assists.listOfCase(caseId)).map(toAssistTask).filter((x) => isOpenAssist(x.state) && x.id !== t.id);
      const spec = d.reassignTo;
      checkAssistSpecs([spec], { leadUnitId: row.assigned_unit_id, units: ctx.ref.current().units, field: 'unitId', pathOf: () => 'unitId', openUnitIds: open.map((x) => x.unitId) });
    }
    const patch = { ...d.patch };
    // Ruled back to the same unit: a fresh deadline from now, still inside the case's (捆绑处置时限).
    if (action === 'rule' && d.patch.state === 'dispatched') {
      patch.dueAt = dueAtFor(ctx, t, row.handle_due_at === null ? null : Number(row.handle_due_at), now);
    }
    if (!(await tx.assists.updateTask(t.id, Number(stored.version), taskColumns(t, patch, now, actor.name ?? null)))) {
      throw new DomainError('CONFLICT', `assist task ${t.id} was changed concurrently; retry`, { field: 'version' });
    }
    if (d.attachmentIds.length && (await tx.attachments.attachToCase(caseId, d.attachmentIds)) !== d.attachmentIds.length) {
      throw invalidAs('photos', { key: 'field.unknown_attachment_or_one_that' }, 'unknown attachment, or one that belongs to another case');
    }
    await tx.history.append({
      caseId, action: d.historyAction, fromState: row.state, toState: row.state, actorId: actor.userId, actorName: actor.name ?? null,
      at: now, reason: d.reason, details: d.details, attachmentIds: d.attachmentIds,
    });
    const after = { ...t, ...patch };
    if (d.buckPassing) await tx.cases.bumpUnitCounter(t.unitId, 'assist_buck_passing');
    if (action === 'return') await tx.cases.bumpUnitCounter(t.unitId, 'assist_returns');
    if (d.reassignTo) {
      // The new unit's task (its own row, its own record); one assist.assigned row says both units.
      await openTasks(tx, ctx, row, [d.reassignTo], actor, now, row.handle_due_at === null ? null : Number(row.handle_due_at), { previousTaskId: t.id, previousUnitId: t.unitId, reason: d.reason });
    } else {
      // Who is concerned: a return goes to whoever dispatched the task (the centre rules); the others to the unit.
      const userIds = action === 'return' ? [t.dispatchedBy] : [];
      await assistEvent(tx, d.topic, row, after, now, { userIds, payload: { action, actorId: actor.userId, ...(action === 'rule' ? { outcome: input.outcome } : {}) } });
    }
    await syncCaseUnits(tx, row, now);
  });
  ctx.events.notify();
}
