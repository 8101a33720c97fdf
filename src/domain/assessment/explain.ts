/**
 * Why a case counted (the drill-down): one line per counter, built from the stored facts' explanation, e.g.
 * "处置 2026-11-03 14:02，时限 2026-11-03 17:00 → 按期 / handled 2026-11-03 14:02, deadline 2026-11-03 17:00 → on time".
 */
import type { Explain } from './facts.ts';
import type { Text } from './indicators.ts';

const fmt = (ms: number | null | undefined, off: number): string => {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms + off * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
};

const CLOSURE: Record<string, Text> = {
  normal: { zh: '正常结案', en: 'normal closure' }, overdue: { zh: '超时结案', en: 'overdue closure' },
  erroneous: { zh: '差错结案', en: 'erroneous closure' }, special: { zh: '特殊结案', en: 'special closure' },
};
const RESULT: Record<string, Text> = {
  satisfied: { zh: '满意', en: 'satisfied' }, basically_satisfied: { zh: '基本满意', en: 'basically satisfied' }, unsatisfied: { zh: '不满意', en: 'unsatisfied' },
};

export function reasonFor(counter: string, e: Explain, utcOffsetMinutes: number): Text {
  const t = (ms: number | null | undefined) => fmt(ms, utcOffsetMinutes);
  switch (counter) {
    case 'handled':
    case 'handled_on_time':
      return e.disposedAt === undefined ? { zh: '未处置', en: 'not handled' } : {
        zh: `处置 ${t(e.disposedAt)}，时限 ${t(e.disposeDueAt)} → ${e.late ? '超期' : '按期'}${e.hungMinutes ? `（挂账 ${e.hungMinutes} 分钟不计）` : ''}`,
        en: `handled ${t(e.disposedAt)}, deadline ${t(e.disposeDueAt)} → ${e.late ? 'late' : 'on time'}${e.hungMinutes ? ` (${e.hungMinutes} min hung not counted)` : ''}`,
      };
    case 'overdue_open':
      return { zh: `未处置，时限 ${t(e.handleDueAt)} 已过`, en: `not handled, deadline ${t(e.handleDueAt)} passed` };
    case 'closed':
    case 'closed_on_time': {
      const c = CLOSURE[e.closureType ?? ''] ?? { zh: e.closureType ?? '—', en: e.closureType ?? '—' };
      return { zh: `结案 ${t(e.closedAt)}，${c.zh}`, en: `closed ${t(e.closedAt)}, ${c.en}` };
    }
    case 'returned':
    case 'dispatched':
    case 'dispatched_right':
      return e.returns ? { zh: `派遣 ${t(e.dispatchedAt)}，退回 ${e.returns} 次`, en: `dispatched ${t(e.dispatchedAt)}, returned ${e.returns} time(s)` }
        : { zh: `派遣 ${t(e.dispatchedAt)}，未退回`, en: `dispatched ${t(e.dispatchedAt)}, never returned` };
    case 'signed_on_time':
      return { zh: `派遣 ${t(e.dispatchedAt)}，签收 ${t(e.signedAt)}${e.signLate ? '（超时）' : ''}`, en: `dispatched ${t(e.dispatchedAt)}, signed ${t(e.signedAt)}${e.signLate ? ' (late)' : ''}` };
    case 'called_back':
    case 'satisfied':
    case 'resolved': {
      const r = RESULT[e.callbackResult ?? ''] ?? { zh: '—', en: '—' };
      const src = e.callbackSource === 'public_rating' ? { zh: '群众自评', en: 'citizen rating' } : { zh: '坐席回访', en: 'seat callback' };
      return { zh: `${src.zh}：${r.zh}`, en: `${src.en}: ${r.en}` };
    }
    case 'excluded':
      return { zh: `无理诉求，已批准剔除${e.exclusionReason ? `：${e.exclusionReason}` : ''}`, en: `unreasonable request, exclusion approved${e.exclusionReason ? `: ${e.exclusionReason}` : ''}` };
    case 'appeal_accepted':
      return { zh: '申诉成立，不计入该单位考核', en: 'appeal accepted: not counted for this unit' };
    case 'hung':
      return { zh: `挂账中${e.hungMinutes ? `（已 ${e.hungMinutes} 分钟）` : ''}，不计入应处置与超期`, en: `hung${e.hungMinutes ? ` (${e.hungMinutes} min)` : ''}: not in cases to handle or overdue` };
    case 'special_closed':
      return { zh: `特殊结案 ${t(e.closedAt)}，不计分`, en: `special closure ${t(e.closedAt)}: not scored` };
    case 'verified':
    case 'verified_on_time':
      return { zh: e.verifyLate ? '核实超时' : '按时核实', en: e.verifyLate ? 'verified late' : 'verified on time' };
    case 'checked':
    case 'checked_on_time':
      return { zh: e.checkLate ? '核查超时' : '按时核查', en: e.checkLate ? 'checked late' : 'checked on time' };
    default:
      return { zh: `登记 ${t(e.registeredAt)}，派遣 ${t(e.dispatchedAt)}`, en: `registered ${t(e.registeredAt)}, dispatched ${t(e.dispatchedAt)}` };
  }
}
