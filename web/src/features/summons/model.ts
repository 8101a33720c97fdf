/** Summons (吹哨报到) labels and types for the console, from the generated API types. */
import type { ResponseOf } from '../../app/api.ts';
import type { Msg } from '../../app/i18n.ts';

export type Summons = ResponseOf<'/api/v1/summons/{id}', 'get'>;
export type Department = Summons['departments'][number];

export const KIND: Record<string, Msg> = {
  routine: { zh: '日常哨', en: 'Routine' },
  tackling: { zh: '攻坚哨', en: 'Tackling' },
  emergency: { zh: '应急哨', en: 'Emergency' },
};
export const MODE: Record<string, Msg> = { on_site: { zh: '现场', en: 'On site' }, online: { zh: '线上', en: 'Online' } };
export const OUTCOME: Record<string, Msg> = {
  resolved: { zh: '已解决', en: 'Resolved' },
  dispatched: { zh: '转派遣处置', en: 'Handed to dispatch' },
  escalated: { zh: '上报上级', en: 'Escalated' },
};
export const DEPT_STATE: Record<string, Msg> = {
  summoned: { zh: '待报到', en: 'To report' },
  reported: { zh: '已报到', en: 'Reported' },
  absent: { zh: '缺席', en: 'Absent' },
};
export const HISTORY_ACTION: Record<string, Msg> = {
  issued: { zh: '吹哨', en: 'Whistle blown' },
  reported: { zh: '报到', en: 'Reported' },
  overdue: { zh: '超时未报到', en: 'Past the limit' },
  absent: { zh: '缺席', en: 'Absent' },
  closed: { zh: '结束', en: 'Closed' },
  rated: { zh: '评价', en: 'Rated' },
};
export const SUMMONS_TOPICS = ['summons.issued', 'summons.reported', 'summons.overdue', 'summons.closed', 'summons.rated'] as const;
export const label = (m: Record<string, Msg>, k: string | null | undefined): Msg => (k && m[k]) || { zh: k ?? '—', en: k ?? '—' };
