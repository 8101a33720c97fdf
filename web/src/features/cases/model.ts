/**
 * What the case pages share: the Case and history shapes of the API (from the generated schema), the
 * Chinese/English labels of states, urgencies, actions and deadline levels, and the live countdown clock.
 */
import { useEffect, useState } from 'react';
import { STATES, type State } from '../../../../src/domain/case/states.ts';
import { ACTIONS } from '../../../../src/domain/case/transitions.ts';
import type { Msg } from '../../app/i18n.ts';
import { api, type ItemOf, type QueryOf, type ResponseOf, type Schema } from '../../app/api.ts';

/** A case as the API returns it (GET /api/v1/cases/{id}, the list's items, the action answers). */
export type CaseDto = Schema<'Case'>;
export type CaseList = ResponseOf<'/api/v1/cases', 'get'>;
export type CaseQuery = QueryOf<'/api/v1/cases', 'get'>;
export type History = ResponseOf<'/api/v1/cases/{id}/history', 'get'>;
export type HistoryItem = ItemOf<History>;
export type Unit = ItemOf<ResponseOf<'/api/v1/units', 'get'>>;

/**
 * The extra time of a postponement, from a history row's `details.extra` or the case's `pendingRequest.extra`
 * (free-form maps in the document: `{ [key]: unknown }`), read with typeof checks.
 */
export function extraTime(x: unknown): { amount: number; unit: string | undefined } | undefined {
  if (!x || typeof x !== 'object') return undefined;
  const { amount, unit } = x as Record<string, unknown>;
  return typeof amount === 'number' ? { amount, unit: typeof unit === 'string' ? unit : undefined } : undefined;
}

// ---- labels --------------------------------------------------------------------------------------------

export const STATE_LIST: readonly { state: State; label: Msg; open: boolean }[] = STATES.map((s) => ({ state: s.state, label: { zh: s.zh, en: s.en }, open: s.open }));
export const stateMsg = (state: string): Msg => {
  const s = STATES.find((x) => x.state === state);
  return s ? { zh: s.zh, en: s.en } : { zh: state, en: state };
};
export const isOpenState = (state: string) => state !== 'ARCHIVED' && state !== 'CANCELLED';

export const URGENCY: Record<string, Msg> = {
  normal: { zh: '一般', en: 'Normal' }, urgent: { zh: '紧急', en: 'Urgent' }, very_urgent: { zh: '非常紧急', en: 'Very urgent' },
};
export const urgencyMsg = (u: string): Msg => URGENCY[u] ?? { zh: u, en: u };

export const ALERT: Record<string, Msg> = {
  normal: { zh: '正常', en: 'On time' }, warning: { zh: '预警', en: 'Warning' }, overdue: { zh: '超时', en: 'Overdue' },
};

export const STAGE: Record<string, Msg> = {
  dispatch: { zh: '立案派遣', en: 'Dispatch' }, sign: { zh: '签收', en: 'Sign' }, verify: { zh: '核实', en: 'Verify' },
  check: { zh: '核查', en: 'Check' }, handle: { zh: '处置', en: 'Handling' }, dispute: { zh: '争议裁定', en: 'Dispute ruling' },
};

export const CHANNEL: Record<string, Msg> = {
  hotline: { zh: '12345热线', en: 'Hotline' }, patrol: { zh: '巡查上报', en: 'Patrol' }, open311: { zh: 'Open311', en: 'Open311' },
  app: { zh: '市民App', en: 'Citizen app' }, iot: { zh: '物联感知', en: 'IoT' }, video: { zh: '视频AI', en: 'Video AI' },
  department: { zh: '部门推送', en: 'Department' }, superior: { zh: '上级交办', en: 'Superior' }, media: { zh: '媒体曝光', en: 'Media' },
  petition: { zh: '信访', en: 'Petition' }, other: { zh: '其他', en: 'Other' },
};

const EXTRA_ACTIONS: Record<string, Msg> = {
  report: { zh: '上报', en: 'Reported' },
  report_registered: { zh: '上报并立案', en: 'Reported and registered' },
  linked_duplicate: { zh: '关联为重复案件', en: 'Linked as a duplicate' },
  merged_into: { zh: '合并到主案件', en: 'Merged into a master case' },
  duplicate_merged: { zh: '并入重复案件', en: 'Duplicate merged in' },
  duplicate_split: { zh: '拆出重复案件', en: 'Duplicate split off' },
  split_from: { zh: '从主案件拆分', en: 'Split from its master' },
  merge_into: { zh: '合并重复案件', en: 'Merge into…' },
  split: { zh: '拆分', en: 'Split off' },
  // 联勤联动 (web/src/features/joint)
  assist_assign: { zh: '派发协办任务', en: 'Assisting task assigned' },
  assist_sign: { zh: '协办签收', en: 'Assisting task signed' },
  assist_return: { zh: '协办退回', en: 'Assisting task returned' },
  assist_complete: { zh: '协办完成', en: 'Assisting task done' },
  assist_waive: { zh: '免除协办', en: 'Assisting task waived' },
  assist_rule: { zh: '协办争议裁定', en: 'Assisting task ruled' },
  assist_overdue: { zh: '协办超时', en: 'Assisting task overdue' },
  emergency_rang: { zh: '紧急警报响铃', en: 'Emergency alert rang' }, // issue 9 §5 (src/commands/emergency-raise.ts)
  emergency_escalated: { zh: '警报无人确认，逐级上升', en: 'Alert escalated (unacknowledged)' },
  emergency_unanswered: { zh: '警报至市级仍无人确认', en: 'Alert unanswered at the top' },
  emergency_acknowledged: { zh: '确认接警', en: 'Alert acknowledged' },
  incident_linked: { zh: '纳入重大事件指挥', en: 'Grouped under a major incident' },
  // 考核台 (issue 10: web/src/features/callbacks, appeals, supervision)
  callback_attempt: { zh: '回访未接通', en: 'Callback attempt (unreachable)' },
  public_rating: { zh: '群众评价', en: 'Citizen rating' },
  exclusion_requested: { zh: '申请认定无理诉求', en: 'Exclusion requested (unreasonable)' },
  exclusion_approved: { zh: '认定为无理诉求', en: 'Excluded as unreasonable' },
  exclusion_rejected: { zh: '驳回无理诉求认定', en: 'Exclusion rejected' },
  exclusion_revoked: { zh: '撤销无理诉求认定', en: 'Exclusion revoked' },
  appeal_filed: { zh: '提出申诉', en: 'Appeal filed' },
  appeal_accepted: { zh: '申诉成立', en: 'Appeal accepted' },
  appeal_rejected: { zh: '申诉驳回', en: 'Appeal rejected' },
  supervision_answered: { zh: '督办回复', en: 'Supervision answered' },
  supervision_raised: { zh: '督办升级', en: 'Supervision raised a tier' },
  // 城市感知 (issue 11: web/src/features/alarms)
  alarm_linked: { zh: '告警并入本案', en: 'Alarm linked to this case' },
  alarm_cleared: { zh: '告警已恢复正常', en: 'Alarm cleared (back to normal)' },
  alarm_reraised: { zh: '告警再次触发', en: 'Alarm raised again' },
  alarm_false: { zh: '标记为误报', en: 'Marked as a false alarm' },
};
/** An action (history row, button) in Chinese / English. */
export function actionMsg(action: string): Msg {
  const a = ACTIONS.find((x) => x.action === action);
  return a ? { zh: a.zh, en: a.en } : EXTRA_ACTIONS[action] ?? { zh: action, en: action };
}

export const SUPERVISION_LEVEL: Record<string, Msg> = {
  urge: { zh: '催办', en: 'Urge' }, supervise: { zh: '督办', en: 'Supervise' }, leader: { zh: '领导督办', en: 'Leader supervision' },
};

export const LIMIT_UNITS: Record<string, Msg> = {
  natural_minutes: { zh: '自然分钟', en: 'minutes' }, natural_hours: { zh: '自然小时', en: 'hours' }, natural_days: { zh: '自然日', en: 'days' },
  work_hours: { zh: '工作小时', en: 'work hours' }, work_days: { zh: '工作日', en: 'work days' },
};

// ---- deadlines -----------------------------------------------------------------------------------------

export type Level = 'normal' | 'warning' | 'overdue';
const rank: Record<Level, number> = { normal: 0, warning: 1, overdue: 2 };
const ms = (s: string | null | undefined) => (s ? Date.parse(s) : NaN);

/** The level of one clock now: red past the deadline, yellow past the warning. */
export function clockLevel(now: number, dueAt: string | null, warnAt: string | null): Level {
  const due = ms(dueAt);
  if (Number.isFinite(due) && now >= due) return 'overdue';
  const warn = ms(warnAt);
  if (Number.isFinite(warn) && now >= warn) return 'warning';
  return 'normal';
}

/** The queue's countdown: to the nearest running deadline, coloured by the server's level or the clock, whichever is worse. */
export function caseCountdown(c: CaseDto, now: number): { remainingMs: number | null; level: Level } {
  const d = c.deadlines;
  if (!d.dueAt || !isOpenState(c.state)) return { remainingMs: null, level: 'normal' };
  const warnAt = d.dueAt === d.handleDueAt ? d.handleWarnAt : d.stageWarnAt;
  const local = clockLevel(now, d.dueAt, warnAt);
  const server = (['normal', 'warning', 'overdue'].includes(d.alertLevel) ? d.alertLevel : 'normal') as Level;
  return { remainingMs: ms(d.dueAt) - now, level: rank[server] > rank[local] ? server : local };
}

// One shared ticker for every countdown on the page.
const tickers = new Set<(n: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;
/** The current time, re-rendering every `everyMs` (shared interval). */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    tickers.add(setNow);
    if (!timer) timer = setInterval(() => { const n = Date.now(); tickers.forEach((f) => f(n)); }, 1000);
    return () => {
      tickers.delete(setNow);
      if (tickers.size === 0 && timer) { clearInterval(timer); timer = undefined; }
    };
  }, []);
  return now;
}

/** Matches a media query (phone layout). */
export function useMedia(query: string): boolean {
  const [m, setM] = useState(() => typeof window !== 'undefined' && window.matchMedia(query).matches);
  useEffect(() => {
    const mq = window.matchMedia(query);
    const on = () => setM(mq.matches);
    mq.addEventListener('change', on);
    on();
    return () => mq.removeEventListener('change', on);
  }, [query]);
  return m;
}

let unitsCache: Promise<Unit[]> | undefined;
/** Every unit (GET /api/v1/units), loaded once per page load; [] when the request failed. */
export function useUnits(): Unit[] | undefined {
  const [units, setUnits] = useState<Unit[] | undefined>();
  useEffect(() => {
    let live = true;
    unitsCache ??= api.GET('/api/v1/units').then((r) => r.items);
    unitsCache.then((u) => { if (live) setUnits(u); }, () => { unitsCache = undefined; if (live) setUnits([]); });
    return () => { live = false; };
  }, []);
  return units;
}
