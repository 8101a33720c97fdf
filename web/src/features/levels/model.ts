/** Levels of platform in the console: labels, the level actions and their live topics (from the domain, not copied). */
import { LEVEL_ACTIONS as ACTIONS, type LevelAction } from '../../../../src/domain/case/level-types.ts';
import { LEVEL_LABELS } from '../../../../src/domain/levels/levels.ts';
import type { Msg } from '../../app/i18n.ts';

export type { LevelAction };
export const LEVEL_ACTIONS: readonly LevelAction[] = ACTIONS;
export const isLevelAction = (a: string): boolean => (ACTIONS as readonly string[]).includes(a);

/** 街镇平台 / 区级平台 / 市级平台. */
export const LEVEL_MSG: Record<string, Msg> = LEVEL_LABELS;

const ACTION_MSG: Record<LevelAction, Msg> = {
  escalate: { zh: '上报', en: 'Escalate' }, assign_down: { zh: '下派', en: 'Assign down' },
  accept_transfer: { zh: '接收', en: 'Accept' }, refuse_transfer: { zh: '退回（拒收）', en: 'Refuse' },
};
export const levelMsg = (a: LevelAction): Msg => ACTION_MSG[a];

export const TRANSFER_KIND: Record<string, Msg> = {
  escalate: { zh: '上报', en: 'Escalation' }, assign_down: { zh: '下派', en: 'Assignment down' },
};
export const TRANSFER_STATUS: Record<string, Msg> = {
  pending: { zh: '待接收', en: 'waiting' }, accepted: { zh: '已接收', en: 'accepted' }, refused: { zh: '已退回', en: 'refused' },
  withdrawn: { zh: '已撤销（案件已结束）', en: 'withdrawn (case closed)' },
};

/** The outbox topics of the level actions (src/commands/level-transfer.ts). */
export const LEVEL_TOPICS: readonly string[] = ['case.escalated', 'case.assigned_down', 'case.transfer_accepted', 'case.transfer_refused'];
