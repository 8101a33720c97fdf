/**
 * Which committed events become whose notifications (issue 9 §6). ONE table maps an outbox topic (and, for
 * case.transitioned, the action in its payload) to a notification kind and an audience:
 * - `unitRoles`: people of the units the event concerns (`unitIds`) holding one of these roles;
 * - `regionRoles`: centre staff covering one of the event's regions directly (`regionIds`, or the payload field
 *   named by `regionsFrom`) and holding one of these roles — a city-wide dispatcher is not told of every street's
 *   case; the people of the place are;
 * - `payloadUsers`: the people the event names (`payload.userIds`).
 * The actor (`payload.actorId`) is never told of their own act. Pure: the users are handed in.
 */
import type { Role } from '../policy/permissions.ts';

export const NOTIFICATION_KINDS = [
  'new_task', 'task_changed', 'task_returned', 'approval_requested', 'approval_decided', 'supervision', 'disposed',
  'callback_result', 'due_soon', 'overdue', 'new_case', 'assist_task', 'assist_update', 'summons', 'summons_update',
  'escalated', 'assigned_down', 'transfer_result', 'emergency', 'handover',
] as const;
export type NotificationKind = typeof NOTIFICATION_KINDS[number];

export const isNotificationKind = (v: unknown): v is NotificationKind =>
  typeof v === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(v);

/** Labels, Chinese first (the console and the outbound messages use them). */
export const KIND_LABELS: Readonly<Record<NotificationKind, { zh: string; en: string }>> = {
  new_task: { zh: '新任务', en: 'New task' },
  task_changed: { zh: '任务变更', en: 'Task changed' },
  task_returned: { zh: '任务被退回', en: 'Task returned' },
  approval_requested: { zh: '待审批', en: 'Approval requested' },
  approval_decided: { zh: '审批结果', en: 'Approval decided' },
  supervision: { zh: '督办', en: 'Supervision' },
  disposed: { zh: '已处置待核查', en: 'Disposed, to check' },
  callback_result: { zh: '回访结果', en: 'Callback result' },
  due_soon: { zh: '即将超时', en: 'Due soon' },
  overdue: { zh: '已超时', en: 'Overdue' },
  new_case: { zh: '新紧急案件', en: 'New urgent case' },
  assist_task: { zh: '协办任务', en: 'Assisting task' },
  assist_update: { zh: '协办进展', en: 'Assisting progress' },
  summons: { zh: '吹哨报到', en: 'Summons' },
  summons_update: { zh: '报到进展', en: 'Summons progress' },
  escalated: { zh: '上报案件', en: 'Escalated case' },
  assigned_down: { zh: '下派任务', en: 'Assigned down' },
  transfer_result: { zh: '上报/下派结果', en: 'Transfer result' },
  emergency: { zh: '紧急警报', en: 'Emergency alert' },
  handover: { zh: '交接班', en: 'Shift handover' },
};

export interface Audience {
  unitRoles?: readonly Role[];
  regionRoles?: readonly Role[];
  /** Read the regions from this payload field (an array of region ids) instead of the event's regionIds. */
  regionsFrom?: string;
  payloadUsers?: boolean;
  /** When the event concerns no unit, tell `regionRoles` (otherwise they are told only when listed). */
  regionsOnlyWithoutUnits?: boolean;
}

export interface NotifyRule { kind: NotificationKind; audience: Audience; when?: (payload: Record<string, unknown>) => boolean }

const UNIT: readonly Role[] = ['unit_handler', 'unit_leader'];
const COORD: readonly Role[] = ['dispatcher', 'shift_leader'];
const LEAD: readonly Role[] = ['dispatcher', 'shift_leader', 'centre_leader'];

/** case.transitioned, by the action in its payload. */
export const TRANSITION_RULES: Readonly<Record<string, NotifyRule>> = {
  dispatch: { kind: 'new_task', audience: { unitRoles: UNIT } },
  // 派发核实 to a named verifier (issue 8): the event names them (payload.userIds); unnamed, nobody is paged (as before).
  request_verify: { kind: 'new_task', audience: { payloadUsers: true } },
  second_dispatch: { kind: 'new_task', audience: { unitRoles: UNIT } },
  check_fail: { kind: 'new_task', audience: { unitRoles: UNIT } },
  reopen: { kind: 'new_task', audience: { unitRoles: UNIT, regionRoles: COORD, regionsOnlyWithoutUnits: true } },
  rule_dispute: { kind: 'task_changed', audience: { unitRoles: UNIT } },
  return: { kind: 'task_returned', audience: { regionRoles: COORD } },
  request_postpone: { kind: 'approval_requested', audience: { regionRoles: ['dispatcher'] } },
  request_hang: { kind: 'approval_requested', audience: { regionRoles: ['dispatcher'] } },
  approve_postpone: { kind: 'approval_decided', audience: { unitRoles: UNIT } },
  deny_postpone: { kind: 'approval_decided', audience: { unitRoles: UNIT } },
  approve_hang: { kind: 'approval_decided', audience: { unitRoles: UNIT } },
  deny_hang: { kind: 'approval_decided', audience: { unitRoles: UNIT } },
  supervise: { kind: 'supervision', audience: { unitRoles: UNIT } },
  dispose: { kind: 'disposed', audience: { regionRoles: ['dispatcher'] } },
  callback: { kind: 'callback_result', audience: { unitRoles: UNIT } },
};

const URGENT = (p: Record<string, unknown>) => p.urgency === 'urgent' || p.urgency === 'very_urgent';

/** Every other topic. Topics of issue 9's other parts carry `payload.userIds` for the people they name. */
export const TOPIC_RULES: Readonly<Record<string, NotifyRule>> = {
  'case.created': { kind: 'new_case', audience: { regionRoles: COORD }, when: URGENT },
  'case.deadline_warning': { kind: 'due_soon', audience: { unitRoles: UNIT, regionRoles: COORD, regionsOnlyWithoutUnits: true } },
  'case.deadline_overdue': { kind: 'overdue', audience: { unitRoles: UNIT, regionRoles: LEAD } },
  'assist.assigned': { kind: 'assist_task', audience: { unitRoles: UNIT, payloadUsers: true } },
  'assist.signed': { kind: 'assist_update', audience: { payloadUsers: true } },
  'assist.returned': { kind: 'assist_update', audience: { regionRoles: COORD, payloadUsers: true } },
  'assist.completed': { kind: 'assist_update', audience: { payloadUsers: true } },
  'assist.waived': { kind: 'assist_update', audience: { unitRoles: UNIT, payloadUsers: true } },
  'assist.overdue': { kind: 'overdue', audience: { unitRoles: UNIT, regionRoles: COORD, payloadUsers: true } },
  'summons.issued': { kind: 'summons', audience: { unitRoles: UNIT, payloadUsers: true } },
  // a department past its report limit, and the one who blew the whistle (the job names them in payload.userIds)
  'summons.overdue': { kind: 'overdue', audience: { unitRoles: UNIT, payloadUsers: true } },
  'summons.reported': { kind: 'summons_update', audience: { payloadUsers: true } },
  'summons.closed': { kind: 'summons_update', audience: { unitRoles: UNIT, payloadUsers: true } },
  'summons.rated': { kind: 'summons_update', audience: { unitRoles: ['unit_leader'], payloadUsers: true } },
  'case.escalated': { kind: 'escalated', audience: { regionRoles: COORD, payloadUsers: true } },
  'case.assigned_down': { kind: 'assigned_down', audience: { unitRoles: UNIT, regionRoles: COORD, payloadUsers: true } },
  'case.transfer_accepted': { kind: 'transfer_result', audience: { payloadUsers: true } },
  'case.transfer_refused': { kind: 'transfer_result', audience: { regionRoles: COORD, payloadUsers: true } },
  'emergency.raised': { kind: 'emergency', audience: { unitRoles: UNIT, regionRoles: [...LEAD, 'operator'], regionsFrom: 'ringRegionIds' } },
  'emergency.escalated': { kind: 'emergency', audience: { regionRoles: [...LEAD, 'operator'], regionsFrom: 'newRegionIds' } },
  'emergency.unanswered': { kind: 'emergency', audience: { regionRoles: ['centre_leader'], regionsFrom: 'ringRegionIds' } },
  'handover.closed': { kind: 'handover', audience: { regionRoles: ['shift_leader'], payloadUsers: true } },
  'handover.acknowledged': { kind: 'handover', audience: { payloadUsers: true } },
};

/** The topics this table knows (webhooks offer the same ones to department systems). */
export const NOTIFY_TOPICS: readonly string[] = ['case.transitioned', ...Object.keys(TOPIC_RULES)];

export function ruleFor(topic: string, payload: Record<string, unknown>): NotifyRule | undefined {
  const rule = topic === 'case.transitioned' ? TRANSITION_RULES[String(payload.action)] : TOPIC_RULES[topic];
  if (!rule || (rule.when && !rule.when(payload))) return undefined;
  return rule;
}

/** A user as the fan-out sees them. */
export interface Recipient { id: string; roles: readonly Role[]; unitIds: readonly string[]; regionIds: readonly string[]; active: boolean }

export interface EventFacts { topic: string; unitIds: readonly string[]; regionIds: readonly string[]; payload: Record<string, unknown> }

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

/**
 * An index of the users, built once per fan-out batch: by unit and by region, so an event costs the people it
 * concerns, not every user.
 */
export class Directory {
  readonly byId = new Map<string, Recipient>();
  private byUnit = new Map<string, Recipient[]>();
  private byRegion = new Map<string, Recipient[]>();

  constructor(users: readonly Recipient[]) {
    for (const u of users) {
      if (!u.active) continue;
      this.byId.set(u.id, u);
      for (const unit of u.unitIds) push(this.byUnit, unit, u);
      for (const region of u.regionIds) push(this.byRegion, region, u);
    }
  }

  ofUnits(unitIds: readonly string[]): Recipient[] { return unitIds.flatMap((id) => this.byUnit.get(id) ?? []); }
  ofRegions(regionIds: readonly string[]): Recipient[] { return regionIds.flatMap((id) => this.byRegion.get(id) ?? []); }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

/** The people an event's notification goes to (each once), and its kind; none when the topic is not for people. */
export function recipientsOf(e: EventFacts, dir: Directory): { kind: NotificationKind; userIds: string[] } | null {
  const rule = ruleFor(e.topic, e.payload);
  if (!rule) return null;
  const a = rule.audience;
  const out = new Set<string>();
  const hasRole = (u: Recipient, roles: readonly Role[]) => u.roles.some((r) => roles.includes(r));
  if (a.unitRoles) for (const u of dir.ofUnits(e.unitIds)) if (hasRole(u, a.unitRoles)) out.add(u.id);
  if (a.regionRoles && (!a.regionsOnlyWithoutUnits || e.unitIds.length === 0)) {
    const regions = a.regionsFrom ? strings(e.payload[a.regionsFrom]) : e.regionIds;
    for (const u of dir.ofRegions(regions)) if (hasRole(u, a.regionRoles)) out.add(u.id);
  }
  if (a.payloadUsers) for (const id of strings(e.payload.userIds)) if (dir.byId.has(id)) out.add(id);
  const actor = e.payload.actorId;
  if (typeof actor === 'string') out.delete(actor);
  return { kind: rule.kind, userIds: [...out] };
}

/** What a notification shows beside its kind: a few whitelisted facts of the event (no personal data). */
export function detailsOf(e: EventFacts): Record<string, unknown> {
  const keep = ['action', 'from', 'to', 'level', 'urgency', 'tier', 'tierLevel', 'shiftLabel', 'summonsId', 'assistId', 'reason'];
  const out: Record<string, unknown> = {};
  for (const k of keep) if (e.payload[k] !== undefined && typeof e.payload[k] !== 'object') out[k] = e.payload[k];
  return out;
}
