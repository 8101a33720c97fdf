/**
 * Patrol reports (巡查上报, issue 3 §2): an inspector or grid member reports from the street with photos, a GPS
 * point and a matter code. The channel is trusted, so the case is REGISTERED directly; "self-fixed on the spot"
 * (自行处置) closes it at once with the result and the photos as evidence. See README.md here for the decisions.
 */
import { Type } from 'typebox';
import type { App } from '../../http/app.ts';
import type { AppContext } from '../../runtime/context.ts';
import { DomainError, invalidAs } from '../../domain/errors.ts';
import { discardUnattached, type StoredAttachment } from '../../commands/attachment-create.ts';
import { readPhotoForm } from '../photo-form.ts';
import type { CreateCaseResult } from '../../commands/case-create.ts';
import { priorCase, submit } from '../contract.ts';
import { transitionCase } from '../../commands/case-transition.ts';
import { principalOf } from '../../http/middleware/auth.ts';
import { ErrorResponse } from '../../http/routes/common.schema.ts';
import { CaseDto } from '../../http/routes/cases/case.schema.ts';
import { presentCase } from '../../http/routes/cases/case.presenter.ts';
import { loadVisibleCase } from '../../http/routes/cases/case.load.ts';
import { MAX_PHOTOS, TEXT_FIELDS, parsePatrolFields } from './patrol.form.ts';

const PATROL_ROLES = ['inspector', 'grid_member'] as const;

const PatrolReportDto = Type.Object({
  ...CaseDto.properties,
  selfFixed: Type.Boolean({ description: 'Whether the case was closed at once as self-fixed (自行处置)' }),
  selfFixError: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() }, {
    description: 'Present when selfFixed was asked but refused after the report was registered (e.g. the point is outside your regions): the report stands',
  })),
});

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse };

export async function patrolRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post('/api/v1/patrol/reports', {
    config: { permission: 'case.create' },
    schema: {
      tags: ['patrol'],
      summary: 'File a patrol report (巡查上报) with photos; optionally closed at once as self-fixed (自行处置)',
      description: 'multipart/form-data. Fields: `matterCode`, `lon`, `lat`, `coordSystem?` (wgs84|gcj02|bd09), `description`, '
        + '`partId?`, `urgency?` (normal|urgent|very_urgent), `selfFixed?` ("true"), `result?` (required with selfFixed), and 1–6 `photo` '
        + 'files (images; JPEG, PNG, WebP, GIF, HEIC). Inspectors and grid members only: the case is registered directly (trusted channel). '
        + 'With selfFixed the reporter closes it at once (ARCHIVED, closure normal) with the result and the photos as evidence; '
        + 'a grid member may self-fix only matters on the admission list (403 naming matterCode, nothing written). '
        + 'A refused report leaves nothing behind: photos stored while the form was read are removed again. '
        + 'Send an `Idempotency-Key` header so a phone can resend a report it is unsure about: a repeat answers 200 with the case the first '
        + 'attempt made (its photos are not stored again).',
      consumes: ['multipart/form-data'],
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Client-chosen key (e.g. the draft id on the phone)' })) }),
      response: { 201: PatrolReportDto, 200: PatrolReportDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    if (!p.roles.some((r) => (PATROL_ROLES as readonly string[]).includes(r))) {
      throw new DomainError('FORBIDDEN', 'roles: 只有监督员或网格员可以巡查上报 / patrol reports require the role inspector or grid_member', {
        field: 'roles', details: { requiredRoles: [...PATROL_ROLES] },
      });
    }
    if (!req.isMultipart()) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'body: send multipart/form-data with "photo" files', { field: 'photo' });
    }
    // A resend of a report that was already filed (the phone lost the answer): the first case, nothing stored again.
    const rawKey = req.headers['idempotency-key'];
    const key = typeof rawKey === 'string' && rawKey ? rawKey : undefined;
    const prior = await priorCase(ctx, 'patrol', p, key);
    if (prior) {
      for await (const part of req.parts()) if (part.type === 'file') for await (const _chunk of part.file); // drain
      const row = await loadVisibleCase(ctx, p, String(prior.id));
      return reply.status(200).header('location', `/api/v1/cases/${row.id}`).send({ ...presentCase(row, ctx.ref, p), selfFixed: row.state === 'ARCHIVED' });
    }
    // Photos are stored while the form is read; if the report is then refused they are removed again.
    const photos: StoredAttachment[] = [];
    const photoIds = () => photos.map((a) => a.id);
    let report: ReturnType<typeof parsePatrolFields>;
    let created: CreateCaseResult;
    try {
      const fields = await readPhotoForm(ctx, req, { textFields: TEXT_FIELDS, minPhotos: 1, maxPhotos: MAX_PHOTOS, actorId: p.userId }, photos);
      report = parsePatrolFields(fields);
      const ref = ctx.ref.current();
      if (!ref.matters.has(report.matterCode)) throw invalidAs('matterCode', { key: 'sensing.unknown_matter_code_2', params: { matterCode: String(report.matterCode) } }, `unknown matter code "${report.matterCode}"`);
      // A pure grid member may only be tasked with admitted matters (网格事项准入): refuse before writing anything.
      if (report.selfFixed && p.roles.includes('grid_member') && !p.roles.some((r) => r !== 'grid_member')) {
        ref.admission.assertAdmitted(report.matterCode);
      }
      created = await submit(ctx, {
        channel: 'patrol', key,
        report: {
          matterCode: report.matterCode, urgency: report.urgency, description: report.description,
          location: { lon: report.lon, lat: report.lat, coordSystem: report.coordSystem }, partId: report.partId, attachmentIds: photoIds(),
        },
      }, p);
    } catch (err) {
      await discardUnattached(ctx, { ids: photoIds() }).catch((e) => req.log.error(e, 'could not remove the photos of a refused patrol report'));
      throw err;
    }
    let row = created.row;
    let selfFixError: { code: string; message: string } | undefined;
    if (report.selfFixed) {
      try {
        row = await transitionCase(ctx, Number(row.id), { action: 'self_fix', result: report.result!, photos: photoIds() }, p);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        selfFixError = { code: e.code, message: e.message };
      }
    }
    return reply.status(201).header('location', `/api/v1/cases/${row.id}`).send({
      ...presentCase(row, ctx.ref, p), selfFixed: report.selfFixed && !selfFixError, ...(selfFixError ? { selfFixError } : {}),
    });
  });
}
