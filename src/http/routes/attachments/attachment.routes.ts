import fs from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError, notFound } from '../../../domain/errors.ts';
import { createAttachment } from '../../../commands/attachment-create.ts';
import { principalOf } from '../../middleware/auth.ts';
import { canSeeCase } from '../../../domain/policy/visibility.ts';
import { isAdmin } from '../../../domain/policy/scope.ts';
import { caseFactsOf } from '../../../commands/case-transition.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';

const Attachment = Type.Object({
  id: Type.String(), filename: Type.String(), mime: Type.String(), size: Type.Integer(), sha256: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

export async function attachmentRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post('/api/v1/attachments', {
    config: { permission: 'attachment.create' },
    schema: {
      tags: ['attachments'],
      summary: 'Upload one photo (multipart/form-data, field "file"); returns its id to cite in case actions',
      consumes: ['multipart/form-data'],
      response: { 201: Attachment, 400: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    if (!req.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'body: send multipart/form-data with a "file" field', { field: 'file' });
    const file = await req.file();
    if (!file) throw new DomainError('VALIDATION_FAILED', 'file: is required', { field: 'file' });
    const a = await createAttachment(ctx, { stream: file.file, filename: file.filename, truncated: () => file.file.truncated }, p.userId);
    return reply.status(201).send({ ...a, createdAt: new Date(a.createdAt).toISOString() });
  });

  app.get('/api/v1/attachments/:id', {
    config: { permission: 'case.read' },
    schema: { tags: ['attachments'], summary: 'Download a photo', params: IdParam, response: { 404: ErrorResponse } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const a = await ctx.store.attachments.find(req.params.id);
    // A photo follows its case's visibility (a case the caller may not see: its photos are "not found" too).
    // One not yet attached to a case is its uploader's (and administrators') only.
    const visible = a && (a.case_id === null
      ? a.created_by === p.userId || isAdmin(p)
      : await ctx.store.cases.findCase(Number(a.case_id)).then((c) => !!c && canSeeCase(p, caseFactsOf(c, ctx.ref))));
    if (!a || !visible) throw notFound('attachment', req.params.id);
    reply.header('content-type', a.mime).header('cache-control', 'private, max-age=86400').header('x-content-type-options', 'nosniff');
    return reply.send(fs.createReadStream(path.join(ctx.config.dataDir, a.path)) as never);
  });
}
