/**
 * Raising, escalating and acknowledging an emergency alert (issue 9 §5). Each writes the alert, the case's history
 * row and an outbox row in one transaction; alert changes are conditional UPDATEs on the alert's version, so an
 * escalation or an acknowledgement happens exactly once whichever node tries it.
 */
import { ackDueAt, checkAcknowledge, checkRostered, escalation, ringRegions, ringTiers, rings, type RingTier } from '../domain/alerting/emergency.ts';
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import { fromJson, toJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { EmergencyAlertRow } from '../storage/repositories/emergency.repository.ts';
import { holdingUnits, type OutboxRow } from '../storage/repositories/outbox.repository.ts';
import { regionPathOf } from './case-transition.ts';

/** How the platform signs the history rows it writes itself. */
export const ALERTING_ACTOR = '紧急警报 emergency alerting';

const CLOSED_STATES = new Set(['closed', 'rejected', 'cancelled']);

export const tiersOf = (a: Pick<EmergencyAlertRow, 'tiers'>): RingTier[] => fromJson<RingTier[]>(a.tiers, []);

/** A case.created event of a ringing urgency raises the case's alert (once: unique per case). True when raised now. */
export async function raiseEmergencyFromEvent(ctx: AppContext, tx: Repositories, row: OutboxRow, now: number): Promise<boolean> {
  if (row.topic !== 'case.created' || row.caseId === null) return false;
  const policy = ctx.ref.current().emergencyAlerting;
  if (!rings(String(row.payload.urgency), policy)) return false;
  const c = await tx.cases.findCase(row.caseId);
  if (!c || CLOSED_STATES.has(c.state) || !rings(c.urgency, policy)) return false;
  const regions = ctx.ref.current().regions;
  const path = regionPathOf(c, ctx.ref).map((id) => ({ id, level: regions.get(id)?.level ?? '' }));
  const root = [...regions.values()].find((r) => r.parentId === null)?.id ?? null;
  const tiers = ringTiers(path, root);
  const unitIds = holdingUnits(c);
  const regionIds = [c.district_id, c.street_id, c.community_id].filter((x): x is string => !!x);
  const due = ackDueAt(tiers, 0, policy, now);
  const id = await tx.emergencies.insertAlert({
    case_id: Number(c.id), case_no: c.case_no, state: 'ringing', tier: 0, tiers: toJson(tiers), unit_ids: toJson(unitIds), region_ids: toJson(regionIds),
    raised_at: now, ack_due_at: due, acknowledged_at: null, acknowledged_by: null, acknowledged_by_name: null, ack_note: null, version: 1,
  });
  if (id === undefined) return false;
  const ringAt = ringRegions(tiers, 0);
  await tx.history.append({
    caseId: Number(c.id), action: 'emergency_rang', fromState: c.state, toState: c.state, actorId: null, actorName: ALERTING_ACTOR, at: now,
    details: { alertId: id, tier: 0, tierLevel: tiers[0]?.level ?? null, ringRegionIds: ringAt, unitIds, ackDueAt: due },
  });
  await tx.outbox.append({
    topic: 'emergency.raised', caseId: Number(c.id), unitIds, regionIds, at: now,
    payload: { caseId: Number(c.id), caseNo: c.case_no, alertId: id, urgency: c.urgency, tier: 0, tierLevel: tiers[0]?.level ?? null, ringRegionIds: ringAt, ackDueAt: due },
  });
  return true;
}

export interface EscalationResult { examined: number; escalated: number; exhausted: number; closed: number }

/**
 * Escalates every alert whose limit has passed (up one level, or marked as having nothing above it). Run twice or on
 * two nodes at once, each escalation still happens once (conditional UPDATE on the version).
 */
export async function escalateDueEmergencies(ctx: AppContext, limit = 200): Promise<EscalationResult> {
  const now = ctx.clock.now();
  const policy = ctx.ref.current().emergencyAlerting;
  const res: EscalationResult = { examined: 0, escalated: 0, exhausted: 0, closed: 0 };
  for (const a of await ctx.store.emergencies.dueAlerts(now, limit)) {
    res.examined++;
    await ctx.store.transaction(async (tx) => {
      const tiers = tiersOf(a);
      const unitIds = fromJson<string[]>(a.unit_ids, []);
      const regionIds = fromJson<string[]>(a.region_ids, []);
      const c = await tx.cases.findCase(Number(a.case_id));
      if (!c || CLOSED_STATES.has(c.state)) {
        if (await tx.emergencies.updateAlert(Number(a.id), a.version, { state: 'closed', ack_due_at: null })) res.closed++;
        return;
      }
      const e = escalation({ state: a.state, tier: a.tier, tiers, unitIds, ackDueAt: a.ack_due_at === null ? null : Number(a.ack_due_at) }, policy, now);
      if (!e) return;
      if (!(await tx.emergencies.updateAlert(Number(a.id), a.version, { tier: e.tier, ack_due_at: e.ackDueAt }))) return; // another node did it
      const level = tiers[e.tier]?.level ?? null;
      const details = {
        alertId: Number(a.id), tier: e.tier, tierLevel: level, ringRegionIds: ringRegions(tiers, e.tier), ackDueAt: e.ackDueAt,
        ...(e.exhausted ? {} : { newRegionIds: tiers[e.tier].regionIds }),
      };
      const action = e.exhausted ? 'emergency_unanswered' : 'emergency_escalated';
      await tx.history.append({ caseId: Number(c.id), action, fromState: c.state, toState: c.state, actorId: null, actorName: ALERTING_ACTOR, at: now, details });
      await tx.outbox.append({
        topic: e.exhausted ? 'emergency.unanswered' : 'emergency.escalated', caseId: Number(c.id), unitIds, regionIds, at: now,
        payload: { caseId: Number(c.id), caseNo: c.case_no, ...details },
      });
      if (e.exhausted) res.exhausted++;
      else res.escalated++;
    });
  }
  if (res.escalated + res.exhausted > 0) ctx.events.notify();
  return res;
}

/** An acknowledgement by a person on duty there stops the ringing everywhere. */
export async function acknowledgeEmergency(ctx: AppContext, alertId: number, actor: Actor & { name?: string }, note: string | null): Promise<EmergencyAlertRow> {
  if (note !== null && note.length > 500) throw invalidAs('note', { key: 'field.at_most_500_characters' }, 'at most 500 characters');
  const now = ctx.clock.now();
  const out = await ctx.store.transaction(async (tx) => {
    const a = await tx.emergencies.findAlert(alertId);
    if (!a) throw notFound('alert', alertId);
    const tiers = tiersOf(a);
    const unitIds = fromJson<string[]>(a.unit_ids, []);
    checkAcknowledge(actor, { state: a.state, tiers, unitIds });
    checkRostered(actor, await tx.field.rosteredAt(ringRegions(tiers, tiers.length - 1), unitIds, now));
    const patch = { state: 'acknowledged', ack_due_at: null, acknowledged_at: now, acknowledged_by: actor.userId, acknowledged_by_name: actor.name ?? actor.userId, ack_note: note };
    if (!(await tx.emergencies.updateAlert(Number(a.id), a.version, patch))) {
      throw new DomainError('CONFLICT', 'state: the alert changed meanwhile (acknowledged or escalated); reload', { field: 'state' });
    }
    const c = await tx.cases.findCase(Number(a.case_id));
    const state = c?.state ?? 'unknown';
    const details = { alertId: Number(a.id), tier: a.tier, tierLevel: tiers[a.tier]?.level ?? null, afterMs: now - Number(a.raised_at) };
    await tx.history.append({ caseId: Number(a.case_id), action: 'emergency_acknowledged', fromState: state, toState: state, actorId: actor.userId, actorName: actor.name ?? null, at: now, reason: note, details });
    await tx.outbox.append({
      topic: 'emergency.acknowledged', caseId: Number(a.case_id), unitIds, regionIds: fromJson<string[]>(a.region_ids, []), at: now,
      payload: { caseId: Number(a.case_id), caseNo: a.case_no, actorId: actor.userId, ...details },
    });
    return { ...a, ...patch, version: a.version + 1 };
  });
  ctx.events.notify();
  return out;
}
