/**
 * The joint-action board of a case: the lead and every assisting task with its deadline, handler, result, photos and
 * part of the bundled limit, plus what the caller may do with each (so the console does not copy the rules).
 * No personal data: handlers are staff, named as they signed.
 */
import {
  ASSIST_STATE_LABELS, allowedAssistActions, assistPart, isOpenAssist, type AssistCaseFacts, type AssistTask,
} from '../../../domain/joint/assist.ts';
import type { Actor } from '../../../domain/policy/scope.ts';
import type { ReferenceCache } from '../../../runtime/reference-cache.ts';
import type { AssistTaskRow } from '../../../storage/repositories/assist.repository.ts';
import type { CaseRow, HistoryRow } from '../../../storage/repositories/case.repository.ts';
import { toAssistTask } from '../../../commands/assist-tasks.ts';

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export function presentAssistBoard(
  row: CaseRow, rows: AssistTaskRow[], history: HistoryRow[], ref: ReferenceCache, actor: Actor, facts: AssistCaseFacts, mayAdd: boolean, now: number,
) {
  const units = ref.current().units;
  const unit = (id: string) => ({ id, name: units.get(id)?.name ?? id });
  const lastAt = (action: string) => {
    for (let i = history.length - 1; i >= 0; i--) if (history[i].action === action) return Number(history[i].at);
    return null;
  };
  const tasks = rows.map((r) => ({ r, t: toAssistTask(r) }));
  const handleDue = row.handle_due_at === null ? null : Number(row.handle_due_at);
  const disposedAt = lastAt('dispose');
  const open = tasks.filter(({ t }) => isOpenAssist(t.state)).length;
  return {
    caseId: Number(row.id),
    caseNo: row.case_no,
    caseState: row.state,
    lead: {
      unit: row.assigned_unit_id ? unit(row.assigned_unit_id) : null,
      dispatchedAt: iso(row.dispatched_at),
      signedAt: iso(lastAt('sign')),
      dueAt: iso(handleDue),
      disposedAt: iso(disposedAt),
      overdue: row.ever_overdue === 1 || (handleDue !== null && (disposedAt ?? now) > handleDue && ['DISPATCHED', 'IN_PROGRESS'].includes(row.state)),
    },
    bundle: { dueAt: iso(handleDue), open, settled: open === 0 },
    tasks: tasks.map(({ r, t }) => presentTask(t, r, unit(t.unitId), actor, facts, now)),
    mayAdd,
  };
}

function presentTask(t: AssistTask, r: AssistTaskRow, unit: { id: string; name: string }, actor: Actor, facts: AssistCaseFacts, now: number) {
  return {
    id: t.id,
    unit,
    instruction: t.instruction,
    limit: t.limit,
    dueAt: iso(t.dueAt),
    state: t.state,
    stateLabel: ASSIST_STATE_LABELS[t.state],
    dispatchedAt: iso(t.dispatchedAt)!,
    handler: t.signedBy ? { id: t.signedBy, name: r.signed_by_name } : null,
    signedAt: iso(t.signedAt),
    doneAt: iso(t.doneAt),
    result: t.result,
    photoIds: t.photoIds,
    returnReason: t.returnReason,
    returnBasis: t.returnBasis,
    returnedAt: iso(t.returnedAt),
    returnCount: t.returnCount,
    ruling: t.ruling,
    closedAt: iso(t.closedAt),
    previousTaskId: t.previousTaskId,
    part: assistPart(t, now),
    allowedActions: allowedAssistActions(t, actor, facts),
  };
}
