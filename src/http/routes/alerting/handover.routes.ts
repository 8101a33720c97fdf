/** /api/v1/handovers — shift handover (交接班, issue 9 §7): close a shift, list handovers, acknowledge one. */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { checkAcknowledgeHandover, type HandoverSummary } from '../../../domain/handover/handover.ts';
import { isAdmin } from '../../../domain/policy/scope.ts';
import { notFound } from '../../../domain/errors.ts';
import { acknowledgeHandover, closeShift } from '../../../commands/handover-close.ts';
import type { HandoverRow } from '../../../storage/repositories/handover.repository.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';
import { HandoverAckBody, HandoverBody, HandoverDto, HandoverList, HandoverQuery } from './alerting.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const iso = (t: number | null) => (t === null ? null : new Date(Number(t)).toISOString());
const CENTRE = { permission: 'events.read' } as const; // centre staff and unit leaders; grid members and inspectors do not hand over shifts

export async function handoverRoutes(app: App, ctx: AppContext): Promise<void> {
  /** A handover is seen by administrators, its two leaders, and the staff of its region. */
  const mayRead = (p: Principal, h: HandoverRow) => isAdmin(p) || h.closed_by === p.userId || h.next_leader_id === p.userId
    || h.region_id === null || p.regionIds.includes(h.region_id) || isAncestorOf(p.regionIds, h.region_id);
  const isAncestorOf = (mine: string[], regionId: string) => {
    const regions = ctx.ref.current().regions;
    for (let r = regions.get(regionId)?.parentId; r; r = regions.get(r)?.parentId) if (mine.includes(r)) return true;
    return false;
  };
  const present = (p: Principal, h: HandoverRow) => {
    const s = JSON.parse(h.summary) as HandoverSummary;
    let canAcknowledge = true;
    try {
      checkAcknowledgeHandover(p, { closedBy: h.closed_by, nextLeaderId: h.next_leader_id, regionId: h.region_id, acknowledgedAt: h.acknowledged_at === null ? null : Number(h.acknowledged_at) });
    } catch { canAcknowledge = false; }
    const brief = (c: HandoverSummary['urgent'][number]) => ({ ...c, dueAt: iso(c.dueAt) });
    return {
      id: Number(h.id), regionId: h.region_id, regionName: h.region_id ? ctx.ref.current().regions.get(h.region_id)?.name ?? h.region_id : null,
      shiftLabel: h.shift_label, closedBy: h.closed_by, closedByName: h.closed_by_name, closedAt: new Date(Number(h.closed_at)).toISOString(),
      notes: h.notes, nextLeaderId: h.next_leader_id, acknowledgedByName: h.acknowledged_by_name, acknowledgedAt: iso(h.acknowledged_at), ackNote: h.ack_note,
      canAcknowledge,
      summary: {
        generatedAt: new Date(s.generatedAt).toISOString(), open: s.open, openCapped: s.openCapped, overdue: s.overdue, warning: s.warning,
        urgent: s.urgent.map(brief), nextDue: s.nextDue.map(brief), ringing: s.ringing.map((r) => ({ ...r, raisedAt: new Date(r.raisedAt).toISOString() })),
      },
    };
  };

  app.get('/api/v1/handovers', {
    config: CENTRE,
    schema: { tags: ['handovers'], summary: 'Shift handovers the caller may see, newest first', querystring: HandoverQuery, response: { 200: HandoverList, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const limit = req.query.limit ?? 20;
    const rows = await ctx.store.handovers.listHandovers({ limit: limit * 5, beforeId: req.query.beforeId, pending: req.query.pending });
    const items = rows.filter((h) => mayRead(p, h)).slice(0, limit);
    return { items: items.map((h) => present(p, h)), nextBeforeId: rows.length === limit * 5 || items.length === limit ? Number(items[items.length - 1]?.id ?? rows[rows.length - 1].id) : null };
  });

  app.post('/api/v1/handovers', {
    config: CENTRE,
    schema: {
      tags: ['handovers'], summary: 'Closes the caller\'s shift: the summary (open, overdue, urgent, ringing) is generated from what the caller may see',
      description: 'Only a shift leader (403 naming `role`).', body: HandoverBody, response: { 201: HandoverDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const h = await closeShift(ctx, req.body, p);
    reply.code(201);
    return present(p, h);
  });

  app.get('/api/v1/handovers/:id', {
    config: CENTRE,
    schema: { tags: ['handovers'], summary: 'One handover', params: IdParam, response: { 200: HandoverDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const h = /^\d{1,15}$/.test(req.params.id) ? await ctx.store.handovers.findHandover(Number(req.params.id)) : undefined;
    if (!h || !mayRead(p, h)) throw notFound('handover', req.params.id);
    return present(p, h);
  });

  app.post('/api/v1/handovers/:id/acknowledge', {
    config: CENTRE,
    schema: {
      tags: ['handovers'], summary: 'The next shift\'s leader acknowledges the handover (once)',
      params: IdParam, body: HandoverAckBody, response: { 200: HandoverDto, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const h = /^\d{1,15}$/.test(req.params.id) ? await ctx.store.handovers.findHandover(Number(req.params.id)) : undefined;
    if (!h || !mayRead(p, h)) throw notFound('handover', req.params.id);
    return present(p, await acknowledgeHandover(ctx, Number(h.id), p, req.body?.note?.trim() || null));
  });
}
