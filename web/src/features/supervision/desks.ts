/** The assessment desks (回访 / 申诉 / 无理诉求 / 督办) in the console: types from the generated API, labels, shared helpers. */
import { api, type ResponseOf } from '../../app/api.ts';
import type { Msg } from '../../app/i18n.ts';

export type CaseDesks = ResponseOf<'/api/v1/cases/{id}/desks', 'get'>;
export type CallbackTask = CaseDesks['callbacks'][number];
export type Exclusion = CaseDesks['exclusions'][number];
export type Appeal = CaseDesks['appeals'][number];
export type Notice = CaseDesks['notices'][number];
export type QueueItem = ResponseOf<'/api/v1/callbacks', 'get'>['items'][number];

export const label = (m: Record<string, Msg>, k: string | null | undefined): Msg => (k && m[k]) || { zh: k ?? '—', en: k ?? '—' };

export const TASK_STATE: Record<string, Msg> = {
  waiting: { zh: '待回访', en: 'Waiting' }, claimed: { zh: '回访中', en: 'Claimed' }, done: { zh: '已回访', en: 'Called back' },
  unreachable: { zh: '无法联系归档', en: 'Unreachable' }, rated: { zh: '市民已评价', en: 'Rated by the citizen' },
};
export const RESULT: Record<string, Msg> = {
  satisfied: { zh: '满意', en: 'Satisfied' }, basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'Unsatisfied' }, unreachable: { zh: '无法联系', en: 'Unreachable' },
};
export const EXCLUSION_STATE: Record<string, Msg> = {
  requested: { zh: '待审核', en: 'Requested' }, approved: { zh: '已认定', en: 'Approved' }, rejected: { zh: '已驳回', en: 'Rejected' }, revoked: { zh: '已撤销', en: 'Revoked' },
};
export const APPEAL_STATE: Record<string, Msg> = { open: { zh: '待裁决', en: 'Open' }, accepted: { zh: '申诉成立', en: 'Accepted' }, rejected: { zh: '申诉驳回', en: 'Rejected' } };
export const NOTICE_STATE: Record<string, Msg> = { open: { zh: '待答复', en: 'Waiting for the answer' }, answered: { zh: '已答复', en: 'Answered' } };
export const LEVEL: Record<string, Msg> = { urge: { zh: '催办', en: 'Urge' }, supervise: { zh: '督办', en: 'Supervise' }, leader: { zh: '领导督办', en: 'Leader' } };
export const TIER: Record<string, Msg> = { unit: { zh: '单位', en: 'Unit' }, district: { zh: '区级', en: 'District' }, city: { zh: '市级', en: 'City' } };
export const DESK_ACTION: Record<string, Msg> = {
  claimed: { zh: '领取', en: 'Claimed' }, released: { zh: '释放', en: 'Released' }, attempt: { zh: '拨打未接通', en: 'Unreachable attempt' },
  answered: { zh: '答复', en: 'Answered' }, rated: { zh: '市民评价', en: 'Rated' }, requested: { zh: '申请', en: 'Requested' },
  approved: { zh: '认定', en: 'Approved' }, rejected: { zh: '驳回', en: 'Rejected' }, revoked: { zh: '撤销', en: 'Revoked' },
  filed: { zh: '提出申诉', en: 'Filed' }, accepted: { zh: '申诉成立', en: 'Accepted' }, issued: { zh: '下发督办单', en: 'Issued' },
  raised: { zh: '自动升级', en: 'Raised' },
};
export const DESK_TOPICS = [
  'callback.claimed', 'callback.released', 'case.callback_attempt', 'case.public_rating', 'case.transitioned', 'exclusion.requested', 'exclusion.approved',
  'exclusion.rejected', 'exclusion.revoked', 'appeal.filed', 'appeal.accepted', 'appeal.rejected', 'supervision.answered', 'supervision.raised',
] as const;

/** Uploads files as attachments; returns their ids. */
export async function uploadAll(files: File[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of files) {
    const fd = new FormData();
    fd.append('file', f, f.name);
    ids.push((await api.upload('/api/v1/attachments', fd)).id);
  }
  return ids;
}
