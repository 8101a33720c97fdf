/**
 * Shift handover (issue 9 §7): closeShift writes the handover with its generated summary (open, overdue, urgent
 * cases the leader may see; emergencies still ringing) and an outbox row; acknowledgeHandover records the next
 * leader's acknowledgement once (conditional UPDATE).
 */
import { checkAcknowledgeHandover, checkClose, summarizeShift, type AlertBrief, type CaseBrief, type HandoverInput } from '../domain/handover/handover.ts';
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import { canSeeCase, caseVisibility } from '../domain/policy/visibility.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import { fromJson, toJson } from '../storage/codec.ts';
import type { CaseRow } from '../storage/repositories/case.repository.ts';
import type { HandoverRow } from '../storage/repositories/handover.repository.ts';
import { tiersOf } from './emergency-raise.ts';
import { regionPathOf } from './case-transition.ts';

const brief = (r: CaseRow & { due_at?: number }): CaseBrief => ({
  id: Number(r.id), caseNo: r.case_no, state: r.state, urgency: r.urgency, alertLevel: r.alert_level,
  dueAt: r.due_at !== undefined && r.due_at < 9e15 ? Number(r.due_at) : r.handle_due_at === null ? null : Number(r.handle_due_at),
});

export async function closeShift(ctx: AppContext, input: HandoverInput, actor: Actor & { name?: string }): Promise<HandoverRow> {
  let nextLeader: Actor | null = null;
  if (input.nextLeaderId) {
    const u = await ctx.store.auth.findUserById(input.nextLeaderId);
    if (!u) throw invalidAs('nextLeaderId', { key: 'handover-close.unknown_user', params: { nextLeaderId: String(input.nextLeaderId) } }, `unknown user "${input.nextLeaderId}"`);
    nextLeader = u.active ? { userId: u.id, roles: u.roles, unitIds: u.unitIds, regionIds: u.regionIds } : null;
  }
  const ok = checkClose(actor, input, nextLeader);
  const now = ctx.clock.now();
  const regions = ctx.ref.current().regions;
  const visibility = caseVisibility(actor, (id) => regions.get(id)?.parentId === null);
  const scope = ok.regionId ? { regionIds: [ok.regionId] } : {};
  const base = { visibility, sort: 'due' as const, ...scope };
  const [open, overdue, warning] = await Promise.all([
    ctx.store.cases.countCases(base, 100_000),
    ctx.store.cases.countCases({ ...base, alertLevel: 'overdue' }, 100_000),
    ctx.store.cases.countCases({ ...base, alertLevel: 'warning' }, 100_000),
  ]);
  const urgent = await ctx.store.cases.listCases({ ...base, urgency: ['very_urgent', 'urgent'], limit: 20 });
  const nextDue = await ctx.store.cases.listCases({ ...base, limit: 20 });
  const ringing: AlertBrief[] = (await ctx.store.emergencies.listAlerts({ state: 'ringing', limit: 200 }))
    .filter((a) => canSeeCase(actor, {
      regionPath: regionPathOf(regionColumns(fromJson<string[]>(a.region_ids, []), ctx), ctx.ref), unitIds: fromJson<string[]>(a.unit_ids, []),
    }))
    .map((a) => ({ alertId: Number(a.id), caseId: Number(a.case_id), caseNo: a.case_no, tierLevel: tiersOf(a)[a.tier]?.level ?? null, raisedAt: Number(a.raised_at) }));
  const summary = summarizeShift({
    open: open.total, openCapped: open.capped, overdue: overdue.total, warning: warning.total, urgent: urgent.map(brief), nextDue: nextDue.map(brief), ringing,
  }, now);
  const row = await ctx.store.transaction(async (tx) => {
    const values = {
      region_id: ok.regionId, shift_label: ok.shiftLabel, closed_by: actor.userId, closed_by_name: actor.name ?? actor.userId, closed_at: now,
      summary: toJson(summary), notes: ok.notes, next_leader_id: input.nextLeaderId ?? null,
      acknowledged_by: null, acknowledged_by_name: null, acknowledged_at: null, ack_note: null,
    };
    const id = await tx.handovers.insertHandover(values);
    await tx.outbox.append({
      topic: 'handover.closed', caseId: null, unitIds: [], regionIds: ok.regionId ? [ok.regionId] : [], at: now,
      payload: { handoverId: id, shiftLabel: ok.shiftLabel, actorId: actor.userId, userIds: input.nextLeaderId ? [input.nextLeaderId] : [], open: summary.open, overdue: summary.overdue },
    });
    return { id, ...values } as HandoverRow;
  });
  ctx.events.notify();
  return row;
}

/** The district / street / community columns of a case from its stored region ids (for the visibility policy). */
function regionColumns(ids: string[], ctx: AppContext): Pick<CaseRow, 'district_id' | 'street_id' | 'community_id'> {
  const regions = ctx.ref.current().regions;
  const of = (level: string) => ids.find((id) => regions.get(id)?.level === level) ?? null;
  return { district_id: of('district'), street_id: of('street'), community_id: of('community') };
}

export async function acknowledgeHandover(ctx: AppContext, id: number, actor: Actor & { name?: string }, note: string | null): Promise<HandoverRow> {
  if (note !== null && note.length > 2000) throw invalidAs('note', { key: 'handover-close.at_most_2_000_characters' }, 'at most 2,000 characters');
  const now = ctx.clock.now();
  const row = await ctx.store.transaction(async (tx) => {
    const h = await tx.handovers.findHandover(id);
    if (!h) throw notFound('handover', id);
    checkAcknowledgeHandover(actor, {
      closedBy: h.closed_by, nextLeaderId: h.next_leader_id, regionId: h.region_id, acknowledgedAt: h.acknowledged_at === null ? null : Number(h.acknowledged_at),
    });
    const by = { by: actor.userId, byName: actor.name ?? actor.userId, at: now, note };
    if (!(await tx.handovers.acknowledgeHandover(id, by))) throw new DomainError('CONFLICT', 'state: the handover is already acknowledged', { field: 'state' });
    await tx.outbox.append({
      topic: 'handover.acknowledged', caseId: null, unitIds: [], regionIds: h.region_id ? [h.region_id] : [], at: now,
      payload: { handoverId: id, shiftLabel: h.shift_label, actorId: actor.userId, userIds: [h.closed_by] },
    });
    return { ...h, acknowledged_by: by.by, acknowledged_by_name: by.byName, acknowledged_at: now, ack_note: note };
  });
  ctx.events.notify();
  return row;
}
