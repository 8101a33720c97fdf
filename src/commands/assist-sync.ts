/**
 * What a case transition means for its assisting tasks (联勤联动), inside the transition's transaction:
 * - dispatch / rule_dispute name the assisting units (`assists` with instructions, or plain `assistingUnitIds`): a
 *   task opens for each unit that has none open; open tasks of units the ruling no longer names are waived;
 * - dispose: the lead may report disposal only when every assisting task is done or waived (typed error otherwise);
 * - a case that leaves the loop (closed, merged) waives the tasks still open.
 * The case's assisting-unit list (and so who sees it) is set from the tasks.
 */
import {
  assistSpecsOf, assertAssistsSettled, checkAssistSpecs, decideAssist, isOpenAssist, type AssistSpec, type AssistTask,
} from '../domain/joint/assist.ts';
import type { ActionInput } from '../domain/case/index.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import { toJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { CaseRow, CaseUpdate } from '../storage/repositories/case.repository.ts';
import { assistEvent, assistingUnitsOf, openTasks, taskColumns, toAssistTask } from './assist-tasks.ts';

const NAMES_ASSISTS = new Set(['dispatch', 'rule_dispute', 'reassign']);

/**
 * Before the transaction: reads the request's assisting units (`assists` or `assistingUnitIds`) and checks them
 * against the unit register (exist, active, not the lead, not twice); rewrites the input's `assistingUnitIds` so the
 * case domain sees one list. Returns the specs (undefined when the action names none).
 */
export function prepareAssists(ctx: AppContext, input: ActionInput): AssistSpec[] | undefined {
  if (!NAMES_ASSISTS.has(input.action)) return undefined;
  const raw = input as unknown as Record<string, unknown>;
  const field = raw.assists !== undefined && raw.assists !== null ? 'assists' : 'assistingUnitIds';
  const specs = assistSpecsOf(raw);
  const units = ctx.ref.current().units;
  if (specs) {
    checkAssistSpecs(specs, { leadUnitId: typeof raw.unitId === 'string' ? raw.unitId : null, units, field });
    raw.assistingUnitIds = specs.map((s) => s.unitId);
  }
  delete raw.assists;
  return specs;
}

/**
 * The bundle follows the case's handling deadline (a postponement approved, a paused clock resumed): an open task
 * without a limit of its own is due with the case again; one with its own limit keeps it, but never past the case's.
 */
async function followCaseDeadline(
  tx: Repositories, cur: CaseRow, patch: CaseUpdate, rows: Awaited<ReturnType<Repositories['assists']['listOfCase']>>, tasks: AssistTask[],
  action: string, actor: Actor & { name?: string }, now: number,
): Promise<void> {
  if (patch.handle_due_at === undefined || patch.handle_due_at === null) return;
  const due = Number(patch.handle_due_at);
  if (cur.handle_due_at !== null && Number(cur.handle_due_at) === due) return;
  for (const t of tasks) {
    if (!isOpenAssist(t.state)) continue;
    const next = t.limit === null ? due : t.dueAt === null ? due : Math.min(t.dueAt, due);
    if (next === t.dueAt) continue;
    const version = Number(rows.find((r) => Number(r.id) === t.id)!.version);
    if (!(await tx.assists.updateTask(t.id, version, taskColumns(t, { dueAt: next }, now, actor.name ?? null)))) {
      throw new Error(`assist task ${t.id} changed under a locked case`);
    }
    rows.find((r) => Number(r.id) === t.id)!.version = version + 1;
    t.dueAt = next;
  }
}

export async function jointActionOnTransition(
  tx: Repositories, ctx: AppContext, cur: CaseRow, patch: CaseUpdate, action: string, specs: AssistSpec[] | undefined,
  actor: Actor & { name?: string }, now: number,
): Promise<void> {
  const rows = await tx.assists.listOfCase(Number(cur.id));
  const tasks = rows.map(toAssistTask);
  if (action === 'dispose') {
    const units = ctx.ref.current().units;
    assertAssistsSettled(tasks, (id) => units.get(id)?.name ?? id);
    return;
  }
  const next = { ...cur, ...patch } as CaseRow;
  const toState = String(patch.state ?? cur.state);
  // a case taken back to the centre's desk (recall) leaves its joint action as surely as a closed one
  const leaving = toState === 'ARCHIVED' || toState === 'CANCELLED' || action === 'recall';
  await followCaseDeadline(tx, cur, patch, rows, tasks, action, actor, now);
  if (!NAMES_ASSISTS.has(action) && !leaving) return;
  if (rows.length === 0 && !(specs?.length)) return; // no joint action on this case: nothing to keep in step

  const named = new Set(leaving ? [] : (specs ?? []).map((s) => s.unitId));
  const facts = { state: toState, leadUnitId: next.assigned_unit_id, regionPath: [] as string[] };
  const system: Actor = { userId: actor.userId, roles: ['admin'], unitIds: [], regionIds: [] };
  // Open tasks of units no longer named (or of a case that left the loop) are waived by this transition.
  for (const t of tasks.filter((x) => isOpenAssist(x.state) && !named.has(x.unitId))) {
    const why = leaving ? `案件${toState === 'ARCHIVED' ? '结案' : '撤销'}，协办任务随之免除 / the case left the loop` : `${action === 'dispatch' ? '重新派遣' : '争议裁定'}未再指定该协办单位 / no longer named by the ${action}`;
    const d = decideAssist(t, 'waive', { reason: why }, system, facts, now);
    if (!(await tx.assists.updateTask(t.id, Number(rows.find((r) => Number(r.id) === t.id)!.version), taskColumns(t, d.patch, now, actor.name ?? null)))) {
      throw new Error(`assist task ${t.id} changed under a locked case`); // the case row is locked: a bug, not input
    }
    Object.assign(t, d.patch);
    await tx.history.append({
      caseId: Number(cur.id), action: 'assist_waive', fromState: cur.state, toState, actorId: actor.userId, actorName: actor.name ?? null,
      at: now, reason: why, details: { taskId: t.id, unitId: t.unitId, by: action },
    });
    await assistEvent(tx, 'assist.waived', { ...next, state: toState }, t, now, { payload: { by: action, actorId: actor.userId } });
  }
  if (!leaving && specs) {
    // A unit named again keeps its task (open or done); the others get one.
    const holding = tasks.filter((t) => isOpenAssist(t.state) || t.state === 'done').map((t) => t.unitId);
    const fresh = specs.filter((s) => !holding.includes(s.unitId));
    checkAssistSpecs(fresh, { leadUnitId: next.assigned_unit_id, units: ctx.ref.current().units, field: 'assists' });
    const caseDue = next.handle_due_at === null || next.handle_due_at === undefined ? null : Number(next.handle_due_at);
    tasks.push(...await openTasks(tx, ctx, { ...next, state: toState }, fresh, actor, now, caseDue));
  }
  patch.assisting_unit_ids = toJson(assistingUnitsOf(tasks));
}
