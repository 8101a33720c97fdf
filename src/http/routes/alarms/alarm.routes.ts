/**
 * /api/v1/alarms — alarms from rules and camera analytics (issue 11 parts 4–5): the list (and the review queue,
 * `review=pending`), one alarm with its history and snapshot, accept / reject at review, marking false, and the
 * accuracy figures per device type, vendor and AI model. Everything follows the one visibility policy.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { notFound, invalidAs } from '../../../domain/errors.ts';
import { caseVisibility } from '../../../domain/policy/visibility.ts';
import { accuracyOf } from '../../../domain/sensing/rule-policy.ts';
import { acceptAlarm, markFalseAlarm, rejectAlarm } from '../../../commands/alarm-review.ts';
import { fromJson } from '../../../storage/codec.ts';
import type { AccuracyGroup, AlarmRow } from '../../../storage/repositories/alarm.repository.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';
import { AcceptResult, AccuracyDto, AccuracyQuery, AlarmDetail, AlarmList, AlarmQuery, ReasonBody, ReviewBody, AlarmDto } from './alarm.schema.ts';
import { canSeeAlarm, presentAlarm } from './alarm.presenter.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const GROUPS: Record<string, AccuracyGroup> = { device_type: 'device_type_id', vendor: 'vendor', ai_model: 'ai_model' };

export async function alarmRoutes(app: App, ctx: AppContext): Promise<void> {
  const visibility = (p: Principal) => {
    const regions = ctx.ref.current().regions;
    return caseVisibility(p, (id) => regions.get(id)?.parentId === null);
  };
  const load = async (p: Principal, id: string): Promise<AlarmRow> => {
    const a = await ctx.store.alarms.findAlarm(id);
    if (!a || !canSeeAlarm(ctx, p, a)) throw notFound('alarm', id);
    return a;
  };

  app.get('/api/v1/alarms', {
    config: { permission: 'case.read' },
    schema: { tags: ['alarms'], summary: 'Alarms the caller may see, newest first (review=pending: the review queue)', querystring: AlarmQuery, response: { 200: AlarmList, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const q = req.query;
    let before: { raisedAt: number; id: string } | undefined;
    if (q.before) {
      const m = /^(\d{1,15})_([a-z0-9]{1,40})$/.exec(q.before);
      if (!m) throw invalidAs('before', { key: 'alarm.not_cursor_from_next' }, 'is not a cursor from `next`');
      before = { raisedAt: Number(m[1]), id: m[2] };
    }
    const limit = q.limit ?? 50;
    const rows = await ctx.store.alarms.listAlarms({
      visibility: visibility(p), source: q.source, state: q.state, review: q.review, falseAlarm: q.falseAlarm, deviceId: q.deviceId, caseId: q.caseId, before, limit,
    });
    const last = rows[rows.length - 1];
    return { items: rows.map((a) => presentAlarm(ctx, p, a)), next: rows.length === limit && last ? `${Number(last.raised_at)}_${last.id}` : null };
  });

  app.get('/api/v1/alarms/accuracy', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['alarms'], summary: 'Accuracy of alarms per device type, vendor or AI model (1 − false / judged)',
      description: 'Reported AI accuracy in practice is 81–90 %: the number is shown, not assumed. Judged = not waiting for review and not below the confidence threshold.',
      querystring: AccuracyQuery, response: { 200: AccuracyDto, ...ERRORS },
    },
  }, async (req) => {
    const by = req.query.by ?? 'device_type';
    const days = req.query.days ?? 30;
    const rows = await ctx.store.alarms.accuracyCounts(GROUPS[by], ctx.clock.now() - days * 86400_000, visibility(principalOf(req)));
    return { by, days, items: rows.sort((a, b) => b.total - a.total).map((r) => ({ ...r, accuracy: accuracyOf(r.total, r.falseAlarms) })) };
  });

  app.get('/api/v1/alarms/:id', {
    config: { permission: 'case.read' },
    schema: { tags: ['alarms'], summary: 'One alarm with its history', params: IdParam, response: { 200: AlarmDetail, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const a = await load(p, req.params.id);
    const history = await ctx.store.alarms.alarmHistory(a.id);
    return {
      alarm: presentAlarm(ctx, p, a),
      history: history.map((h) => ({ action: h.action, actorName: h.actor_name, at: new Date(Number(h.at)).toISOString(), details: fromJson<Record<string, unknown>>(h.details, {}) })),
    };
  });

  app.get('/api/v1/alarms/:id/snapshot', {
    config: { permission: 'case.read' },
    schema: { tags: ['alarms'], summary: 'The snapshot uploaded with a camera alarm', params: IdParam, response: { 404: ErrorResponse } },
  }, async (req, reply) => {
    const a = await load(principalOf(req), req.params.id);
    const att = a.snapshot_attachment_id ? await ctx.store.attachments.find(a.snapshot_attachment_id) : undefined;
    if (!att) throw notFound('snapshot of alarm', a.id);
    reply.header('content-type', att.mime).header('cache-control', 'private, max-age=86400').header('x-content-type-options', 'nosniff');
    return reply.send(fs.createReadStream(path.join(ctx.config.dataDir, att.path)) as never);
  });

  app.post('/api/v1/alarms/:id/accept', {
    config: { permission: 'case.create' },
    schema: {
      tags: ['alarms'], summary: 'Accepts an alarm from the review queue: it becomes a case (or joins the open case of its camera or place)',
      params: IdParam, body: ReviewBody, response: { 200: AcceptResult, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    await load(p, req.params.id);
    const r = await acceptAlarm(ctx, req.params.id, p, req.body.note ?? null);
    return { alarm: presentAlarm(ctx, p, r.alarm), caseId: r.caseId, how: r.how };
  });

  app.post('/api/v1/alarms/:id/reject', {
    config: { permission: 'case.create' },
    schema: { tags: ['alarms'], summary: 'Rejects an alarm from the review queue as a false alarm (no case)', params: IdParam, body: ReasonBody, response: { 200: AlarmDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    await load(p, req.params.id);
    return presentAlarm(ctx, p, await rejectAlarm(ctx, req.params.id, p, req.body.reason));
  });

  app.post('/api/v1/alarms/:id/false', {
    config: { permission: 'case.create' },
    schema: { tags: ['alarms'], summary: 'Marks an alarm false after the fact (its case records it); feeds the accuracy figures', params: IdParam, body: ReasonBody, response: { 200: AlarmDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    await load(p, req.params.id);
    return presentAlarm(ctx, p, await markFalseAlarm(ctx, req.params.id, p, req.body.reason));
  });
}
