/**
 * A case's assessment facts: a PURE function of the case row and its history (issue 10 contract §1). Counters are
 * kept from the difference between a case's stored facts and its new facts (contributions.ts), so computing the
 * facts of a case twice changes nothing. Every rule here is written down in docs/issue-10/assessment.md.
 */
import { COUNTS, FLAGS, SCORED_FLAGS, type Count, type Flag, type Stage } from './counters.ts';
import type { CountedFacts } from './contributions.ts';

/** The columns of a case the facts read. Times are epoch ms. */
export interface FactCase {
  id: number;
  state: string;
  channel: string;
  matterCode: string;
  urgency: string;
  gridId: string | null;
  communityId: string | null;
  streetId: string | null;
  districtId: string | null;
  assignedUnitId: string | null;
  assignedUserId: string | null;
  createdBy: string | null;
  createdAt: number;
  closureType: string | null;
  closedAt: number | null;
  handleDueAt: number | null;
  handlePausedAt: number | null;
  returnCount: number;
  postponeCount: number;
  reworkCount: number;
  unsatisfiedCount: number;
}

/** One history row (details parsed). */
export interface FactHistory {
  action: string;
  fromState: string | null;
  toState: string;
  actorId: string | null;
  at: number;
  details: Record<string, unknown>;
}

export type CallbackResult = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

/** What the drill-down shows as "why": the instants and decisions the flags were decided from. */
export interface Explain {
  registeredAt?: number;
  dispatchedAt?: number;
  signedAt?: number;
  disposedAt?: number;
  disposeDueAt?: number | null;
  late?: boolean;
  closedAt?: number;
  closureType?: string;
  handleDueAt?: number | null;
  callbackResult?: CallbackResult;
  callbackSource?: 'callback' | 'public_rating';
  exclusionReason?: string;
  appealUnitId?: string;
  firstUnitId?: string;
  returns?: number;
  hungMinutes?: number;
  signLate?: boolean;
  verifyLate?: boolean;
  checkLate?: boolean;
}

/** A case's facts: what counting reads (CountedFacts, contributions.ts) and the why of each flag. */
export interface Facts extends CountedFacts {
  caseId: number;
  flags: Set<Flag>;
  explain: Explain;
}

const REGISTERED_STATES = new Set(['REGISTERED']);
const HANDLED_STATES = new Set(['DISPOSED', 'CHECKING', 'CLOSED_PENDING_CALLBACK', 'ARCHIVED']);
const CALLBACK_RESULTS = new Set<CallbackResult>(['satisfied', 'basically_satisfied', 'unsatisfied']);

/** Local YYYYMMDD of an instant at a fixed UTC offset. */
export const localDay = (ms: number, utcOffsetMinutes: number): number => {
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const minutes = (from: number | undefined, to: number | undefined, minus = 0): number | null =>
  from === undefined || to === undefined || to < from ? null : Math.max(0, Math.round((to - from - minus) / 60_000));

function callbackResultOf(h: FactHistory): CallbackResult | null {
  const r = h.details.result;
  if (typeof r === 'string' && CALLBACK_RESULTS.has(r as CallbackResult)) return r as CallbackResult;
  if (h.action === 'callback' && typeof h.details.satisfied === 'boolean') return h.details.satisfied ? 'satisfied' : 'unsatisfied';
  return null;
}

/** True when the deadline sweep flagged the stage overdue between `from` and `to` (history row deadline_overdue). */
const stageLate = (hist: readonly FactHistory[], stage: string, from: number | undefined, to: number): boolean =>
  hist.some((h) => h.action === 'deadline_overdue' && h.details.stage === stage && h.details.stageLevel === 'overdue'
    && (from === undefined || h.at >= from) && h.at <= to);

/**
 * The facts of one case at `now` (only "overdue and still open" depends on now). History rows must be in the order
 * they were written.
 */
export function caseFacts(c: FactCase, history: readonly FactHistory[], now: number, utcOffsetMinutes: number): Facts {
  const flags = new Set<Flag>();
  const counts: Record<Count, number> = Object.fromEntries(COUNTS.map((k) => [k, 0])) as Record<Count, number>;
  const explain: Explain = {};
  const first = (pred: (h: FactHistory) => boolean) => history.find(pred);
  const last = (pred: (h: FactHistory) => boolean) => { for (let i = history.length - 1; i >= 0; i--) if (pred(history[i])) return history[i]; return undefined; };

  flags.add('reported');
  if (history.some((h) => h.toState === 'ACCEPTED' || h.toState === 'REGISTERED')) flags.add('accepted');
  const registered = first((h) => REGISTERED_STATES.has(h.toState));
  if (registered) { flags.add('valid'); explain.registeredAt = registered.at; }
  if (c.state === 'CANCELLED') flags.add('cancelled');
  if (history.some((h) => h.action === 'self_fix')) flags.add('self_fixed');

  // Dispatch: the first time the case went to a holder (dispatch, or a grid member's assignment).
  const firstDispatch = first((h) => h.action === 'dispatch');
  const returns = history.filter((h) => h.action === 'return');
  // The unit the first dispatch went to: named by the first return or reassignment after it, else the holder now.
  const firstMove = first((h) => h.action === 'return' || h.action === 'reassign' || h.action === 'recall');
  const firstUnitId = firstMove ? str(firstMove.action === 'reassign' ? firstMove.details.previousUnitId : firstMove.details.unitId) : c.assignedUnitId;
  const lastUnit = c.assignedUnitId ?? (() => { const h = last((x) => !!str(x.details.unitId)); return h ? str(h.details.unitId) : null; })();
  if (firstDispatch) {
    flags.add('dispatched');
    explain.dispatchedAt = firstDispatch.at;
    if (firstUnitId) explain.firstUnitId = firstUnitId;
    if (returns.length === 0) flags.add('dispatched_right');
    else { flags.add('returned'); explain.returns = returns.length; }
  }
  counts.buck_passing = history.filter((h) => h.action === 'rule_dispute' && h.details.buckPassing === true).length;
  for (const h of history) {
    if (h.action !== 'supervise') continue;
    if (h.details.level === 'urge') counts.urged++;
    else counts.supervised++;
  }

  // Hung time: every HUNG → resume span (an open span runs until now); excluded from the handling duration.
  let hungMs = 0;
  let hungSince: number | undefined;
  for (const h of history) {
    if (h.toState === 'HUNG' && h.fromState !== 'HUNG') hungSince = h.at;
    else if (hungSince !== undefined && h.fromState === 'HUNG' && h.toState !== 'HUNG') { hungMs += h.at - hungSince; hungSince = undefined; }
  }
  if (hungSince !== undefined) hungMs += Math.max(0, now - hungSince);
  if (hungMs > 0) explain.hungMinutes = Math.round(hungMs / 60_000);

  const isHung = c.state === 'HUNG';
  if (isHung) flags.add('hung');
  const lastDispose = last((h) => h.action === 'dispose');
  if (firstDispatch && !isHung) {
    flags.add('to_handle');
    if (lastDispose && HANDLED_STATES.has(c.state)) {
      flags.add('handled');
      explain.disposedAt = lastDispose.at;
      const due = typeof lastDispose.details.dueAt === 'number' ? lastDispose.details.dueAt : null;
      explain.disposeDueAt = due;
      const late = typeof lastDispose.details.late === 'boolean' ? lastDispose.details.late : due !== null && lastDispose.at > due;
      explain.late = late;
      if (!late) flags.add('handled_on_time');
    } else if (c.state !== 'ARCHIVED' && c.state !== 'CANCELLED' && c.handleDueAt !== null && (c.handlePausedAt ?? now) > c.handleDueAt) {
      flags.add('overdue_open');
      explain.handleDueAt = c.handleDueAt;
    }
    if (c.closedAt !== null && (c.closureType === 'normal' || c.closureType === 'overdue' || c.closureType === 'erroneous')) {
      flags.add('closed');
      explain.closedAt = c.closedAt;
      explain.closureType = c.closureType;
      if (c.closureType === 'normal') flags.add('closed_on_time');
    }
    if (c.reworkCount > 0 || history.some((h) => h.action === 'check_fail')) flags.add('rework');
    if (c.postponeCount > 0 || history.some((h) => h.action === 'approve_postpone')) flags.add('postponed');
  }
  const signed = first((h) => h.action === 'sign' || h.action === 'second_dispatch');
  if (signed) explain.signedAt = signed.at;
  if (firstDispatch && signed) {
    explain.signLate = stageLate(history, 'sign', firstDispatch.at, signed.at);
    if (!explain.signLate) flags.add('signed_on_time');
  }

  // Callback: the latest seat callback with a result; the citizen's own rating when no seat callback exists.
  const cb = last((h) => h.action === 'callback' && callbackResultOf(h) !== null)
    ?? last((h) => h.action === 'public_rating' && callbackResultOf(h) !== null);
  if (cb) {
    const result = callbackResultOf(cb)!;
    flags.add('called_back');
    explain.callbackResult = result;
    explain.callbackSource = cb.action === 'public_rating' ? 'public_rating' : 'callback';
    if (result !== 'unsatisfied') flags.add('satisfied');
    const solved = typeof cb.details.solved === 'boolean' ? cb.details.solved : result !== 'unsatisfied';
    if (solved) flags.add('resolved');
  }

  // People: who reported (patrol), verified and checked it.
  const reporterId = c.channel === 'patrol' ? c.createdBy : null;
  const verify = last((h) => h.action === 'verify');
  const verifyAsked = last((h) => h.action === 'request_verify');
  if (verify) {
    flags.add('verified');
    explain.verifyLate = stageLate(history, 'verify', verifyAsked?.at, verify.at);
    if (!explain.verifyLate) flags.add('verified_on_time');
  }
  const check = last((h) => h.action === 'check_pass' || h.action === 'check_fail');
  const sentCheck = last((h) => h.action === 'send_check');
  if (check) {
    flags.add('checked');
    explain.checkLate = stageLate(history, 'check', sentCheck?.at, check.at);
    if (!explain.checkLate) flags.add('checked_on_time');
  }

  // Exclusions (无理诉求) and special closures leave the scores; an accepted appeal leaves THAT unit's assessment.
  const exclusion = last((h) => h.action === 'exclusion_approved' || h.action === 'exclusion_revoked' || h.action === 'exclusion_rejected');
  const excluded = exclusion?.action === 'exclusion_approved';
  if (excluded) { flags.add('excluded'); explain.exclusionReason = str(exclusion!.details.reason) ?? undefined; }
  const special = c.closureType === 'special';
  if (special) flags.add('special_closed');
  if (excluded || special) for (const f of SCORED_FLAGS) flags.delete(f);
  if (excluded) { counts.buck_passing = 0; counts.supervised = 0; counts.urged = 0; }

  let unitId = lastUnit;
  let appealUnitId: string | null = null;
  const appealed = history.filter((h) => h.action === 'appeal_accepted').map((h) => str(h.details.unitId)).filter((u): u is string => !!u);
  if (unitId && appealed.includes(unitId)) { appealUnitId = unitId; unitId = null; explain.appealUnitId = appealUnitId; }

  const closedAt = c.closedAt ?? undefined;
  const sendCheck = last((h) => h.action === 'send_check');
  const checkDone = last((h) => h.action === 'check_pass');
  const durations: Record<Stage, number | null> = {
    dispatch: minutes(registered?.at, firstDispatch?.at),
    sign: minutes(firstDispatch?.at, signed?.at),
    handle: flags.has('handled') ? minutes(firstDispatch?.at, lastDispose?.at, hungMs) : null,
    check: sendCheck && checkDone && checkDone.at >= sendCheck.at ? minutes(sendCheck.at, checkDone.at) : null,
    total: flags.has('closed') ? minutes(c.createdAt, closedAt) : null,
  };

  return {
    caseId: c.id, day: localDay(c.createdAt, utcOffsetMinutes), unitId, appealUnitId,
    districtId: c.districtId, streetId: c.streetId, communityId: c.communityId, gridId: c.gridId,
    matterClass: c.matterCode.slice(0, 2), channel: c.channel, urgency: c.urgency,
    reporterId, verifierId: verify?.actorId ?? null, checkerId: check?.actorId ?? null, holderUserId: c.assignedUserId,
    flags, counts, durations, explain,
  };
}

/** Flags as the stored bit mask (bit i = FLAGS[i]). */
export const flagMask = (flags: ReadonlySet<Flag>): number => FLAGS.reduce((m, f, i) => (flags.has(f) ? m + 2 ** i : m), 0);
export const flagsOf = (mask: number): Set<Flag> => new Set(FLAGS.filter((_, i) => Math.floor(mask / 2 ** i) % 2 === 1));
export const flagBit = (f: Flag): number => 2 ** FLAGS.indexOf(f);
