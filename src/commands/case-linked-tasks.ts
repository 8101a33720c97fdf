/**
 * Tasks that follow their case (issue 10; docs/issue-10/decision-support.md "Tasks close with their case"): an adopted
 * 未诉先办 task (proactive_tasks.case_id) and a shop-sign inspection (shop_sign_inspections.case_id) are the centre's
 * own work orders, filed through the intake as `proactive` cases. When such a case closes (结案), is cancelled or is
 * reopened after closure (重办), the task moves with it — in the case's transaction, with the task's own history row
 * and outbox event, and named in the case's history row. Called by transitionCase (the one place a case changes
 * state; level transfers never close one), so no action handler special-cases it.
 */
import { caseMoveOf, type Decision } from '../domain/case/index.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { proactiveOnCase } from '../domain/recurrence/lifecycle.ts';
import { inspectionStateOfCase } from '../domain/sensing/shop-signs.ts';
import { DomainError } from '../domain/errors.ts';
import type { Repositories } from '../storage/store.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import { caseEvent } from '../storage/repositories/outbox.repository.ts';

/** Only the centre's own work orders (channel `proactive`) carry linked tasks: other cases cost no lookup. */
export const carriesLinkedTasks = (c: Pick<CaseRow, 'channel'>): boolean => c.channel === 'proactive';

export async function followLinkedTasks(
  tx: Repositories, cur: CaseRow, next: CaseRow, d: Decision, actor: Actor & { name?: string }, now: number,
): Promise<void> {
  if (!carriesLinkedTasks(cur)) return;
  const move = caseMoveOf(d.from, d.to);
  if (!move) return;
  const caseId = Number(cur.id);
  const moved: Record<string, unknown>[] = [];
  for (const t of await tx.topics.proactiveOfCase(caseId)) {
    const to = proactiveOnCase(t.state, move);
    if (!to) continue;
    if (!(await tx.topics.updateProactive(Number(t.id), t.version, { state: to, updated_at: now }))) {
      throw new DomainError('CONFLICT', `version: proactive task ${t.id} was changed concurrently; retry`, { field: 'version' });
    }
    await tx.topics.appendHistory({
      kind: 'proactive', recordId: Number(t.id), action: `case_${move}`, fromState: t.state, toState: to, actorId: actor.userId, actorName: actor.name ?? null, at: now,
      details: { caseId, caseNo: cur.case_no, caseAction: d.history.action, caseState: d.to },
    });
    await tx.outbox.append({
      topic: `proactive.${to === 'adopted' ? 'reopened' : to}`, caseId: null, unitIds: [],
      regionIds: [t.district_id, t.street_id].filter((x): x is string => !!x),
      payload: { actorId: actor.userId, taskId: Number(t.id), state: to, caseId, byCase: true }, at: now,
    });
    moved.push({ kind: 'proactive', id: Number(t.id), from: t.state, to });
  }
  for (const i of await tx.scenarios.inspectionsOfCase(caseId)) {
    const to = inspectionStateOfCase(d.to);
    if (i.state === to) continue;
    await tx.scenarios.setInspectionState(i.key, { state: to, closed_at: to === 'closed' ? now : null });
    await tx.outbox.append(caseEvent(`shop_sign.inspection_${to === 'open' ? 'reopened' : to}`, next, {
      key: i.key, signId: i.sign_id, kind: i.kind, caseId, state: to, actorId: actor.userId,
    }, now));
    moved.push({ kind: 'inspection', key: i.key, from: i.state, to });
  }
  if (moved.length) d.history.details = { ...d.history.details, linkedTasks: moved };
}
