/**
 * One case's life in the generated history, through the real lifecycle (domain/case/transitions.ts): report,
 * accept / verify / register, dispatch, (return and ruling), sign, (postponement, hang), dispose, check (rework),
 * callback (unsatisfied → rework), supervision of late cases, and the rare exclusion or appeal (history rows only,
 * with the action names of the issue 10 contract §2). Events after `now` have not happened yet: the case stands in
 * the state of its last event, with the clocks and counters that state implies. Pure.
 */
import { type Prng } from '../prng.ts';
import type { Person } from './model.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Exclusions and appeals filed in the last PENDING_DAYS before `now` are not decided yet (the desks have work on a fresh demo). */
const PENDING_DAYS = 14;

export interface HistoryEvent {
  action: string;
  fromState: string | null;
  toState: string;
  actorId: string | null;
  actorName: string | null;
  at: number;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export interface Deadline { dueAt: number; warnAt: number; limit: { amount: number; unit: string } }

export interface LifeInput {
  key: string;
  createdAt: number;
  now: number;
  channel: string;
  trusted: boolean;
  /** Public channels are verified on site before registration (domain.md §4). */
  verifiable: boolean;
  needsCallback: boolean;
  unitId: string;
  otherUnitId: string;
  unitName: (id: string) => string;
  slow: boolean;
  handleDeadline: (start: number, unitId: string) => Deadline;
  signDeadline: (start: number, unitId: string) => Deadline;
  staff: Record<'operator' | 'dispatcher' | 'inspector' | 'shift_leader' | 'centre', Person[]>;
  reporter: Person | null;
}

/** The case columns the lifecycle decides (the rest are the report's). */
export interface LifeRow {
  state: string;
  assigned_unit_id: string | null;
  dispatched_by: string | null;
  dispatched_at: number | null;
  return_count: number; postpone_count: number; rework_count: number; reopen_count: number; unsatisfied_count: number; supervision_count: number;
  last_returned_by_unit_id: string | null;
  ever_overdue: number;
  closure_type: string | null;
  closed_at: number | null;
  handle_limit_amount: number | null; handle_limit_unit: string | null; handle_started_at: number | null; handle_warn_at: number | null; handle_due_at: number | null;
  stage: string | null; stage_limit_unit: string | null; stage_warn_at: number | null; stage_due_at: number | null;
  suspended_at: number | null;
  alert_level: string;
  next_alert_at: number | null;
  approved_extensions: string;
  command_actor_ids: string;
  updated_at: number;
  version: number;
}

export function liveCase(r: Prng, c: LifeInput): { events: HistoryEvent[]; row: LifeRow } {
  const ev: (HistoryEvent & { apply?: (x: LifeRow) => void })[] = [];
  const who = (p: Person | null) => ({ actorId: p?.id ?? null, actorName: p?.name ?? null });
  const add = (action: string, from: string | null, to: string, at: number, actor: Person | null, extra: Partial<HistoryEvent> = {}, apply?: (x: LifeRow) => void) => {
    ev.push({ action, fromState: from, toState: to, at, ...who(actor), ...extra, apply });
  };
  const unitPerson = (u: string): Person => ({ id: `hist-unit-${u}`, name: `${c.unitName(u)}·经办人` });
  const op = r.pick(c.staff.operator);
  const disp = r.pick(c.staff.dispatcher);
  const insp = r.pick(c.staff.inspector);
  let t = c.createdAt;
  let unit = c.unitId;
  let overdue = false;

  if (c.trusted) add('report_registered', null, 'REGISTERED', t, c.reporter ?? insp);
  else {
    add('report', null, 'REPORTED', t, c.channel === 'hotline' ? op : c.reporter);
    t += r.int(2, 15) * MIN;
    if (r.next() < 0.05) {
      add('reject', 'REPORTED', 'CANCELLED', t, op, { reason: r.pick(['重复反映，已关联原案件', '不属于城市管理受理范围，已告知拨打110', '信息不全无法核实']) });
      return finish(ev, c);
    }
    add('accept', 'REPORTED', 'ACCEPTED', t, op);
    if (c.verifiable && r.next() < 0.6) {
      t += r.int(2, 10) * MIN;
      add('request_verify', 'ACCEPTED', 'VERIFYING', t, disp);
      t += r.int(15, 70) * MIN;
      if (r.next() < 0.03) {
        add('verify', 'VERIFYING', 'CANCELLED', t, insp, { reason: '现场未发现问题', details: { valid: false } });
        return finish(ev, c);
      }
      add('verify', 'VERIFYING', 'REGISTERED', t, insp, { details: { valid: true } });
    } else {
      t += r.int(1, 8) * MIN;
      add('register', 'ACCEPTED', 'REGISTERED', t, op);
    }
  }
  t += r.int(4, 28) * MIN;
  let d = c.handleDeadline(t, unit);
  const sign = c.signDeadline(t, unit);
  const startClock = (at: number, dl: Deadline) => (x: LifeRow) => {
    Object.assign(x, {
      assigned_unit_id: unit, handle_started_at: at, handle_due_at: dl.dueAt, handle_warn_at: dl.warnAt, handle_limit_amount: dl.limit.amount,
      handle_limit_unit: dl.limit.unit, stage: 'sign', stage_due_at: sign.dueAt, stage_warn_at: sign.warnAt, stage_limit_unit: 'work_hours',
    });
  };
  const dispatchedAt = t;
  add('dispatch', 'REGISTERED', 'DISPATCHED', t, disp, { details: { unitId: unit } }, (x) => {
    startClock(t, d)(x);
    x.dispatched_at = dispatchedAt; x.dispatched_by = disp.id; x.command_actor_ids = JSON.stringify([disp.id]);
  });

  if (r.next() < (c.slow ? 0.09 : 0.04)) {
    t += r.int(30, 360) * MIN;
    const returnedBy = unit;
    add('return', 'DISPATCHED', 'DISPUTED', t, unitPerson(unit), { reason: '不属于本单位职责范围', details: { unitId: unit, basis: '职责清单' } }, (x) => {
      x.return_count++; x.last_returned_by_unit_id = returnedBy; x.stage = 'dispute';
    });
    const pausedFor = r.int(30, 240) * MIN;
    t += pausedFor;
    const back = r.next() < 0.6; // ruled back to the unit that returned it: a 推诿 for that unit
    if (!back) unit = c.otherUnitId;
    d = back ? { ...d, dueAt: d.dueAt + pausedFor, warnAt: d.warnAt + pausedFor } : c.handleDeadline(t, unit);
    const dl = d;
    add('rule_dispute', 'DISPUTED', 'DISPATCHED', t, disp, { reason: back ? '经核定属原单位职责' : '改由职责单位办理', details: { unitId: unit, upheld: !back } }, startClock(t, dl));
  }
  t += Math.round(r.range(10, 180) * (c.slow ? 3 : 1)) * MIN;
  add('sign', 'DISPATCHED', 'IN_PROGRESS', t, unitPerson(unit), {}, (x) => { x.stage = null; x.stage_due_at = null; x.stage_warn_at = null; x.stage_limit_unit = null; });

  // How long handling takes, as a share of the limit: most well within it; slow units often past it.
  const span = Math.max(HOUR, d.dueAt - dispatchedAt);
  let share = Math.exp(r.range(-1.6, 0.2) + (r.next() < 0.5 ? 0 : r.range(-0.4, 0.4))) * (c.slow ? 2.1 : 1);
  if (r.next() < 0.05) share *= 2.5;
  if (r.next() < 0.05) {
    const extra = { amount: 2, unit: 'work_days' };
    t += r.int(1, 8) * HOUR;
    add('request_postpone', 'IN_PROGRESS', 'IN_PROGRESS', t, unitPerson(unit), { reason: '需协调产权单位', details: { extra } });
    t += r.int(1, 5) * HOUR;
    const ext = 2 * DAY;
    d = { ...d, dueAt: d.dueAt + ext, warnAt: d.warnAt + ext };
    const dl = d;
    const at = t;
    add('approve_postpone', 'IN_PROGRESS', 'IN_PROGRESS', t, disp, { details: { extra } }, (x) => {
      x.postpone_count++; x.handle_due_at = dl.dueAt; x.handle_warn_at = dl.warnAt;
      x.approved_extensions = JSON.stringify([{ extra, unitId: unit, userId: null, approvedAt: at }]);
    });
  }
  if (r.next() < 0.012) {
    t += r.int(4, 48) * HOUR;
    add('request_hang', 'IN_PROGRESS', 'IN_PROGRESS', t, unitPerson(unit), { reason: '涉及规划调整，短期内无法解决' });
    t += r.int(2, 24) * HOUR;
    const hungAt = t;
    add('approve_hang', 'IN_PROGRESS', 'HUNG', t, disp, { reason: '同意挂账' }, (x) => { x.suspended_at = hungAt; });
    const hung = r.int(10, 90) * DAY;
    t += hung;
    d = { ...d, dueAt: d.dueAt + hung, warnAt: d.warnAt + hung };
    const dl = d;
    add('resume', 'HUNG', 'IN_PROGRESS', t, disp, { reason: '条件具备，恢复处置' }, (x) => { x.suspended_at = null; x.handle_due_at = dl.dueAt; x.handle_warn_at = dl.warnAt; });
  }
  const disposeAt = Math.max(t + 20 * MIN, dispatchedAt + Math.round(span * share));
  if (disposeAt > d.dueAt) {
    overdue = true;
    if (r.next() < 0.45) {
      const at = Math.min(d.dueAt + r.int(1, 24) * HOUR, disposeAt - MIN);
      if (at > t) add('supervise', 'IN_PROGRESS', 'IN_PROGRESS', at, r.pick(c.staff.centre), { reason: '案件已超期，请尽快处置', details: { level: r.next() < 0.6 ? 'supervise' : 'urge' } }, (x) => { x.supervision_count++; });
    }
  }
  const dispose = (at: number) => add('dispose', 'IN_PROGRESS', 'DISPOSED', at, unitPerson(unit), { details: { result: '已处置完毕' } });
  dispose(disposeAt);
  t = disposeAt;
  const check = (): void => {
    t += r.int(10, 60) * MIN;
    add('send_check', 'DISPOSED', 'CHECKING', t, disp);
    t += r.int(20, 150) * MIN;
  };
  check();
  if (r.next() < (c.slow ? 0.12 : 0.05)) {
    add('check_fail', 'CHECKING', 'IN_PROGRESS', t, insp, { reason: '现场仍未处理到位' }, (x) => { x.rework_count++; });
    t += r.int(2, 30) * HOUR;
    if (t > d.dueAt) overdue = true;
    dispose(t);
    check();
  }
  const passTo = c.needsCallback ? 'CLOSED_PENDING_CALLBACK' : 'ARCHIVED';
  const closure = overdue ? 'overdue' : 'normal';
  const closedAt = t;
  add('check_pass', 'CHECKING', passTo, t, insp, { details: { closureType: closure } }, (x) => { x.closure_type = closure; x.closed_at = closedAt; });
  if (c.needsCallback) {
    t += r.int(2, 60) * HOUR;
    if (r.next() < 0.1) {
      add('callback_attempt', passTo, passTo, t, op, { details: { result: 'unreachable', attempt: 1 } });
      t += r.int(2, 24) * HOUR;
    }
    const u = r.next();
    const unsatisfiedShare = c.slow ? 0.2 : 0.09;
    if (u < unsatisfiedShare) {
      add('callback', passTo, 'IN_PROGRESS', t, op, { reason: '市民表示问题未解决', details: { satisfied: false, result: 'unsatisfied' } }, (x) => {
        x.unsatisfied_count++; x.reopen_count++; x.closure_type = null; x.closed_at = null;
      });
      t += r.int(4, 72) * HOUR;
      dispose(t);
      check();
      const at = t;
      add('check_pass', 'CHECKING', passTo, t, insp, { details: { closureType: closure } }, (x) => { x.closure_type = closure; x.closed_at = at; });
      t += r.int(2, 48) * HOUR;
      add('callback', passTo, 'ARCHIVED', t, op, { details: { satisfied: true, result: r.next() < 0.6 ? 'satisfied' : 'basically_satisfied' } });
    } else {
      add('callback', passTo, 'ARCHIVED', t, op, { details: { satisfied: true, result: u < unsatisfiedShare + 0.12 ? 'basically_satisfied' : 'satisfied' } });
    }
  }
  // 无理诉求: a few hotline requests are tagged after review; most are upheld.
  if (c.channel === 'hotline' && r.next() < 0.004) {
    const at = c.createdAt + r.int(1, 5) * DAY;
    const exclusionId = `demo-ex-${c.key}`;
    const decided = r.next() < 0.7 ? 'exclusion_approved' : 'exclusion_rejected';
    ev.push({ action: 'exclusion_requested', fromState: null, toState: '', at, ...who(op), reason: '反复诉求已办结事项，诉求不合理', details: { exclusionId, reason: '无理诉求' } });
    const decider = r.pick(c.staff.centre);
    const decidedAt = at + r.int(1, 3) * DAY;
    // the last fortnight's requests still wait for review (the exclusions desk has work on a fresh demo)
    if (at < c.now - PENDING_DAYS * DAY) ev.push({ action: decided, fromState: null, toState: '', at: decidedAt, ...who(decider), details: { exclusionId, reason: '无理诉求' } });
  }
  // Appeals of counted late cases: the unit asks, the centre decides (about half accepted).
  if (overdue && r.next() < 0.05) {
    const at = closedAt + r.int(1, 4) * DAY;
    const appealId = `demo-ap-${c.key}`;
    const decided = r.next() < 0.5 ? 'appeal_accepted' : 'appeal_rejected';
    ev.push({ action: 'appeal_filed', fromState: null, toState: '', at, ...who(unitPerson(unit)), reason: '连续暴雨无法施工', details: { appealId, unitId: unit, reason: '不可抗力' } });
    const decidedAt = at + r.int(1, 5) * DAY;
    const decider = r.pick(c.staff.centre);
    // the last fortnight's appeals are still open (the centre has not decided them yet)
    if (at < c.now - PENDING_DAYS * DAY) ev.push({ action: decided, fromState: null, toState: '', at: decidedAt, ...who(decider), details: { appealId, unitId: unit, reason: '不可抗力' } });
  }
  return finish(ev, c);
}

/** Orders the events, keeps those that happened by `now`, and derives the case row from them. */
function finish(all: (HistoryEvent & { apply?: (x: LifeRow) => void })[], c: LifeInput): { events: HistoryEvent[]; row: LifeRow } {
  all.sort((a, b) => a.at - b.at);
  const row: LifeRow = {
    state: 'REPORTED', assigned_unit_id: null, dispatched_by: null, dispatched_at: null, return_count: 0, postpone_count: 0, rework_count: 0, reopen_count: 0,
    unsatisfied_count: 0, supervision_count: 0, last_returned_by_unit_id: null, ever_overdue: 0, closure_type: null, closed_at: null,
    handle_limit_amount: null, handle_limit_unit: null, handle_started_at: null, handle_warn_at: null, handle_due_at: null, stage: null,
    stage_limit_unit: null, stage_warn_at: null, stage_due_at: null, suspended_at: null, alert_level: 'normal', next_alert_at: null,
    approved_extensions: '[]', command_actor_ids: '[]', updated_at: c.createdAt, version: 1,
  };
  const events: HistoryEvent[] = [];
  for (const e of all) {
    if (e.at > c.now) break;
    const { apply, ...plain } = e;
    // Rows that do not move the case (exclusions, appeals) carry its state as from and to (contract §2).
    if (plain.toState === '') { plain.fromState = row.state; plain.toState = row.state; }
    events.push(plain);
    apply?.(row);
    row.state = plain.toState;
    row.updated_at = plain.at;
    row.version++;
  }
  // Late (past the handling deadline) whenever it was handled after it, or is still open past it now.
  const due = row.handle_due_at;
  const open = !['ARCHIVED', 'CANCELLED', 'CLOSED_PENDING_CALLBACK'].includes(row.state);
  const lateDispose = due !== null && events.some((e) => e.action === 'dispose' && e.at > due);
  if (due !== null && (lateDispose || (['DISPATCHED', 'IN_PROGRESS', 'DISPUTED'].includes(row.state) && c.now > due))) row.ever_overdue = 1;
  if (['DISPOSED', 'CHECKING'].includes(row.state)) { row.stage = 'check'; row.stage_due_at = row.updated_at + 30 * MIN; row.stage_warn_at = row.updated_at + 20 * MIN; row.stage_limit_unit = 'natural_minutes'; }
  if (open && row.state !== 'HUNG' && due !== null && ['DISPATCHED', 'IN_PROGRESS'].includes(row.state)) {
    const warn = row.handle_warn_at ?? due;
    if (c.now >= due) { row.alert_level = 'overdue'; row.next_alert_at = null; } else if (c.now >= warn) { row.alert_level = 'warning'; row.next_alert_at = due; } else row.next_alert_at = warn;
  }
  if (!open) { row.stage = null; row.stage_due_at = null; row.stage_warn_at = null; row.stage_limit_unit = null; }
  return { events, row };
}
