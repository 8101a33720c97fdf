/**
 * 联勤联动 (joint action, domain.md §2 and issue 9 §1): one lead unit (the case's assigned unit) and assisting units,
 * each with its OWN task: what is asked of it, its deadline inside the case's handling deadline (捆绑处置时限), who
 * signed it, its result and photos. Pure: every instant is an argument.
 *
 * A task's states:
 *   dispatched --sign--> signed --complete (result + photos)--> done
 *   dispatched|signed --return (reason + basis)--> returned --rule keep--> dispatched (same unit; buck-passing)
 *                                                           --rule waive--> waived
 *                                                           --rule reassign--> reassigned (+ a new task for another unit)
 *   dispatched|signed|returned --waive (centre)--> waived
 * The lead may dispose only when every task is done or waived (`assertAssistsSettled`).
 */
import { DomainError, invalidAs, refield } from '../errors.ts';
import { coversRegion, isAdmin, type Actor } from '../policy/scope.ts';
import type { Role } from '../policy/permissions.ts';
import type { TimeLimit } from '../deadline/deadline.types.ts';
import { requireTimeLimit } from '../case/inputs.ts';

export type AssistState = 'dispatched' | 'signed' | 'done' | 'returned' | 'waived' | 'reassigned';
export const ASSIST_STATES: readonly AssistState[] = ['dispatched', 'signed', 'done', 'returned', 'waived', 'reassigned'];
/** Still owing work (or a ruling): these block the lead's disposal. */
export const OPEN_ASSIST_STATES: readonly AssistState[] = ['dispatched', 'signed', 'returned'];
export const isOpenAssist = (s: AssistState): boolean => OPEN_ASSIST_STATES.includes(s);

export const ASSIST_STATE_LABELS: Record<AssistState, { zh: string; en: string }> = {
  dispatched: { zh: '待签收', en: 'Awaiting signature' },
  signed: { zh: '协办中', en: 'In progress' },
  done: { zh: '已完成', en: 'Done' },
  returned: { zh: '已退回待裁定', en: 'Returned, awaiting ruling' },
  waived: { zh: '已免除', en: 'Waived' },
  reassigned: { zh: '已改派', en: 'Reassigned' },
};

/** The default instruction when the dispatcher names a unit without saying what it is asked. */
export const DEFAULT_INSTRUCTION = '协助主办单位处置 / assist the lead unit';

export interface AssistTask {
  id: number;
  caseId: number;
  unitId: string;
  instruction: string;
  limit: TimeLimit | null;
  /** Inside the case's handling deadline; null when the case has no handling clock. */
  dueAt: number | null;
  state: AssistState;
  dispatchedAt: number;
  dispatchedBy: string | null;
  signedAt: number | null;
  /** The handler: the user who signed. */
  signedBy: string | null;
  doneAt: number | null;
  doneBy: string | null;
  result: string | null;
  photoIds: string[];
  returnReason: string | null;
  returnBasis: string | null;
  returnedAt: number | null;
  returnCount: number;
  ruling: string | null;
  closedAt: number | null;
  previousTaskId: number | null;
}

/** What the centre asks of one assisting unit. */
export interface AssistSpec { unitId: string; instruction: string; limit: TimeLimit | null }

/** What the caller knows about a unit named in a request (from the unit register). */
export interface UnitFacts { id: string; active: boolean }

/** Dispatchers and shift leaders command joint action (the same desks as dispatch and rulings). */
export const COMMAND_ROLES: readonly Role[] = ['dispatcher', 'shift_leader'];
const UNIT_ROLES: readonly Role[] = ['unit_handler', 'unit_leader'];
/** Case states in which the centre may add assisting tasks: the case is being handled. */
export const ASSIST_CASE_STATES: readonly string[] = ['DISPATCHED', 'IN_PROGRESS'];

/**
 * The specs of a request: `assists` ([{ unitId, instruction?, limit? }]) and/or `assistingUnitIds` (plain ids, the
 * older input of dispatch); when both are sent they must name the same units. Field names point into the request.
 */
export function assistSpecsOf(input: Record<string, unknown>): AssistSpec[] | undefined {
  const raw = input.assists;
  const ids = input.assistingUnitIds;
  if (raw === undefined || raw === null) {
    if (ids === undefined || ids === null) return undefined;
    if (!Array.isArray(ids)) throw invalidAs('assistingUnitIds', { key: 'joint.list_unit_ids' }, 'must be a list of unit ids');
    return ids.map((u, i) => {
      if (typeof u !== 'string' || u.trim() === '') throw invalidAs(`assistingUnitIds[${i}]`, { key: 'field.unit_id' }, 'must be a unit id');
      return { unitId: u.trim(), instruction: DEFAULT_INSTRUCTION, limit: null };
    });
  }
  if (!Array.isArray(raw)) throw invalidAs('assists', { key: 'joint.list' }, 'must be a list of { unitId, instruction, limit }');
  const specs = raw.map((a, i): AssistSpec => {
    if (typeof a !== 'object' || a === null) throw invalidAs(`assists[${i}]`, { key: 'joint.object' }, 'must be an object { unitId, instruction, limit }');
    const o = a as Record<string, unknown>;
    if (typeof o.unitId !== 'string' || o.unitId.trim() === '') throw invalidAs(`assists[${i}].unitId`, { key: 'joint.required_assisting_unit' }, 'required: the assisting unit');
    const ins = o.instruction;
    if (ins !== undefined && ins !== null && typeof ins !== 'string') throw invalidAs(`assists[${i}].instruction`, { key: 'joint.text' }, 'must be text');
    let limit: TimeLimit | null = null;
    try {
      if (o.limit !== undefined && o.limit !== null) limit = requireTimeLimit(o, 'limit', 'time limit');
    } catch (e) {
      if (e instanceof DomainError && e.field) throw refield(e, `assists[${i}].${e.field}`);
      throw e;
    }
    return { unitId: o.unitId.trim(), instruction: typeof ins === 'string' && ins.trim() ? ins.trim() : DEFAULT_INSTRUCTION, limit };
  });
  if (ids !== undefined && ids !== null) {
    const a = Array.isArray(ids) ? [...(ids as unknown[])].map(String).sort() : [];
    const b = specs.map((s) => s.unitId).sort();
    if (a.join('\n') !== b.join('\n')) throw invalidAs('assistingUnitIds', { key: 'joint.name_same_units_as_assists' }, 'must name the same units as assists (or send only assists)');
  }
  return specs;
}

/**
 * Checks the assisting units of a request: every one exists and is active, none is the lead, none twice, none that
 * already has an open task on the case. `field` is the request field of the list ('assists' or 'assistingUnitIds').
 */
export function checkAssistSpecs(
  specs: readonly AssistSpec[],
  o: { leadUnitId: string | null; units: ReadonlyMap<string, UnitFacts>; openUnitIds?: readonly string[]; field?: string; pathOf?: (i: number) => string },
): void {
  const field = o.field ?? 'assists';
  const path = o.pathOf ?? ((i: number) => (field === 'assistingUnitIds' ? `assistingUnitIds[${i}]` : `${field}[${i}].unitId`));
  const seen = new Set<string>();
  specs.forEach((s, i) => {
    const u = o.units.get(s.unitId);
    if (!u) throw invalidAs(path(i), { key: 'field.unknown_unit', params: { unitId: String(s.unitId) } }, `unknown unit "${s.unitId}"`);
    if (!u.active) throw invalidAs(path(i), { key: 'joint.unit_inactive', params: { unitId: String(s.unitId) } }, `unit "${s.unitId}" is inactive`);
    if (o.leadUnitId !== null && s.unitId === o.leadUnitId) throw invalidAs(path(i), { key: 'joint.not_lead_unit_it_leads' }, 'must not be the lead unit (it leads the case)');
    if (seen.has(s.unitId)) throw invalidAs(path(i), { key: 'joint.unit_named_twice', params: { unitId: String(s.unitId) } }, `unit "${s.unitId}" is named twice`);
    if (o.openUnitIds?.includes(s.unitId)) throw invalidAs(path(i), { key: 'joint.unit_already_has_open_assisting', params: { unitId: String(s.unitId) } }, `unit "${s.unitId}" already has an open assisting task on this case`);
    seen.add(s.unitId);
    if (s.instruction.length > 2000) throw invalidAs(field === 'assistingUnitIds' ? path(i) : `${field}[${i}].instruction`, { key: 'field.at_most_2000_characters' }, 'at most 2000 characters');
  });
}

/** A task's deadline: its own limit from `now`, never past the case's handling deadline (the bundled limit). */
export function assistDueAt(ownDue: number | null, caseDue: number | null): number | null {
  if (ownDue === null) return caseDue;
  if (caseDue === null) return ownDue;
  return Math.min(ownDue, caseDue);
}

/** The case facts an assist action is judged against. */
export interface AssistCaseFacts {
  state: string;
  leadUnitId: string | null;
  regionPath: readonly string[];
}

const forbidden = (key: string, message: string, field?: string) => new DomainError('FORBIDDEN', message, { key, ...(field ? { field } : {}) });
const badState = (t: AssistTask, action: string) => new DomainError(
  'INVALID_TRANSITION',
  `协办任务当前为“${ASSIST_STATE_LABELS[t.state].zh}”，不能${action} / the assisting task is ${t.state}: cannot ${action}`,
  { details: { taskId: t.id, state: t.state }, key: 'assist.bad_state', params: { state: ASSIST_STATE_LABELS[t.state].zh, action } },
);

/** Centre staff who command joint action on this case: a dispatcher or shift leader covering its place (or admin). */
export function assertCentre(actor: Actor, c: AssistCaseFacts): void {
  if (isAdmin(actor)) return;
  if (!actor.roles.some((r) => COMMAND_ROLES.includes(r))) throw forbidden('assist.only_command', '只有指挥中心（派遣员、值班长）可以安排协办 / only dispatchers and shift leaders command joint action');
  if (!coversRegion(actor, c.regionPath)) throw forbidden('case.scope.centre', '案件不在您负责的区域内 / case is outside your regions');
}

/** Staff of the task's own unit (or admin): only they act on it. */
export function assertOwnTask(actor: Actor, t: AssistTask): void {
  if (isAdmin(actor)) return;
  if (!actor.roles.some((r) => UNIT_ROLES.includes(r))) throw forbidden('assist.only_assisting_unit', '只有协办单位的人员可以办理协办任务 / only the assisting unit\'s staff act on its task');
  if (!actor.unitIds.includes(t.unitId)) throw forbidden('assist.other_unit', `该协办任务属于其他单位 / task ${t.id} belongs to another unit`, 'taskId');
}

const requireText = (input: Record<string, unknown>, field: string, why: string): string => {
  const v = input[field];
  if (typeof v !== 'string' || v.trim() === '') throw invalidAs(field, { key: 'field.required' }, `required: ${why}`);
  return v.trim();
};

export type AssistAction = 'sign' | 'return' | 'complete' | 'waive' | 'rule';
export type AssistTopic = 'assist.assigned' | 'assist.signed' | 'assist.returned' | 'assist.completed' | 'assist.waived' | 'assist.overdue';

/** What an action on a task changes, and how it is recorded. */
export interface AssistDecision {
  patch: Partial<AssistTask>;
  topic: AssistTopic;
  /** History action name on the case (assist_sign, …). */
  historyAction: string;
  reason: string | null;
  details: Record<string, unknown>;
  attachmentIds: string[];
  /** A reassignment names the unit of the new task (the command checks it and creates the task). */
  reassignTo?: AssistSpec;
  /** Ruled back to the unit that returned it: a buck-passing (推诿) for that unit (domain.md §4). */
  buckPassing?: boolean;
}

export interface AssistPolicy { requirePhotos: boolean; maxReturns: number }
export const DEFAULT_ASSIST_POLICY: AssistPolicy = { requirePhotos: true, maxReturns: 2 };

/** One action on one task: who may, from which state, with what input. */
export function decideAssist(
  t: AssistTask, action: AssistAction, input: Record<string, unknown>, actor: Actor, c: AssistCaseFacts, now: number,
  policy: AssistPolicy = DEFAULT_ASSIST_POLICY,
): AssistDecision {
  if (!Number.isFinite(now)) throw invalidAs('now', { key: 'field.epoch_milliseconds' }, 'must be epoch milliseconds');
  const base = { taskId: t.id, unitId: t.unitId };
  switch (action) {
    case 'sign': {
      assertOwnTask(actor, t);
      if (t.state !== 'dispatched') throw badState(t, '签收');
      return {
        patch: { state: 'signed', signedAt: now, signedBy: actor.userId }, topic: 'assist.signed', historyAction: 'assist_sign',
        reason: null, details: { ...base, signMs: now - t.dispatchedAt }, attachmentIds: [],
      };
    }
    case 'return': {
      assertOwnTask(actor, t);
      if (t.state !== 'dispatched' && t.state !== 'signed') throw badState(t, '退回');
      const reason = requireText(input, 'reason', 'why the unit returns its task');
      const basis = requireText(input, 'basis', 'the basis (regulation, responsibility list item)');
      if (t.returnCount >= policy.maxReturns) {
        throw new DomainError('LIMIT_EXCEEDED', `该协办任务已退回 ${t.returnCount} 次，达到上限 / return cap of ${policy.maxReturns} reached`, { field: 'reason', key: 'assist.return_cap', params: { max: policy.maxReturns } });
      }
      return {
        patch: { state: 'returned', returnReason: reason, returnBasis: basis, returnedAt: now, returnCount: t.returnCount + 1 },
        topic: 'assist.returned', historyAction: 'assist_return', reason, details: { ...base, basis }, attachmentIds: [],
      };
    }
    case 'complete': {
      assertOwnTask(actor, t);
      if (t.state !== 'signed') throw badState(t, '完成（须先签收）');
      const result = requireText(input, 'result', 'what the assisting unit did');
      const photos = input.photos === undefined ? [] : input.photos;
      if (!Array.isArray(photos) || photos.some((p) => typeof p !== 'string' || p === '')) throw invalidAs('photos', { key: 'joint.list_attachment_ids' }, 'must be a list of attachment ids');
      if (new Set(photos).size !== photos.length) throw invalidAs('photos', { key: 'joint.not_repeat_attachment' }, 'must not repeat an attachment');
      if (policy.requirePhotos && photos.length === 0) throw invalidAs('photos', { key: 'joint.required_at_least_one_photo' }, 'required: at least one photo of the result');
      const overdue = t.dueAt !== null && now > t.dueAt;
      return {
        patch: { state: 'done', doneAt: now, doneBy: actor.userId, result, photoIds: photos as string[], closedAt: now },
        topic: 'assist.completed', historyAction: 'assist_complete', reason: null,
        details: { ...base, result, doneMs: now - t.dispatchedAt, overdue }, attachmentIds: photos as string[],
      };
    }
    case 'waive': {
      assertCentre(actor, c);
      if (!isOpenAssist(t.state)) throw badState(t, '免除');
      const reason = requireText(input, 'reason', 'why the task is waived');
      return {
        patch: { state: 'waived', ruling: reason, closedAt: now }, topic: 'assist.waived', historyAction: 'assist_waive',
        reason, details: base, attachmentIds: [],
      };
    }
    case 'rule': {
      assertCentre(actor, c);
      if (t.state !== 'returned') throw badState(t, '裁定（只有退回的协办任务需要裁定）');
      const ruling = requireText(input, 'ruling', 'the ruling and its basis');
      const outcome = input.outcome;
      if (outcome === 'keep') {
        return {
          patch: { state: 'dispatched', ruling, signedAt: null, signedBy: null }, topic: 'assist.assigned',
          historyAction: 'assist_rule', reason: ruling, details: { ...base, ruledOutcome: outcome }, attachmentIds: [], buckPassing: true,
        };
      }
      if (outcome === 'waive') {
        return {
          patch: { state: 'waived', ruling, closedAt: now }, topic: 'assist.waived', historyAction: 'assist_rule', reason: ruling,
          details: { ...base, ruledOutcome: outcome }, attachmentIds: [],
        };
      }
      if (outcome === 'reassign') {
        const unitId = requireText(input, 'unitId', 'the unit that takes the task over');
        if (unitId === t.unitId) throw invalidAs('unitId', { key: 'joint.unit_that_returned_task_rule' }, 'is the unit that returned the task: rule "keep" instead');
        return {
          patch: { state: 'reassigned', ruling, closedAt: now }, topic: 'assist.assigned', historyAction: 'assist_rule', reason: ruling,
          details: { ...base, ruledOutcome: outcome, toUnitId: unitId }, attachmentIds: [],
          reassignTo: { unitId, instruction: t.instruction, limit: t.limit },
        };
      }
      throw invalidAs('outcome', { key: 'joint.one_keep_waive_reassign' }, 'must be one of keep, waive, reassign');
    }
    default:
      throw invalidAs('action', { key: 'joint.unknown_assist_action', params: { action: String(action) } }, `unknown assist action ${String(action)}`);
  }
}

/** The centre adds assisting tasks only while the case is being handled, and never to a grid member's case. */
export function assertMayAddAssists(actor: Actor, c: AssistCaseFacts): void {
  assertCentre(actor, c);
  if (!ASSIST_CASE_STATES.includes(c.state)) {
    throw new DomainError('INVALID_TRANSITION', `案件当前为 ${c.state}，只有处置中的案件可以增派协办单位 / assisting units are added only to a dispatched or in-progress case`, { key: 'assist.case_not_open', field: 'assists' });
  }
  if (!c.leadUnitId) throw invalidAs('assists', { key: 'joint.case_has_no_lead_unit' }, 'the case has no lead unit (a grid member\'s case has no assisting units)');
}

/** The lead disposes only when every assisting task is done or waived: otherwise a typed error naming the open ones. */
export function assertAssistsSettled(tasks: readonly Pick<AssistTask, 'id' | 'unitId' | 'state'>[], unitName: (id: string) => string = (x) => x): void {
  const open = tasks.filter((t) => isOpenAssist(t.state));
  if (open.length === 0) return;
  const names = open.map((t) => `${unitName(t.unitId)}（${ASSIST_STATE_LABELS[t.state].zh}）`).join('、');
  throw new DomainError(
    'INVALID_TRANSITION',
    `协办任务尚未完成，主办单位不能处置反馈：${names} / ${open.length} assisting task(s) still open: ${open.map((t) => `${t.unitId} (${t.state})`).join(', ')}`,
    { field: 'assists', key: 'assist.still_open', params: { names, count: open.length }, details: { openAssists: open.map((t) => ({ taskId: t.id, unitId: t.unitId, state: t.state })) } },
  );
}

/** Each unit's part of the bundled limit (捆绑处置时限), for assessment: time to sign, to done, overdue or not. */
export interface AssistPart { signMs: number | null; doneMs: number | null; overdue: boolean }

export function assistPart(t: Pick<AssistTask, 'dispatchedAt' | 'signedAt' | 'doneAt' | 'dueAt' | 'state' | 'closedAt'>, now: number): AssistPart {
  const end = t.doneAt ?? (isOpenAssist(t.state) ? now : t.closedAt ?? now);
  return {
    signMs: t.signedAt === null ? null : t.signedAt - t.dispatchedAt,
    doneMs: t.doneAt === null ? null : t.doneAt - t.dispatchedAt,
    overdue: t.dueAt !== null && t.state !== 'waived' && t.state !== 'reassigned' && end > t.dueAt,
  };
}

/** What this viewer may do with this task now (the console offers exactly these; the commands check again). */
export function allowedAssistActions(t: AssistTask, actor: Actor, c: AssistCaseFacts): AssistAction[] {
  if (c.state === 'ARCHIVED' || c.state === 'CANCELLED') return [];
  const may = (f: () => void) => { try { f(); return true; } catch { return false; } };
  const own = may(() => assertOwnTask(actor, t));
  const centre = may(() => assertCentre(actor, c));
  const out: AssistAction[] = [];
  if (own && t.state === 'dispatched') out.push('sign');
  if (own && (t.state === 'dispatched' || t.state === 'signed')) out.push('return');
  if (own && t.state === 'signed') out.push('complete');
  if (centre && t.state === 'returned') out.push('rule');
  if (centre && isOpenAssist(t.state)) out.push('waive');
  return out;
}
