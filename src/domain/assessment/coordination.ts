/**
 * Coordination indicators (issue 9 → issue 10): how each unit does its part of joint action (联勤联动: the assisting
 * tasks of the bundled limit, 捆绑处置时限), how it answers summons (吹哨报到: on time, absent, the street's rating),
 * and — for the platforms of the levels (street, district) — how often they refuse what another level sends them
 * (两层皮 made visible). Counted on read from the records themselves (assisting tasks, summoned departments, case
 * transfers) over the period, each number with its definition, like the case indicators beside them.
 * A task, a summons or a transfer counts in the period of the instant it was issued.
 */
import type { Text } from './indicators.ts';

/** Raw sums per unit, as storage returns them. */
export interface AssistSums { tasks: number; due: number; done: number; doneOnTime: number; returns: number; kept: number; waived: number }
export interface SummonsSums { summoned: number; settled: number; reportedOnTime: number; reportedLate: number; absent: number; ratingSum: number; rated: number }
/** Per receiving platform (region): transfers sent to it (escalations up, assignments down). */
export interface TransferSums { received: number; decided: number; refused: number; pending: number }

export interface CoordinationDef { id: string; kind: 'count' | 'rate' | 'average'; group: 'assist' | 'summons' | 'levels'; name: Text; formula: Text; higherIsBetter: boolean }

const T = (zh: string, en: string): Text => ({ zh, en });
const def = (id: string, kind: CoordinationDef['kind'], group: CoordinationDef['group'], name: Text, formula: Text, higherIsBetter = true): CoordinationDef =>
  ({ id, kind, group, name, formula, higherIsBetter });

export const COORDINATION_DEFS: readonly CoordinationDef[] = [
  def('assist_tasks', 'count', 'assist', T('协办任务数', 'Assisting tasks'), T('协办任务数：期内派给本单位的协办任务（含被改派、免除的）', 'Assisting tasks: tasks given to the unit in the period (including reassigned and waived ones)')),
  def('assist_on_time_rate', 'rate', 'assist', T('协办按期完成率', 'Assisting on time'),
    T('协办按期完成率 = 在本单位协办时限内完成的任务 ÷ 应完成的协办任务（不含免除、改派的）', 'Assisting on time = tasks done within their limit / tasks to do (waived and reassigned ones excluded)')),
  def('assist_done', 'count', 'assist', T('协办完成数', 'Assisting tasks done'), T('协办完成数：已完成的协办任务', 'Assisting tasks done: tasks completed')),
  def('assist_returns', 'count', 'assist', T('协办退回次数', 'Assisting returns'), T('协办退回次数：本单位退回协办任务的次数', 'Assisting returns: times the unit returned a task'), false),
  def('assist_kept', 'count', 'assist', T('协办推诿数', 'Assisting buck-passing'),
    T('协办推诿数：退回后被中心裁定仍由本单位协办、且最终未被免除或改派的任务', 'Assisting buck-passing: tasks the unit returned that the centre ruled back to it (and did not later waive or reassign)'), false),
  def('summons_summoned', 'count', 'summons', T('被吹哨次数', 'Summoned'), T('被吹哨次数：期内街道吹哨点名本部门的次数', 'Summoned: times a street named the department in a summons in the period')),
  def('summons_on_time_rate', 'rate', 'summons', T('按时报到率', 'Reported on time'),
    T('按时报到率 = 报到时限内报到的次数 ÷ 已到时限或已报到的被吹哨次数', 'Reported on time = reports within the limit / summons whose limit has passed or that were answered')),
  def('summons_absent', 'count', 'summons', T('未报到数', 'Absent'), T('未报到数：超过报到时限未报到或吹哨关闭时被记为缺席的次数', 'Absent: summons the department did not answer within the limit, or was marked absent at closing'), false),
  def('summons_rating', 'average', 'summons', T('报到评价均分', 'Response rating'), T('报到评价均分 = 街道评分之和 ÷ 评分次数（1–5 分）', 'Response rating = sum of the streets\' ratings / ratings (1–5)')),
  def('level_received', 'count', 'levels', T('收到上报/下派数', 'Transfers received'), T('收到上报/下派数：期内其他层级平台上报或下派给本平台的案件（撤回的不计）', 'Transfers received: cases another level escalated or assigned to this platform in the period (withdrawn ones excluded)')),
  def('level_refusal_rate', 'rate', 'levels', T('拒收率', 'Refusal rate'), T('拒收率 = 拒收次数 ÷ 已决定的上报/下派次数', 'Refusal rate = refusals / transfers decided'), false),
  def('level_refused', 'count', 'levels', T('拒收数', 'Refused'), T('拒收数：本平台拒收（退回）其他层级上报或下派案件的次数，须填写理由', 'Refused: transfers this platform refused (with a reason)'), false),
];

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** The values of one unit's row (null: nothing to divide by). */
export function unitCoordination(a: AssistSums | undefined, s: SummonsSums | undefined): Record<string, number | null> {
  const A = a ?? { tasks: 0, due: 0, done: 0, doneOnTime: 0, returns: 0, kept: 0, waived: 0 };
  const S = s ?? { summoned: 0, settled: 0, reportedOnTime: 0, reportedLate: 0, absent: 0, ratingSum: 0, rated: 0 };
  return {
    assist_tasks: A.tasks, assist_on_time_rate: ratio(A.doneOnTime, A.due), assist_done: A.done, assist_returns: A.returns, assist_kept: A.kept,
    summons_summoned: S.summoned, summons_on_time_rate: ratio(S.reportedOnTime, S.settled), summons_absent: S.absent,
    summons_rating: S.rated > 0 ? Math.round((S.ratingSum / S.rated) * 100) / 100 : null,
  };
}

/** The values of one platform's row (a street or district region). */
export function levelCoordination(t: TransferSums | undefined): Record<string, number | null> {
  const X = t ?? { received: 0, decided: 0, refused: 0, pending: 0 };
  return { level_received: X.received, level_refusal_rate: ratio(X.refused, X.decided), level_refused: X.refused };
}

/** Which groups a slice shows: units do assisting tasks and answer summons; street and district platforms receive transfers. */
export const coordinationGroups = (dim: string): CoordinationDef['group'][] =>
  dim === 'unit' ? ['assist', 'summons'] : dim === 'street' || dim === 'district' ? ['levels'] : [];
