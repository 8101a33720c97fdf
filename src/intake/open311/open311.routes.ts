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
  badRequest, formatOfUrl, notFound311, parseFormat, renderDocument, sendDocument, sendErrors, sendRendered, toOpen311Error, type Format,
} from './open311.format.ts';
import { cachedRender } from './open311.cache.ts';
import { discoveryDocument, serviceDefinition, serviceList } from './open311.services.ts';
import { presentRequest } from './open311.presenter.ts';
import { renderRequestList } from './open311.render.ts';
import { postServiceRequest } from './open311.post.ts';
import { postMultipartServiceRequest } from './open311.media.ts';
import { filterFromQuery, type RequestsQuery as RequestsQueryArgs } from './open311.query.ts';
import {
  DiscoveryDto, FormatParam, JurisdictionQuery, Open311Errors, PostRequestBody, PostResponseDto, RequestIdParams, RequestsQuery,
  ServiceCodeParams, ServiceDefinitionDto, ServiceDto, ServiceRequestDto,
} from './open311.schema.ts';
import { Type } from 'typebox';

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
  }, async (req, reply) => send(reply, formatOf(req), 'services', serviceList(ctx.ref.current()) as never));

  s.get('/v2/services/:service_code.:format', {
    config: PUBLIC,
    schema: {
      tags: TAGS, security: NO_AUTH, summary: 'GeoReport v2 service definition (attributes; none defined yet, metadata=false)',
      params: ServiceCodeParams, querystring: JurisdictionQuery, produces: PRODUCES, response: { 200: ServiceDefinitionDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const f = formatOf(req);
    const code = (req.params as { service_code: string }).service_code;
    const def = serviceDefinition(ctx.ref.current(), code);
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
      const masters = await ctx.store.open311.findOpen311Masters(keys);
      return renderRequestList(f, keys, (ids) => ctx.store.open311.findOpen311CasesByIds(ids), masters, ctx.ref.current(), off);
    });
    return sendRendered(reply, f, body);
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
    return send(reply, f, 'service_requests', [presentRequest(row, ctx.ref.current(), off, master)] as never);
  });
}

export async function open311Routes(app: App, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => open311Plugin(scope as unknown as FastifyInstance, ctx), { prefix: '/open311' });
}
