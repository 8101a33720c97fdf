/**
 * Supervision notices (督办单, domain/supervision/rules.ts).
 *   - issueNotice: the case's `supervise` action (the transition table: operators may urge, leaders supervise) names
 *     the notice and its tier; in the same transaction the notice is written with its deadline and timeline.
 *   - answerNotice: the supervised unit answers before the deadline; the case's history gets `supervision_answered`.
 * The raise job (src/jobs/supervision-raise.job.ts) lifts the tier of notices left unanswered or overtaken by a new
 * overdue.
 */
import { randomUUID } from 'node:crypto';
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import { checkAnswer, noticeDueAt, parseLevel, type NoticeState, type Tier } from '../domain/supervision/rules.ts';
import type { AppContext } from '../runtime/context.ts';
import type { NoticeRow } from '../storage/repositories/supervision.repository.ts';
import { transitionCase } from './case-transition.ts';
import { canSeeDesk, deskEvent, loadCaseFor, placeOf, type Who } from './desk-common.ts';

export async function issueNotice(ctx: AppContext, caseId: number, input: { level: string; note: string }, actor: Who): Promise<NoticeRow> {
  const now = ctx.clock.now();
  const level = parseLevel(input.level);
  if (typeof input.note !== 'string' || input.note.trim() === '') throw invalidAs('note', { key: 'supervision-issue.required_what_unit_do' }, 'required: what the unit must do');
  const c0 = await ctx.store.transaction((tx) => loadCaseFor(tx, ctx.ref, actor, caseId));
  if (!c0.assigned_unit_id) throw invalidAs('caseId', { key: 'supervision-issue.case_has_no_unit_yet' }, '案件尚未派遣给单位，无督办对象 / the case has no unit yet: nobody to supervise');
  const id = `SV-${randomUUID()}`;
  const dueAt = noticeDueAt(now, level, ctx.ref.current().desks);
  await transitionCase(ctx, Number(c0.id), { action: 'supervise', level, note: input.note, noticeId: id, tier: 'unit' }, actor, {
    within: async (tx, next) => {
      const open = (await tx.supervision.noticesOfCase(Number(next.id))).find((n) => n.state === 'open');
      if (open) throw new DomainError('CONFLICT', '该案件已有未答复的督办单 / a notice on this case is still waiting for its answer', { field: 'caseId', details: { noticeId: open.id } });
      await tx.supervision.insertNotice({
        id, case_id: Number(next.id), case_no: next.case_no, unit_id: next.assigned_unit_id, ...placeOf(next), level, tier: 'unit', state: 'open',
        note: input.note.trim(), issued_by: actor.userId, issued_by_name: actor.name ?? null, issued_at: now, due_at: dueAt,
        answer: null, answered_by: null, answered_by_name: null, answered_at: null, raised_at: null,
      });
      await tx.deskHistory.append({ kind: 'supervision', recordId: id, caseId: Number(next.id), action: 'issued', actorId: actor.userId, actorName: actor.name ?? null, at: now, details: { level, tier: 'unit', dueAt } });
    },
  });
  return (await ctx.store.supervision.findNotice(id))!;
}

export async function answerNotice(ctx: AppContext, id: string, input: { answer: string }, actor: Who): Promise<NoticeRow> {
  const now = ctx.clock.now();
  const row = await ctx.store.transaction(async (tx) => {
    const n = await tx.supervision.findNotice(id, { forUpdate: true });
    if (!n || !canSeeDesk(actor, n, ctx.ref)) throw notFound('notice', id);
    const answer = checkAnswer(actor, { state: n.state as NoticeState, tier: n.tier as Tier, unitId: n.unit_id, dueAt: Number(n.due_at), answeredAt: null }, input.answer);
    const c = await tx.cases.findCase(Number(n.case_id), { forUpdate: true });
    if (!c) throw notFound('notice', id);
    const late = now > Number(n.due_at);
    if (!(await tx.supervision.updateNotice(id, Number(n.version), { state: 'answered', answer, answered_by: actor.userId, answered_by_name: actor.name ?? null, answered_at: now }))) {
      throw new DomainError('CONFLICT', 'the notice changed meanwhile: reload it', { field: 'noticeId' });
    }
    const who = { actorId: actor.userId, actorName: actor.name ?? null, at: now };
    await tx.history.append({ caseId: Number(c.id), action: 'supervision_answered', fromState: c.state, toState: c.state, ...who, reason: answer, details: { noticeId: id, tier: n.tier, level: n.level, late } });
    await tx.deskHistory.append({ kind: 'supervision', recordId: id, caseId: Number(c.id), action: 'answered', ...who, details: { late } });
    await tx.outbox.append(deskEvent('supervision.answered', c, { noticeId: id, late, actorId: actor.userId }, now));
    return (await tx.supervision.findNotice(id))!;
  });
  ctx.events.notify();
  return row;
}
