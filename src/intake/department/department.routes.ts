/**
 * Department systems (issue 3 §4): a department's own system pushes its incidents with an API key, idempotent by
 * its own id, and receives case changes by signed webhooks (webhook.routes.ts, jobs/webhook-delivery.job.ts).
 */
import { Type } from 'typebox';
import type { App } from '../../http/app.ts';
import type { AppContext } from '../../runtime/context.ts';
import { notFound } from '../../domain/errors.ts';
import { submit } from '../contract.ts';
import { principalOf } from '../../http/middleware/auth.ts';
import { ErrorResponse, shared } from '../../http/routes/common.schema.ts';
import { CaseDto } from '../../http/routes/cases/case.schema.ts';
import { presentCase } from '../../http/routes/cases/case.presenter.ts';
import { ExternalIdParam, PushCaseBody } from './department.schema.ts';
import { webhookRoutes } from './webhook.routes.ts';

const CaseRef = shared('Case', CaseDto);
const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

export async function departmentRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post('/api/v1/department/cases', {
    config: { permission: 'case.create' },
    schema: {
      tags: ['department systems'],
      summary: 'A department system pushes an incident (API key): one case, idempotent by the sender\'s own id',
      description: 'The idempotency key is the `Idempotency-Key` header when sent, else `ext:<externalId>`, scoped to the calling key. '
        + 'A resend with the same content returns the same case (200); the same key with other content is a 409 naming `Idempotency-Key` or `externalId`.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Optional; default ext:<externalId>' })) }),
      body: PushCaseBody,
      response: { 201: CaseRef, 200: CaseRef, ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const header = req.headers['idempotency-key'];
    const report = req.body;
    // The sender's own id is the key, unless it sends an Idempotency-Key of its own.
    const r = await submit(ctx, typeof header === 'string'
      ? { channel: 'department', report, key: header }
      : { channel: 'department', report, key: `ext:${report.externalId}`, keyField: 'externalId' }, p);
    return reply.status(r.created ? 201 : 200).header('location', `/api/v1/cases/${r.row.id}`).send(presentCase(r.row, ctx.ref, p));
  });

  app.get('/api/v1/department/cases/:externalId', {
    config: { permission: 'case.create' },
    schema: {
      tags: ['department systems'],
      summary: 'The caller\'s own pushed case, by its external id (only cases this key or user created)',
      params: ExternalIdParam,
      response: { 200: CaseRef, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const row = await ctx.store.webhooks.findCaseBySender(p.userId, req.params.externalId);
    if (!row) throw notFound('case with externalId', req.params.externalId);
    return presentCase(row, ctx.ref, p);
  });

  await webhookRoutes(app, ctx);
}
