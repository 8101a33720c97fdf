/**
 * /api/v1/alerts — emergencies that ring (issue 9 §5): the alerts the caller may see (with whether each rings on
 * their console and whether they may acknowledge it), acknowledgement, and the city's settings.
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { checkAcknowledge, ringsFor } from '../../../domain/alerting/emergency.ts';
import { canSeeCase } from '../../../domain/policy/visibility.ts';
import { acknowledgeEmergency, tiersOf } from '../../../commands/emergency-raise.ts';
import { replaceEmergencySettings } from '../../../commands/emergency-settings-replace.ts';
import { regionPathOf } from '../../../commands/case-transition.ts';
import { fromJson } from '../../../storage/codec.ts';
import type { CaseRow } from '../../../storage/repositories/case.repository.ts';
import type { EmergencyAlertRow } from '../../../storage/repositories/emergency.repository.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';
import { AckBody, AlertDto, AlertList, AlertQuery, AlertSettingsDto } from './alerting.schema.ts';
import { notFound } from '../../../domain/errors.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const iso = (t: number | null) => (t === null ? null : new Date(Number(t)).toISOString());

export async function emergencyRoutes(app: App, ctx: AppContext): Promise<void> {
  const factsOf = (a: EmergencyAlertRow) => {
    const regions = ctx.ref.current().regions;
    const ids = fromJson<string[]>(a.region_ids, []);
    const of = (level: string) => ids.find((id) => regions.get(id)?.level === level) ?? null;
    return { regionPath: regionPathOf({ district_id: of('district'), street_id: of('street'), community_id: of('community') }, ctx.ref), unitIds: fromJson<string[]>(a.unit_ids, []) };
  };
  const present = (p: Principal, a: EmergencyAlertRow, c: CaseRow | undefined) => {
    const regions = ctx.ref.current().regions;
    const tiers = tiersOf(a);
    const view = { state: a.state, tier: a.tier, tiers, unitIds: fromJson<string[]>(a.unit_ids, []) };
    let canAcknowledge = true;
    try { checkAcknowledge(p, view); } catch { canAcknowledge = false; }
    return {
      id: Number(a.id), caseId: Number(a.case_id), caseNo: a.case_no, state: a.state, tier: a.tier, tierLevel: tiers[a.tier]?.level ?? null,
      tiers: tiers.map((t) => ({ level: t.level, regionIds: t.regionIds, regionNames: t.regionIds.map((id) => regions.get(id)?.name ?? id) })),
      raisedAt: new Date(Number(a.raised_at)).toISOString(), ackDueAt: iso(a.ack_due_at), acknowledgedAt: iso(a.acknowledged_at),
      acknowledgedByName: a.acknowledged_by_name, ringsForMe: ringsFor(p, view), canAcknowledge,
      caseSummary: c ? { description: c.description.slice(0, 140), address: c.address, urgency: c.urgency, state: c.state } : null,
    };
  };

  app.get('/api/v1/alerts', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['alerts'], summary: 'Emergency alerts of the cases the caller may see, newest first',
      description: '`mine=true`: only those ringing on the caller\'s console now (the banner).',
      querystring: AlertQuery, response: { 200: AlertList, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const rows = (await ctx.store.emergencies.listAlerts({ state: req.query.mine ? 'ringing' : req.query.state, limit: 500 }))
      .filter((a) => canSeeCase(p, factsOf(a)));
    const items = (req.query.mine ? rows.filter((a) => ringsFor(p, { state: a.state, tier: a.tier, tiers: tiersOf(a), unitIds: fromJson<string[]>(a.unit_ids, []) })) : rows)
      .slice(0, req.query.limit ?? 50);
    const cases = new Map((await ctx.store.cases.findCases(items.map((a) => Number(a.case_id)))).map((c) => [Number(c.id), c]));
    return { items: items.map((a) => present(p, a, cases.get(Number(a.case_id)))) };
  });

  app.get('/api/v1/alerts/settings', {
    config: { permission: 'case.read' },
    schema: { tags: ['alerts'], summary: 'Which urgencies ring, and the minutes each level has to acknowledge', response: { 200: AlertSettingsDto, ...ERRORS } },
  }, async () => ctx.ref.current().emergencyAlerting as never);

  app.put('/api/v1/alerts/settings', {
    config: { permission: 'rule.manage' },
    schema: { tags: ['alerts'], summary: 'Replaces the alerting settings (settings row emergency_alerting)', body: AlertSettingsDto, response: { 200: AlertSettingsDto, ...ERRORS } },
  }, async (req) => (await replaceEmergencySettings(ctx, req.body, principalOf(req).userId)) as never);

  app.get('/api/v1/alerts/:id', {
    config: { permission: 'case.read' },
    schema: { tags: ['alerts'], summary: 'One alert', params: IdParam, response: { 200: AlertDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const a = /^\d{1,15}$/.test(req.params.id) ? await ctx.store.emergencies.findAlert(Number(req.params.id)) : undefined;
    if (!a || !canSeeCase(p, factsOf(a))) throw notFound('alert', req.params.id);
    return present(p, a, await ctx.store.cases.findCase(Number(a.case_id)));
  });

  app.post('/api/v1/alerts/:id/acknowledge', {
    config: { permission: 'case.transition' },
    schema: {
      tags: ['alerts'], summary: 'Acknowledges an alert: it stops ringing everywhere and escalates no further',
      description: 'Only a person on duty there: a unit holding the case, or centre staff covering its street, district or city (403 naming `onDuty` otherwise).',
      params: IdParam, body: AckBody, response: { 200: AlertDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const a = /^\d{1,15}$/.test(req.params.id) ? await ctx.store.emergencies.findAlert(Number(req.params.id)) : undefined;
    if (!a || !canSeeCase(p, factsOf(a))) throw notFound('alert', req.params.id);
    const done = await acknowledgeEmergency(ctx, Number(a.id), p, req.body?.note?.trim() || null);
    return present(p, done, await ctx.store.cases.findCase(Number(a.case_id)));
  });
}
