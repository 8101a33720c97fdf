/**
 * The indicators of domain.md §7, each with its definition (formula; what counts in the numerator and the
 * denominator; zh + en). The API returns these definitions beside every number, and the console shows them.
 */
import { BUCKETS_MIN, BUCKET_COUNT, COUNTER_COLUMNS, STAGES, type Stage } from './counters.ts';

export interface Text { zh: string; en: string }

export interface RateDef {
  id: string;
  kind: 'rate';
  name: Text;
  numerator: string;
  denominator: string;
  formula: Text;
  numeratorText: Text;
  denominatorText: Text;
  /** true: higher is better (scores use the rate); false: lower is better (scores use 1 − rate). */
  higherIsBetter: boolean;
}
export interface CountDef { id: string; kind: 'count'; name: Text; counter: string; formula: Text; higherIsBetter: boolean }
export interface DurationDef { id: string; kind: 'duration'; name: Text; stage: Stage; stat: 'avg' | 'p90'; formula: Text }
export type IndicatorDef = RateDef | CountDef | DurationDef;

const rate = (id: string, zh: string, en: string, numerator: string, denominator: string, nText: Text, dText: Text, higherIsBetter = true): RateDef => ({
  id, kind: 'rate', name: { zh, en }, numerator, denominator, higherIsBetter,
  formula: { zh: `${zh} = ${nText.zh} ÷ ${dText.zh}`, en: `${en} = ${nText.en} / ${dText.en}` },
  numeratorText: nText, denominatorText: dText,
});

const T = (zh: string, en: string): Text => ({ zh, en });
const TO_HANDLE = T('应处置数（已派遣、未挂账、未剔除、非特殊结案的案件）', 'cases to handle (dispatched; not hung, excluded or closed as special)');
const CALLED_BACK = T('回访数（有回访结果的案件：最近一次坐席回访，无坐席回访时取群众自评；无法联系不计）', 'cases called back (latest seat callback with a result; the citizen\'s own rating when there is none; unreachable does not count)');
const DISPATCHED = T('派遣数（派遣过的案件，未剔除）', 'cases dispatched (not excluded)');

export const RATES: readonly RateDef[] = [
  rate('disposal_rate', '处置率', 'Disposal rate', 'handled', 'to_handle',
    T('处置数（已处置反馈且此后未返工或重启的案件）', 'cases handled (disposal reported and not sent back to rework or reopened since)'), TO_HANDLE),
  rate('on_time_disposal_rate', '按期处置率', 'On-time disposal rate', 'handled_on_time', 'to_handle',
    T('按期处置数（最近一次处置反馈在当时的处置时限之前；挂账时间不计，批准的延期计入时限）', 'cases handled on time (latest disposal before the handling deadline in force then; hung time excluded, approved postponements included)'), TO_HANDLE),
  rate('closure_rate', '结案率', 'Closure rate', 'closed', 'to_handle',
    T('结案数（正常、超时、差错结案的案件）', 'cases closed (normal, overdue or erroneous closure)'), T('应结案数（= 应处置数）', 'cases to close (= cases to handle)')),
  rate('on_time_closure_rate', '按期结案率', 'On-time closure rate', 'closed_on_time', 'to_handle',
    T('按期结案数（正常结案：核查通过时从未超期）', 'cases closed on time (normal closure: never overdue when the check passed)'), T('应结案数（= 应处置数）', 'cases to close (= cases to handle)')),
  rate('rework_rate', '返工率', 'Rework rate', 'rework', 'to_handle',
    T('返工数（至少一次核查不通过的案件）', 'cases reworked (failed a check at least once)'), T('应结案数', 'cases to close'), false),
  rate('postpone_rate', '延期率', 'Postponement rate', 'postponed', 'to_handle',
    T('延期数（至少一次批准延期的案件）', 'cases postponed (at least one approved postponement)'), TO_HANDLE, false),
  rate('overdue_pending_rate', '超期待处置率', 'Overdue pending rate', 'overdue_open', 'to_handle',
    T('超期待处置数（未处置、未挂账且已过处置时限的案件）', 'cases overdue and not handled (not hung; past the handling deadline)'), TO_HANDLE, false),
  rate('dispatch_accuracy', '准确派遣率', 'First-dispatch accuracy', 'dispatched_right', 'dispatched',
    T('准确派遣数（首次派遣后从未退回的案件）', 'cases never returned after dispatch'), DISPATCHED),
  rate('satisfaction_rate', '满意率', 'Satisfaction rate', 'satisfied', 'called_back',
    T('满意数（满意 + 基本满意）', 'satisfied + basically satisfied'), CALLED_BACK),
  rate('response_rate', '响应率（北京）', 'Response rate (Beijing)', 'signed_on_time', 'dispatched',
    T('按时响应数（在签收时限内签收或二级派遣的案件）', 'cases signed (or passed down) within the signing limit'), DISPATCHED),
  rate('resolution_rate', '解决率（北京）', 'Resolution rate (Beijing)', 'resolved', 'called_back',
    T('解决数（回访中群众认为已解决；回访未问时以非“不满意”计）', 'cases the reporter called solved (without that question: result other than unsatisfied)'), CALLED_BACK),
  rate('valid_report_rate', '有效上报率', 'Valid report rate', 'valid', 'reported',
    T('有效上报数（立案的上报）', 'reports registered'), T('上报数', 'reports')),
  rate('verify_on_time_rate', '按时核实率', 'On-time verification rate', 'verified_on_time', 'verified',
    T('按时核实数（核实环节未被时限监控判为超时）', 'verifications not flagged overdue by the deadline sweep'), T('核实数', 'verifications')),
  rate('check_on_time_rate', '按时核查率', 'On-time check rate', 'checked_on_time', 'checked',
    T('按时核查数（核查环节未被时限监控判为超时）', 'checks not flagged overdue by the deadline sweep'), T('核查数', 'checks')),
];

const count = (counter: string, zh: string, en: string, higherIsBetter = true): CountDef =>
  ({ id: counter, kind: 'count', name: { zh, en }, counter, higherIsBetter, formula: T(`${zh}：满足条件的案件数`, `${en}: number of cases`) });

export const COUNT_DEFS: readonly CountDef[] = [
  count('reported', '上报数', 'Reported'), count('accepted', '受理数', 'Accepted'), count('valid', '立案数（有效上报）', 'Registered (valid)'),
  count('dispatched', '派遣数', 'Dispatched'), count('to_handle', '应处置数', 'To handle'), count('handled', '处置数', 'Handled'),
  count('handled_on_time', '按期处置数', 'Handled on time'), count('overdue_open', '超期待处置数', 'Overdue, not handled', false),
  count('closed', '结案数', 'Closed'), count('closed_on_time', '按期结案数', 'Closed on time'), count('rework', '返工数', 'Reworked', false),
  count('postponed', '延期数', 'Postponed', false), count('returned', '退回数', 'Returned', false),
  { ...count('buck_passing', '推诿数', 'Buck-passing', false), formula: T('推诿数：单位退回后又被裁定由其办理的次数', 'Buck-passing: times a unit was ruled back to a case it returned') },
  { ...count('supervised', '督办数', 'Supervised', false), formula: T('督办数：督办与领导督办次数（催办不计）', 'Supervised: supervision and leader supervision notices (urging not counted)') },
  { ...count('urged', '催办数', 'Urged', false), formula: T('催办数：催办次数（展示，不计分）', 'Urged: urging notices (shown, not scored)') },
  count('cancelled', '作废数', 'Cancelled'), count('self_fixed', '自行处置数', 'Self-fixed'), count('hung', '挂账数', 'Hung'),
  count('excluded', '无理诉求剔除数', 'Excluded (unreasonable)'), count('appeal_accepted', '申诉成立数', 'Appeals accepted'),
  count('special_closed', '特殊结案数', 'Special closures'), count('called_back', '回访数', 'Called back'), count('satisfied', '满意数', 'Satisfied'),
  count('verified', '核实数', 'Verified'), count('checked', '核查数', 'Checked'),
];

const STAGE_TEXT: Record<Stage, Text> = {
  dispatch: T('立案→派遣', 'registration → dispatch'), sign: T('派遣→签收', 'dispatch → signing'),
  handle: T('派遣→处置（扣除挂账时间）', 'dispatch → disposal (hung time excluded)'), check: T('发起核查→核查通过', 'sent for check → check passed'),
  total: T('上报→结案', 'report → closure'),
};

export const DURATION_DEFS: readonly DurationDef[] = STAGES.flatMap((s): DurationDef[] => [
  { id: `avg_${s}`, kind: 'duration', stage: s, stat: 'avg', name: T(`平均时长 ${STAGE_TEXT[s].zh}`, `Average ${STAGE_TEXT[s].en}`),
    formula: T(`各案件 ${STAGE_TEXT[s].zh} 的分钟数之和 ÷ 有该环节的案件数`, `sum of minutes ${STAGE_TEXT[s].en} / cases with that stage`) },
  { id: `p90_${s}`, kind: 'duration', stage: s, stat: 'p90', name: T(`P90 时长 ${STAGE_TEXT[s].zh}`, `P90 ${STAGE_TEXT[s].en}`),
    formula: T('90% 的案件不超过该时长（按分档统计：15分、30分、1、2、4、8小时，1、2、3、5、7、15天）', '90 % of cases took at most this long (to bucket resolution: 15, 30 min, 1, 2, 4, 8 h, 1, 2, 3, 5, 7, 15 days)') },
]);

export const INDICATORS: readonly IndicatorDef[] = [...RATES, ...COUNT_DEFS, ...DURATION_DEFS];
export const RATE_BY_ID: ReadonlyMap<string, RateDef> = new Map(RATES.map((r) => [r.id, r]));

export type Sums = Record<string, number>;

export const sumsOf = (vector: readonly number[]): Sums => Object.fromEntries(COUNTER_COLUMNS.map((c, i) => [c, vector[i] ?? 0]));

/** A rate's value (0–1), or null when its denominator is 0. */
export const rateValue = (def: RateDef, s: Sums): number | null => {
  const d = s[def.denominator] ?? 0;
  return d > 0 ? (s[def.numerator] ?? 0) / d : null;
};

export function durationValue(def: DurationDef, s: Sums): number | null {
  const n = s[`d_${def.stage}_n`] ?? 0;
  if (n <= 0) return null;
  if (def.stat === 'avg') return Math.round((s[`d_${def.stage}_sum`] ?? 0) / n);
  let cum = 0;
  for (let b = 0; b < BUCKET_COUNT; b++) {
    cum += s[`d_${def.stage}_b${b}`] ?? 0;
    if (cum >= 0.9 * n) return b < BUCKETS_MIN.length ? BUCKETS_MIN[b] : null;
  }
  return null;
}

/** Every indicator of a slice: id → value (rates 0–1, counts, minutes; null = no denominator / open-ended). */
export function indicatorValues(s: Sums): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const d of INDICATORS) {
    out[d.id] = d.kind === 'rate' ? rateValue(d, s) : d.kind === 'count' ? (s[d.counter] ?? 0) : durationValue(d, s);
  }
  return out;
}

/** The counter behind a clickable number (rates drill into their numerator; the denominator is its own number). */
export function counterOfIndicator(id: string): string | null {
  const r = RATE_BY_ID.get(id);
  if (r) return r.numerator;
  const c = COUNT_DEFS.find((x) => x.id === id);
  return c ? c.counter : null;
}
