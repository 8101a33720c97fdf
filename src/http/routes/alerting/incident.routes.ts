/** /api/v1/incidents — major-incident mode (issue 9 §5): command records grouping cases, with 续报 and resources. */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { COMMAND_ROLES } from '../../../domain/alerting/incident.ts';
import { notFound } from '../../../domain/errors.ts';
import { isAdmin } from '../../../domain/policy/scope.ts';
import { canSeeCase } from '../../../domain/policy/visibility.ts';
import { assignIncidentResource, closeIncident, linkIncidentCase, openIncident, reportIncident } from '../../../commands/incident-command.ts';
import { caseFactsOf } from '../../../commands/case-transition.ts';
import type { IncidentRow } from '../../../storage/repositories/incident.repository.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';
import {
  IncidentBody, IncidentCaseBody, IncidentCloseBody, IncidentDto, IncidentList, IncidentQuery, IncidentReportBody, IncidentResourceBody,
} from './alerting.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const CENTRE = { permission: 'events.read' } as const;
const iso = (t: number | null) => (t === null ? null : new Date(Number(t)).toISOString());

export async function incidentRoutes(app: App, ctx: AppContext): Promise<void> {
  /** Seen by administrators, its commander, and the people covering its region, a region above or below it. */
  const mayRead = (p: Principal, i: IncidentRow) => {
    if (isAdmin(p) || i.commander_id === p.userId || i.region_id === null) return true;
    const regions = ctx.ref.current().regions;
    const chain = (id: string) => { const out: string[] = []; for (let r: string | null | undefined = id; r; r = regions.get(r)?.parentId) out.push(r); return out; };
    if (chain(i.region_id).some((r) => p.regionIds.includes(r))) return true;
    return p.regionIds.some((mine) => chain(mine).includes(i.region_id!));
  };
  const summary = (i: IncidentRow) => ({
    id: Number(i.id), title: i.title, level: i.level, regionId: i.region_id, regionName: i.region_id ? ctx.ref.current().regions.get(i.region_id)?.name ?? i.region_id : null,
    state: i.state, commanderName: i.commander_name, openedAt: new Date(Number(i.opened_at)).toISOString(), closedAt: iso(i.closed_at), reportCount: i.report_count,
  });
  const detail = async (p: Principal, id: number) => {
    const i = await ctx.store.incidents.findIncident(id);
    if (!i || !mayRead(p, i)) throw notFound('incident', id);
    const cases = (await ctx.store.cases.findCases(await ctx.store.incidents.caseIdsOf(id))).filter((c) => canSeeCase(p, caseFactsOf(c, ctx.ref)));
    const entries = await ctx.store.incidents.entriesOf(id);
    return {
      ...summary(i), canCommand: i.state === 'open' && p.roles.some((r) => COMMAND_ROLES.has(r)),
      cases: cases.map((c) => ({ id: Number(c.id), caseNo: c.case_no, state: c.state, urgency: c.urgency, description: c.description.slice(0, 140) })),
      timeline: entries.map((e) => ({
        id: Number(e.id), kind: e.kind, text: e.text, details: JSON.parse(e.details) as Record<string, unknown>, actorName: e.actor_name, at: new Date(Number(e.at)).toISOString(),
      })),
    };
  };
  const idOf = (s: string) => (/^\d{1,15}$/.test(s) ? Number(s) : -1);
  /** The incident must exist and be visible before a command is tried on it. */
  const visible = async (p: Principal, s: string) => {
    const id = idOf(s);
    const i = id > 0 ? await ctx.store.incidents.findIncident(id) : undefined;
    if (!i || !mayRead(p, i)) throw notFound('incident', s);
    return id;
  };

  app.get('/api/v1/incidents', {
    config: CENTRE,
    schema: { tags: ['incidents'], summary: 'Major incidents the caller may see, newest first', querystring: IncidentQuery, response: { 200: IncidentList, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    return { items: (await ctx.store.incidents.listIncidents({ state: req.query.state, limit: 200 })).filter((i) => mayRead(p, i)).slice(0, 50).map(summary) };
  });

  app.post('/api/v1/incidents', {
    config: CENTRE,
    schema: { tags: ['incidents'], summary: 'Opens a major incident (the caller commands it)', description: 'Dispatchers, shift leaders, centre leaders (403 naming `role`).', body: IncidentBody, response: { 201: IncidentDto, ...ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const id = await openIncident(ctx, req.body, p);
    reply.code(201);
    return detail(p, id);
  });

  app.get('/api/v1/incidents/:id', {
    config: CENTRE,
    schema: { tags: ['incidents'], summary: 'One incident: its cases and its timeline', params: IdParam, response: { 200: IncidentDto, ...ERRORS } },
  }, async (req) => detail(principalOf(req), idOf(req.params.id)));

  app.post('/api/v1/incidents/:id/cases', {
    config: CENTRE,
    schema: { tags: ['incidents'], summary: 'Groups a case under the incident (again: no change)', params: IdParam, body: IncidentCaseBody, response: { 200: IncidentDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const id = await visible(p, req.params.id);
    await linkIncidentCase(ctx, id, req.body.caseId, p);
    return detail(p, id);
  });

  app.post('/api/v1/incidents/:id/reports', {
    config: CENTRE,
    schema: { tags: ['incidents'], summary: 'Adds a situation report (首报, then 续报1, 续报2 …)', params: IdParam, body: IncidentReportBody, response: { 200: IncidentDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const id = await visible(p, req.params.id);
    await reportIncident(ctx, id, req.body.text, p);
    return detail(p, id);
  });

  app.post('/api/v1/incidents/:id/resources', {
    config: CENTRE,
    schema: { tags: ['incidents'], summary: 'Records a resource assigned to the incident (team, vehicle, equipment …)', params: IdParam, body: IncidentResourceBody, response: { 200: IncidentDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const id = await visible(p, req.params.id);
    await assignIncidentResource(ctx, id, req.body, p);
    return detail(p, id);
  });

  app.post('/api/v1/incidents/:id/close', {
    config: CENTRE,
    schema: { tags: ['incidents'], summary: 'Closes the incident (nothing can be added after)', params: IdParam, body: IncidentCloseBody, response: { 200: IncidentDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const id = await visible(p, req.params.id);
    await closeIncident(ctx, id, req.body?.summary ?? '', p);
    return detail(p, id);
  });
}
