/** Outgoing webhook subscriptions and their delivery log (permission apikey.manage: who may issue keys may wire systems). */
import { Type } from 'typebox';
import type { App } from '../../http/app.ts';
import type { AppContext } from '../../runtime/context.ts';
import { notFound } from '../../domain/errors.ts';
import { principalOf } from '../../http/middleware/auth.ts';
import { ErrorResponse, IdParam } from '../../http/routes/common.schema.ts';
import { createWebhook } from '../../commands/webhook-create.ts';
import { deactivateWebhook } from '../../commands/webhook-deactivate.ts';
import { CreateWebhookBody, CreatedWebhookDto, DeliveryDto, DeliveryQuery, WebhookDto, WebhookWithLogDto, presentDelivery, presentWebhook } from './department.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function webhookRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post('/api/v1/webhooks', {
    config: { permission: 'apikey.manage' },
    schema: {
      tags: ['department systems'],
      summary: 'Subscribe a department system to case changes (signed POSTs); the signing secret is shown once',
      body: CreateWebhookBody,
      response: { 201: CreatedWebhookDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const { row, secret } = await createWebhook(ctx, req.body, p.userId);
    return reply.status(201).send({ ...presentWebhook(row), secret });
  });

  app.get('/api/v1/webhooks', {
    config: { permission: 'apikey.manage' },
    schema: {
      tags: ['department systems'], summary: 'Webhook subscriptions (without secrets), each with its delivery log in numbers and its latest failure',
      response: { 200: Type.Object({ items: Type.Array(WebhookWithLogDto) }), ...ERRORS },
    },
  }, async () => {
    const subs = await ctx.store.webhooks.listSubscriptions();
    const ids = subs.map((s) => s.id);
    const [counts, failures] = await Promise.all([ctx.store.webhooks.deliveryCounts(ids), ctx.store.webhooks.lastFailures(ids)]);
    return {
      items: subs.map((s) => {
        const f = failures.get(s.id);
        const d = f ? presentDelivery(f) : undefined;
        return {
          ...presentWebhook(s),
          deliveries: {
            ...(counts.get(s.id) ?? { pending: 0, delivered: 0, failed: 0, dead: 0 }),
            lastFailure: d ? { eventId: d.eventId, topic: d.topic, status: d.status, attempts: d.attempts, lastStatusCode: d.lastStatusCode, lastError: d.lastError, createdAt: d.createdAt } : null,
          },
        };
      }),
    };
  });

  app.post('/api/v1/webhooks/:id/deactivate', {
    config: { permission: 'apikey.manage' },
    schema: { tags: ['department systems'], summary: 'Stop a subscription; its pending deliveries end as failed', params: IdParam, response: { 200: WebhookDto, ...ERRORS } },
  }, async (req) => presentWebhook(await deactivateWebhook(ctx, req.params.id)));

  app.get('/api/v1/webhooks/:id/deliveries', {
    config: { permission: 'apikey.manage' },
    schema: {
      tags: ['department systems'], summary: 'The delivery log of a subscription, newest first', params: IdParam, querystring: DeliveryQuery,
      response: { 200: Type.Object({ items: Type.Array(DeliveryDto), nextBeforeId: Type.Union([Type.Integer(), Type.Null()]) }), ...ERRORS },
    },
  }, async (req) => {
    if (!(await ctx.store.webhooks.findSubscription(req.params.id))) throw notFound('webhook', req.params.id);
    const limit = req.query.limit ?? 100;
    const rows = await ctx.store.webhooks.listDeliveries(req.params.id, { status: req.query.status, beforeId: req.query.beforeId, limit });
    return { items: rows.map(presentDelivery), nextBeforeId: rows.length === limit ? Number(rows[rows.length - 1].id) : null };
  });
}
