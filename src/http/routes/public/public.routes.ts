/**
 * The citizen portal's public API (issue 4, /portal — no sign-in): the list of common problems to report, a report
 * with a map point and a photo (through the one intake pipeline, channel 'app'), following a case by its number,
 * and rating the result once it is closed, with the private tracking code handed out at report time.
 *
 * Abuse limits, per client address (in-process, like the sign-in limiter): 20 report attempts per 10 minutes, and
 * 10 wrong tracking codes per 15 minutes; then 429 until the window moves. Reports take an Idempotency-Key.
 */

import fs from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError, notFound, invalidAs } from '../../../domain/errors.ts';
import { isValidCallerPhone } from '../../../domain/hotline/hotline.ts';
import { isPortalMatter } from '../../../domain/catalog/portal-matters.ts';
import { FailureLimiter } from '../../../security/rate-limiter.ts';
import { discardUnattached, type StoredAttachment } from '../../../commands/attachment-create.ts';
import { readPhotoForm } from '../../../intake/photo-form.ts';
import type { CreateCaseResult } from '../../../commands/case-create.ts';
import { submit } from '../../../intake/contract.ts';
import { transitionCase } from '../../../commands/case-transition.ts';
import type { CaseRow } from '../../../storage/repositories/case.repository.ts';
import { ErrorResponse } from '../common.schema.ts';
import { presentPublicCase, publicResult, publicStageOf } from './public.presenter.ts';
import {
  CaseNoParam, OutlineDto, OutlineQuery, PublicCaseDto, PublicReportDto, RatingBody,
} from './public.schema.ts';
import { codeMatches, formatCode, hashCode, trackingCode } from './public.store.ts';
import { duplicatesPreviewRoutes } from './duplicates-preview.routes.ts';
import { PORTAL_RATER_ID, PORTAL_RATER_NAME, ratingStep } from './portal-rating.ts';
import { recordPublicRating } from '../../../commands/callback-rating.ts';
import { portalMattersRoutes } from './portal-matters.routes.ts';
import { portalMapRoutes } from './portal-map.routes.ts';

const PUBLIC = { public: true } as const;
const ERRORS = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse };

/** Who reports on the portal: nobody signed in. Recorded as the case's creator and the photos' uploader. */
const PORTAL_ACTOR = { userId: 'public:portal', name: '市民门户', roles: [], unitIds: [], regionIds: [] };

const MAX_PHOTOS = 3;
const TEXT_FIELDS = ['matterCode', 'lon', 'lat', 'address', 'description', 'phone'] as const;

interface Limiters { reports: FailureLimiter; codes: FailureLimiter }
const limiters = new WeakMap<AppContext, Limiters>();
function limitersOf(ctx: AppContext): Limiters {
  let l = limiters.get(ctx);
  if (!l) limiters.set(ctx, (l = { reports: new FailureLimiter(20, 10 * 60_000), codes: new FailureLimiter(10, 15 * 60_000) }));
  return l;
}
function refuseIfBlocked(limiter: FailureLimiter, ip: string, now: number, what: string): void {
  const wait = limiter.blockedFor(ip, now);
  if (wait > 0) {
    const s = Math.ceil(wait / 1000);
    throw new DomainError('RATE_LIMITED', `${what}: too many attempts from this address; try again in ${s} s / 操作过于频繁，请 ${s} 秒后再试`, {
      details: { retryAfterSeconds: s },
    });
  }
}

interface ReportFields { matterCode: string; lon?: number; lat?: number; address?: string; description: string; phone?: string }

function parseFields(ctx: AppContext, f: Map<string, string>): ReportFields {
  const text = (name: string, max: number): string | undefined => {
    const v = f.get(name)?.trim();
    if (!v) return undefined;
    if ([...v].length > max) throw invalidAs(name, { key: 'catalog.at_most_characters', params: { max: String(max) } }, `must be at most ${max} characters`);
    return v;
  };
  const matterCode = text('matterCode', 10);
  if (!matterCode) throw invalidAs('matterCode', { key: 'public.required_choose_what_problem' }, 'is required: choose what the problem is');
  const matter = ctx.ref.current().matters.get(matterCode);
  if (!matter) throw invalidAs('matterCode', { key: 'sensing.unknown_matter_code_2', params: { matterCode: String(matterCode) } }, `unknown matter code "${matterCode}"`);
  if (!isPortalMatter(ctx.ref.current().portalMatters, matter.code)) {
    throw invalidAs('matterCode', { key: 'public.matter_not_reported_on_portal', params: { code: String(matter.code) } }, `matter ${matter.code} is not reported on the portal (GET /api/v1/public/matters lists those that are)`);
  }
  const description = text('description', 2000);
  if (!description) throw invalidAs('description', { key: 'public.required_describe_problem' }, 'is required: describe the problem');
  const coord = (name: 'lon' | 'lat', limit: number): number | undefined => {
    const raw = text(name, 40);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!/^[-+]?\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n) || n < -limit || n > limit) throw invalidAs(name, { key: 'public.decimal_number_degrees_got', params: { raw: String(raw) } }, `must be a decimal number of degrees, got "${raw}"`);
    return n;
  };
  const lon = coord('lon', 180);
  const lat = coord('lat', 90);
  if ((lon === undefined) !== (lat === undefined)) throw invalidAs(lon === undefined ? 'lon' : 'lat', { key: 'public.lon_and_lat_are_sent' }, 'lon and lat are sent together');
  const address = text('address', 200);
  if (lon === undefined && !address) throw invalidAs('location', { key: 'public.required_point_on_map_lon' }, 'is required: a point on the map (lon, lat) or an address');
  const phone = text('phone', 30);
  if (phone !== undefined && !isValidCallerPhone(phone)) throw invalidAs('phone', { key: 'field.not_valid_phone_number_mobile' }, 'is not a valid phone number (mobile 1xxxxxxxxxx or landline 0xx-xxxxxxxx)');
  return { matterCode: matter.code, description, ...(lon !== undefined ? { lon, lat } : {}), ...(address ? { address } : {}), ...(phone ? { phone } : {}) };
}

/** The case, the case whose progress it follows (its master when linked), that one's history, and the result's image photos. */
async function publicFacts(ctx: AppContext, row: CaseRow) {
  const master = row.master_case_id === null ? undefined : await ctx.store.cases.findCase(Number(row.master_case_id));
  const followed = master ?? row;
  const history = await ctx.store.history.listOf(Number(followed.id));
  const result = publicResult(history, publicStageOf(followed.state));
  const rows = await Promise.all((result?.photoIds ?? []).map((id) => ctx.store.attachments.find(id)));
  // Only images attached to the followed case: an id in the history that points elsewhere is never served.
  const resultPhotos = rows.filter((a) => !!a && a.mime.startsWith('image/') && Number(a.case_id) === Number(followed.id)).map((a) => a!);
  return { master, history, resultPhotos };
}

async function publicView(ctx: AppContext, row: CaseRow) {
  const [{ master, history, resultPhotos }, report] = await Promise.all([publicFacts(ctx, row), ctx.store.publicReports.find(Number(row.id))]);
  return presentPublicCase(ctx.ref.current(), {
    row, master, history, portalReport: !!report, resultPhotos,
    rating: report?.rating && report.ratedAt !== null ? { rating: report.rating, at: report.ratedAt } : null,
  });
}

export async function publicRoutes(app: App, ctx: AppContext): Promise<void> {
  await duplicatesPreviewRoutes(app, ctx);
  await portalMattersRoutes(app, ctx);
  await portalMapRoutes(app, ctx);

  app.get('/api/v1/public/regions.geojson', {
    config: PUBLIC,
    schema: {
      tags: ['portal'], summary: 'District or street outlines for the portal map (public: names and shapes only)',
      querystring: OutlineQuery, response: { 200: OutlineDto, 400: ErrorResponse },
    },
  }, async (req, reply) => {
    const level = req.query.level ?? 'street';
    const ref = ctx.ref.current();
    const rows = await ctx.store.referenceQuery.listRegionGeometries(level);
    reply.header('cache-control', 'public, max-age=300');
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((r) => ({ type: 'Feature' as const, id: r.id, geometry: r.geometry, properties: { id: r.id, name: ref.regions.get(r.id)?.name ?? r.id, level } })),
    };
  });

  app.post('/api/v1/public/reports', {
    config: PUBLIC,
    schema: {
      tags: ['portal'],
      summary: 'A citizen reports a problem (public, no sign-in): a case number and a private tracking code in return',
      description: 'multipart/form-data. Fields: `matterCode` (GET /public/matters), `lon` + `lat` (WGS84) or `address`, `description`, '
        + `\`phone?\` (for a callback), and 0–${MAX_PHOTOS} \`photo\` files (JPEG, PNG, WebP, GIF, HEIC; size limit as for attachments). `
        + 'The report goes through the intake pipeline (channel app: located, routed, timed, duplicate check). The tracking code is shown '
        + 'once; only its hash is kept. Send an `Idempotency-Key` header: a retry answers 200 with the same case and code. '
        + '20 attempts per client address per 10 minutes, then 429.',
      consumes: ['multipart/form-data'],
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200, description: 'Client-chosen random key; repeats return the first result' })) }),
      response: { 201: PublicReportDto, 200: PublicReportDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const now = ctx.clock.now();
    const { reports } = limitersOf(ctx);
    refuseIfBlocked(reports, req.ip, now, 'report');
    reports.fail(req.ip, now); // every attempt counts
    if (!req.isMultipart()) throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'body: send multipart/form-data', { field: 'body' });
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && key ? key : undefined;
    const photos: StoredAttachment[] = [];
    const photoIds = () => photos.map((a) => a.id);
    const discardPhotos = () => discardUnattached(ctx, { ids: photoIds() }).catch((e) => req.log.error(e, 'could not remove the photos of a portal report'));
    let r: CreateCaseResult;
    try {
      const f = parseFields(ctx, await readPhotoForm(ctx, req, { textFields: TEXT_FIELDS, minPhotos: 0, maxPhotos: MAX_PHOTOS, actorId: PORTAL_ACTOR.userId }, photos));
      // The portal's own record (the tracking code's hash) commits with the case, in its transaction. With a key the
      // code derives from it, so a retry is answered with the same code (only the code's hash is stored).
      const code = trackingCode(await ctx.store.publicReports.portalSecret(), idempotencyKey);
      // Photos are stored anew on every attempt (new ids): a retry is recognised by the fields and the photos' hashes.
      const fingerprint = photos.map((a) => a.sha256);
      r = await submit(ctx, {
        channel: 'app', key: idempotencyKey, fingerprint,
        report: {
          matterCode: f.matterCode, description: f.description,
          ...(f.lon !== undefined ? { location: { lon: f.lon, lat: f.lat!, coordSystem: 'wgs84' as const } } : {}),
          ...(f.address ? { address: f.address } : {}),
          ...(f.phone ? { reporter: { phone: f.phone } } : {}),
          attachmentIds: photoIds(),
          related: [{ table: 'public_reports', values: { code_hash: hashCode(code), request_hash: null, created_at: now, rating: null, rating_comment: null, rated_at: null } }],
        },
      }, PORTAL_ACTOR);
      // A retry answered from the first report: this attempt's photos are not needed.
      if (!r.created) await discardPhotos();
      const view = await publicView(ctx, r.row);
      return reply.status(r.created ? 201 : 200).send({ ...view, trackingCode: formatCode(code), duplicate: r.row.master_case_id !== null });
    } catch (err) {
      await discardPhotos();
      throw err;
    }
  });
  app.get('/api/v1/public/cases/:caseNo', {
    config: PUBLIC,
    schema: {
      tags: ['portal'], summary: 'Follow a case by its number (public): stage, matter, street, dates and progress — no personal data',
      params: CaseNoParam, response: { 200: PublicCaseDto, ...ERRORS },
    },
  }, async (req) => {
    const row = await ctx.store.cases.findCaseByNo(req.params.caseNo);
    if (!row) throw notFound('case', req.params.caseNo);
    return publicView(ctx, row);
  });

  app.get('/api/v1/public/cases/:caseNo/photos/:photoId', {
    config: PUBLIC,
    schema: {
      tags: ['portal'],
      summary: 'A photo of a resolved case\'s result (public): only the after-photos the tracking page lists, nothing else of the case',
      params: Type.Object({ ...CaseNoParam.properties, photoId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$', description: 'Photo id from result.photos' }) }),
      response: { 404: ErrorResponse },
    },
  }, async (req, reply) => {
    const row = await ctx.store.cases.findCaseByNo(req.params.caseNo);
    const photo = row ? (await publicFacts(ctx, row)).resultPhotos.find((a) => a.id === req.params.photoId) : undefined;
    if (!photo) throw notFound('photo', req.params.photoId);
    reply.header('content-type', photo.mime).header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff');
    return reply.send(fs.createReadStream(path.join(ctx.config.dataDir, photo.path)) as never);
  });

  app.post('/api/v1/public/cases/:caseNo/rating', {
    config: PUBLIC,
    schema: {
      tags: ['portal'],
      summary: 'Rate the result of a closed case (public, with the tracking code): 满意 / 基本满意 / 不满意, once',
      description: 'Wrong code → 403 (10 wrong codes per client address per 15 minutes, then 429); case not closed yet → 409; already rated → 409. '
        + 'The rating is the citizen\'s answer to the callback (回访): a case waiting for its callback is called back with it (不满意 reopens it for its '
        + 'unit; a second unsatisfied answer escalates it to supervision), and 不满意 on a case archived without a callback in the last 30 days '
        + 'after a passed check reopens it. Recorded as the citizen (public:portal).',
      params: CaseNoParam, body: RatingBody, response: { 200: PublicCaseDto, ...ERRORS },
    },
  }, async (req) => {
    const now = ctx.clock.now();
    const { codes } = limitersOf(ctx);
    refuseIfBlocked(codes, req.ip, now, 'code');
    const body = req.body;
    const row = await ctx.store.cases.findCaseByNo(req.params.caseNo);
    if (!row) throw notFound('case', req.params.caseNo);
    const report = await ctx.store.publicReports.find(Number(row.id));
    if (!report || !codeMatches(body.code, report.codeHash)) {
      codes.fail(req.ip, now);
      throw new DomainError('FORBIDDEN', 'code: the tracking code does not match this case / 查询码与案件编号不符', { field: 'code' });
    }
    const view = await publicView(ctx, row);
    if (view.status !== 'closed') {
      throw new DomainError('INVALID_TRANSITION', `case ${row.case_no} is not closed yet (${view.stageLabel.zh}): rate it once it is closed / 案件尚未办结，办结后可评价`, {
        field: 'caseNo', details: { stage: view.stage },
      });
    }
    const comment = body.comment?.trim() || null;
    const alreadyRated = () => new DomainError('CONFLICT', `rating: case ${row.case_no} has already been rated / 该案件已评价`, { field: 'rating' });
    // The rating is the citizen's answer to the callback (portal-rating.ts): it is recorded in the same transaction as
    // the step it makes on the case, or alone when it makes none. A case that moved meanwhile is looked at again.
    for (let attempt = 0; ; attempt++) {
      const cur = attempt === 0 ? row : (await ctx.store.cases.findCase(Number(row.id)))!;
      const step = ratingStep(cur, body.rating, comment, now, ctx.ref);
      // The rating is also the case's `public_rating` row and closes a callback in work (commands/callback-rating.ts).
      const rater = { id: PORTAL_RATER_ID, name: PORTAL_RATER_NAME };
      if (!step) {
        await ctx.store.transaction(async (tx) => {
          if (!(await tx.publicReports.rateOnce(Number(row.id), body.rating, comment, now))) throw alreadyRated();
          await recordPublicRating(tx, cur, body.rating, comment, 'portal', rater, now);
        });
        break;
      }
      try {
        await transitionCase(ctx, Number(row.id), step.input, step.actor, {
          expectedVersion: Number(cur.version),
          within: async (tx, next) => {
            if (!(await tx.publicReports.rateOnce(Number(row.id), body.rating, comment, now))) throw alreadyRated();
            await recordPublicRating(tx, next, body.rating, comment, 'portal', rater, now);
          },
        });
        break;
      } catch (err) {
        const moved = err instanceof DomainError && (err.code === 'INVALID_TRANSITION' || (err.code === 'CONFLICT' && err.field === 'version'));
        if (!moved || attempt >= 2) throw err;
      }
    }
    return publicView(ctx, (await ctx.store.cases.findCase(Number(row.id)))!);
  });
}
