/**
 * Major-incident mode (issue 9 §5): open a command record, link cases to it, add situation reports (续报) and
 * resources, close it. Each command: one transaction with the incident (version-checked), its timeline entry and
 * an outbox row; linking a case also writes the case's history.
 */
import { checkCommand, checkOpen, checkReport, checkResource, reportLabel } from '../domain/alerting/incident.ts';
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import { canSeeCase } from '../domain/policy/visibility.ts';
import type { Actor } from '../domain/policy/scope.ts';
import type { AppContext } from '../runtime/context.ts';
import { toJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { IncidentRow } from '../storage/repositories/incident.repository.ts';
import { caseEvent } from '../storage/repositories/outbox.repository.ts';
import { caseFactsOf } from './case-transition.ts';

type Who = Actor & { name?: string };

export async function openIncident(ctx: AppContext, input: { title: string; level: string; regionId?: string | null }, actor: Who): Promise<number> {
  const ok = checkOpen(actor, input);
  if (ok.regionId && !ctx.ref.current().regions.has(ok.regionId)) throw invalidAs('regionId', { key: 'field.unknown_region_2', params: { regionId: String(ok.regionId) } }, `unknown region "${ok.regionId}"`);
  const now = ctx.clock.now();
  const id = await ctx.store.transaction(async (tx) => {
    const id = await tx.incidents.insertIncident({
      title: ok.title, level: ok.level, region_id: ok.regionId, state: 'open', commander_id: actor.userId, commander_name: actor.name ?? actor.userId,
      opened_at: now, closed_at: null, report_count: 0, version: 1,
    });
    await entry(tx, id, 'opened', ok.title, { level: ok.level, regionId: ok.regionId }, actor, now);
    await tx.outbox.append({ topic: 'incident.opened', caseId: null, unitIds: [], regionIds: ok.regionId ? [ok.regionId] : [], at: now, payload: { incidentId: id, title: ok.title, level: ok.level, actorId: actor.userId } });
    return id;
  });
  ctx.events.notify();
  return id;
}

async function entry(tx: Repositories, incidentId: number, kind: string, text: string, details: Record<string, unknown>, actor: Who, at: number) {
  await tx.incidents.appendEntry({ incident_id: incidentId, kind, text, details: toJson(details), actor_id: actor.userId, actor_name: actor.name ?? null, at });
}

/** Runs `fn` on the locked, open incident and bumps its version (two commanders never interleave). */
async function onIncident<T>(ctx: AppContext, id: number, actor: Who, fn: (tx: Repositories, inc: IncidentRow, now: number) => Promise<{ patch?: Partial<IncidentRow>; result: T }>): Promise<T> {
  const now = ctx.clock.now();
  const out = await ctx.store.transaction(async (tx) => {
    const inc = await tx.incidents.findIncident(id, { forUpdate: true });
    if (!inc) throw notFound('incident', id);
    checkCommand(actor, inc);
    const { patch, result } = await fn(tx, inc, now);
    if (!(await tx.incidents.updateIncident(id, inc.version, patch ?? {}))) throw new DomainError('CONFLICT', 'version: the incident changed meanwhile; retry', { field: 'version' });
    return result;
  });
  ctx.events.notify();
  return out;
}

export function linkIncidentCase(ctx: AppContext, id: number, caseId: number, actor: Who): Promise<boolean> {
  return onIncident(ctx, id, actor, async (tx, inc, now) => {
    const c = await tx.cases.findCase(caseId);
    if (!c || !canSeeCase(actor, caseFactsOf(c, ctx.ref))) throw invalidAs('caseId', { key: 'incident-command.no_case_that_you_may', params: { caseId: String(caseId) } }, `no case ${caseId} that you may see`);
    const added = await tx.incidents.addCase(id, caseId, now);
    if (!added) return { result: false }; // already linked: nothing written
    await entry(tx, id, 'case_added', c.case_no, { caseId, caseNo: c.case_no }, actor, now);
    await tx.history.append({
      caseId, action: 'incident_linked', fromState: c.state, toState: c.state, actorId: actor.userId, actorName: actor.name ?? null, at: now,
      details: { incidentId: id, title: inc.title, level: inc.level },
    });
    await tx.outbox.append(caseEvent('incident.case_added', c, { caseId, caseNo: c.case_no, incidentId: id, title: inc.title, actorId: actor.userId }, now));
    return { result: true };
  });
}

export function reportIncident(ctx: AppContext, id: number, text: string, actor: Who): Promise<number> {
  const t = checkReport(text);
  return onIncident(ctx, id, actor, async (tx, inc, now) => {
    const n = inc.report_count + 1;
    await entry(tx, id, 'report', t, { number: n, label: reportLabel(n) }, actor, now);
    await tx.outbox.append({ topic: 'incident.reported', caseId: null, unitIds: [], regionIds: inc.region_id ? [inc.region_id] : [], at: now, payload: { incidentId: id, number: n, actorId: actor.userId } });
    return { patch: { report_count: n }, result: n };
  });
}

export function assignIncidentResource(ctx: AppContext, id: number, r: { kind: string; name: string; quantity?: number; note?: string }, actor: Who): Promise<void> {
  const ok = checkResource(r);
  return onIncident(ctx, id, actor, async (tx, inc, now) => {
    await entry(tx, id, 'resource', ok.name, { kind: ok.kind, quantity: ok.quantity, note: ok.note }, actor, now);
    await tx.outbox.append({ topic: 'incident.resource_assigned', caseId: null, unitIds: [], regionIds: inc.region_id ? [inc.region_id] : [], at: now, payload: { incidentId: id, kind: ok.kind, quantity: ok.quantity, actorId: actor.userId } });
    return { result: undefined };
  });
}

export function closeIncident(ctx: AppContext, id: number, summary: string, actor: Who): Promise<void> {
  const t = summary.trim();
  if (t.length > 4000) throw invalidAs('summary', { key: 'handover.at_most_4_000_characters' }, 'at most 4,000 characters');
  return onIncident(ctx, id, actor, async (tx, inc, now) => {
    await entry(tx, id, 'closed', t, {}, actor, now);
    await tx.outbox.append({ topic: 'incident.closed', caseId: null, unitIds: [], regionIds: inc.region_id ? [inc.region_id] : [], at: now, payload: { incidentId: id, actorId: actor.userId } });
    return { patch: { state: 'closed', closed_at: now }, result: undefined };
  });
}
