/**
 * Open311 GeoReport v2 server (issue 3, part 3): discovery at /open311/discovery.{json,xml}, the endpoint at
 * /open311/v2/. One encapsulated Fastify plugin, so its form-body parser, its error format and its 404s apply to
 * these routes only. All routes are public (the spec: no credentials to read); POST checks `api_key` itself.
 * Contract: docs/open311.md (shared docs); our decisions and extensions: ./README.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../http/app.ts';
import type { AppContext } from '../../runtime/context.ts';
import {
  badRequest, formatOfUrl, notFound311, parseFormat, sendDocument, sendErrors, sendParts, toOpen311Error, type Format,
} from './open311.format.ts';
import { cachedRender } from './open311.cache.ts';
import { discoveryDocument, serviceDefinition, serviceList } from './open311.services.ts';
import { presentRequest } from './open311.presenter.ts';
import { renderRequestList } from './open311.render.ts';
import { postServiceRequest } from './open311.post.ts';
import { postMultipartServiceRequest } from './open311.media.ts';
import { filterFromQuery, type RequestsQuery as RequestsQueryArgs } from './open311.query.ts';
import {
  DiscoveryDto, FormatParam, JurisdictionQuery, MediaParams, Open311Errors, PostRequestBody, PostResponseDto, PostUpdateBody, PostUpdateResponseDto,
  RequestIdParams, RequestsQuery, ServiceCodeParams, ServiceDefinitionDto, ServiceDto, ServiceRequestDto, UpdatesQuery, UpdateDto,
} from './open311.schema.ts';
import { Type } from 'typebox';
import { attributeSetsOf } from './open311.attributes.ts';
import { feedWindowFromQuery, listUpdates } from './open311.updates.ts';
import { postServiceRequestUpdate } from './open311.update-post.ts';
import { sendPublicMedia } from './open311.public-media.ts';
import { authenticateApiKey, readForm } from './open311.post.ts';
import { matterAttributeRoutes } from '../../http/routes/reference/matter-attributes.routes.ts';

const TAGS = ['open311'];
const PRODUCES = ['application/json', 'text/xml'];
const ERRORS = { 400: Open311Errors, 403: Open311Errors, 404: Open311Errors };
const PUBLIC = { public: true } as const;
/** No session or bearer token: reads are open, and POST carries its api_key in the form (GeoReport v2). */
const NO_AUTH: Record<string, string[]>[] = [];

/** The format suffix of the route, or a 404 in XML (the required format) for anything else. */
function formatOf(req: FastifyRequest): Format {
  const f = parseFormat((req.params as { format?: string }).format);
  if (!f) throw notFound311(`Unknown format "${String((req.params as { format?: string }).format).slice(0, 20)}": use .json or .xml`);
  return f;
}

/** form-urlencoded → an object of strings (repeated names → arrays), with no prototype to pollute. */
function parseForm(_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of new URLSearchParams(body.toString())) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  done(null, out);
}

function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

async function open311Plugin(s: FastifyInstance, ctx: AppContext): Promise<void> {
  // GeoReport v2 POST bodies are application/x-www-form-urlencoded (UTF-8); parsed here, for this scope only.
  s.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, parseForm);
  // Schemas here document only (see open311.schema.ts): handlers validate and answer in the spec's error format.
  s.setValidatorCompiler(() => () => true);
  s.setErrorHandler((err, req, reply) => {
    const e = toOpen311Error(err);
    if (e.unexpected) req.log.error({ err }, 'open311: unhandled error');
    const f = parseFormat((req.params as { format?: string } | undefined)?.format) ?? formatOfUrl(req.url);
    return sendErrors(reply, f, e.status, [e.description]);
  });
  s.setNotFoundHandler((req, reply) => {
    sendErrors(reply, formatOfUrl(req.url), 404, [`No such Open311 resource: ${req.method} ${req.url.split('?')[0].slice(0, 200)}`]);
  });

  const off = ctx.config.utcOffsetMinutes;
  const send = (reply: FastifyReply, f: Format, root: string, value: Parameters<typeof sendDocument>[3], status = 200) =>
    sendDocument(reply, f, root, value, status);

  s.get('/discovery.:format', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH, summary: 'Open311 service discovery: endpoints, specification and formats', params: FormatParam,
      produces: PRODUCES, response: { 200: DiscoveryDto, 404: Open311Errors },
    },
  }, async (req, reply) => send(reply, formatOf(req), 'discovery', discoveryDocument(baseUrl(req))));

  s.get('/v2/services.:format', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH, summary: 'GeoReport v2 service list: the matter catalogue (service_code = matter code, group = class)',
      params: FormatParam, querystring: JurisdictionQuery, produces: PRODUCES, response: { 200: Type.Array(ServiceDto), ...ERRORS },
    },
  }, async (req, reply) => {
    const f = formatOf(req);
    return send(reply, f, 'services', serviceList(ctx.ref.current(), await attributeSetsOf(ctx)) as never);
  });

  s.get('/v2/services/:service_code.:format', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH,
      summary: 'GeoReport v2 service definition: the extra questions (attributes) of a service; metadata=true in the list when it has any',
      description: 'Attributes in display order with variable, code (ASCII, sent back as attribute[code]), datatype, required, '
        + 'datatype_description, order, description, values {key, name} for list datatypes, and mySociety\'s `automated` when set. '
        + 'Administrators edit them at PUT /api/v1/catalog/matters/{code}/attributes.',
      params: ServiceCodeParams, querystring: JurisdictionQuery, produces: PRODUCES, response: { 200: ServiceDefinitionDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const f = formatOf(req);
    const code = (req.params as { service_code: string }).service_code;
    const def = serviceDefinition(ctx.ref.current(), await attributeSetsOf(ctx), code);
    if (!def) throw notFound311(`service_code "${code.slice(0, 40)}" not found / 服务类型不存在`);
    return send(reply, f, 'service_definition', def);
  });

  s.post('/v2/requests.:format', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH,
      summary: 'GeoReport v2 POST service request: a citizen report through the intake pipeline (form-encoded, api_key)',
      description: 'Located on the grid from lat/long, routed by the responsibility list, timed — the same pipeline as every channel. ' +
        'Send `Idempotency-Key` to make retries return the first result. Extension: multipart/form-data with the same fields ' +
        'and one photo in the file field `media` (fields first), stored as an attachment of the case.',
      params: FormatParam, consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'], body: PostRequestBody,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'Client-chosen key (≤ 200 chars); repeats return the first result' })) }),
      produces: PRODUCES, response: { 200: PostResponseDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const f = formatOf(req);
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string' && (key.length === 0 || key.length > 200)) throw badRequest('Idempotency-Key must be 1–200 characters');
    const idem = typeof key === 'string' ? key : undefined;
    const r = req.isMultipart() ? await postMultipartServiceRequest(ctx, req, idem) : await postServiceRequest(ctx, req.body, idem);
    return send(reply, f, 'service_requests', [r.item]);
  });

  s.get('/v2/requests.:format', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH,
      summary: 'GeoReport v2 GET service requests: newest first, default the last 90 days and at most 1,000',
      params: FormatParam, querystring: RequestsQuery, produces: PRODUCES, response: { 200: Type.Array(ServiceRequestDto), ...ERRORS },
    },
  }, async (req, reply) => {
    const f = formatOf(req);
    const now = ctx.clock.now();
    const body = await cachedRender(ctx.store, `${f}?${req.url.split('?')[1] ?? ''}`, now, async () => {
      const filter = filterFromQuery(req.query as RequestsQueryArgs, now, off);
      const keys = await ctx.store.open311.listOpen311Keys(filter);
      return renderRequestList(f, keys, {
        rows: (ids) => ctx.store.open311.findOpen311CasesByIds(ids),
        masters: (rows) => ctx.store.open311.findOpen311Masters(rows),
        cancellations: (ids) => ctx.store.open311.findCancellations(ids),
      }, ctx.ref.current(), off);
    });
    return sendParts(reply, f, body);
  });

  s.get('/v2/requests/:service_request_id.:format', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH, summary: 'GeoReport v2 GET one service request by its id (the case number)',
      params: RequestIdParams, querystring: JurisdictionQuery, produces: PRODUCES, response: { 200: Type.Array(ServiceRequestDto), ...ERRORS },
    },
  }, async (req, reply) => {
    const f = formatOf(req);
    const id = (req.params as { service_request_id: string }).service_request_id;
    const row = /^\d{8,24}$/.test(id) ? await ctx.store.open311.findOpen311Case(id) : undefined;
    if (!row) throw notFound311(`service_request_id "${id.slice(0, 40)}" not found / 未找到该诉求`);
    const master = (await ctx.store.open311.findOpen311Masters([row])).get(row.master_case_id ?? 0);
    const followed = master ?? row;
    const cancellation = followed.state === 'CANCELLED' ? (await ctx.store.open311.findCancellations([followed.id])).get(followed.id) ?? null : null;
    return send(reply, f, 'service_requests', [presentRequest(row, ctx.ref.current(), off, { master, cancellation })] as never);
  });

  s.get('/v2/servicerequestupdates.:format', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH,
      summary: 'Extension (mySociety): updates of requests in a time window — the public steps of their handling',
      description: 'One `request_update` per public step (a change of state, a citizen\'s update), oldest first: update_id (stable; '
        + 'a POSTed update is listed under the id its POST returned), service_request_id, status (extended: open, investigating, '
        + 'action_scheduled, in_progress, fixed, duplicate, not_councils_responsibility, no_further_action), updated_datetime, '
        + 'description (public text only), media_url (photos of the fix, at signed public URLs), external_status_code (our state). '
        + 'Needs a valid api_key in the query.',
      params: FormatParam, querystring: UpdatesQuery, produces: PRODUCES, response: { 200: Type.Array(UpdateDto), ...ERRORS },
    },
  }, async (req, reply) => {
    const f = formatOf(req);
    const q = req.query as Record<string, string | string[] | undefined>;
    await authenticateApiKey(ctx, readForm({ api_key: q.api_key }), null);
    const window = feedWindowFromQuery(q, ctx.clock.now(), off);
    return send(reply, f, 'service_request_updates', await listUpdates(ctx, window, baseUrl(req)) as never);
  });

  s.post('/v2/servicerequestupdates.:format', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH,
      summary: 'Extension (mySociety): a citizen\'s update about a request, from a client (comment, "still there", "fixed")',
      description: 'Recorded on the case as a public comment; REOPEN (or OPEN on a closed request) from the client that filed the '
        + 'report reopens it (unsatisfied callback, or reopen within 30 days of closure); FIXED never closes a case. A retry with '
        + 'the same update_id answers the same update_id. See docs/decisions.md.',
      params: FormatParam, consumes: ['application/x-www-form-urlencoded'], body: PostUpdateBody,
      produces: PRODUCES, response: { 200: PostUpdateResponseDto, ...ERRORS },
    },
  }, async (req, reply) => send(reply, formatOf(req), 'service_request_updates', [await postServiceRequestUpdate(ctx, req.body)]));

  s.get('/v2/media/:attachment/:signature', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH,
      summary: 'A photo published in the update feed, at the signed URL the feed gave (no credentials); 404 for anything else',
      params: MediaParams, produces: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic'], response: { 404: Open311Errors },
    },
  }, async (req, reply) => {
    const { attachment, signature } = req.params as { attachment: string; signature: string };
    return sendPublicMedia(ctx, reply, attachment, signature);
  });
}

export async function open311Routes(app: App, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => open311Plugin(scope as unknown as FastifyInstance, ctx), { prefix: '/open311' });
  // The administrators' side of the service definitions (REST, /api/v1/catalog/matters/{code}/attributes).
  await matterAttributeRoutes(app, ctx);
}
