/**
 * The HTTP edge: Fastify with TypeBox schemas that drive validation and the OpenAPI document.
 * Handlers are thin: authenticate (hook) → validate (schema) → load → authorize → command → present.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger, type RawServerDefault, type RawRequestDefaultExpression, type RawReplyDefaultExpression } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { AppContext } from '../runtime/context.ts';
import { errorHandler } from './middleware/error-mapper.ts';
import { frameworkErrors } from './middleware/framework-errors.ts';
import { registerSecurityHeaders, securityHeaders } from './middleware/security-headers.ts';
import { registerAuth } from './middleware/auth.ts';
import { registerInputGuard, withNumericBounds } from './middleware/input-guard.ts';
import { registerRoutes } from './routes/index.ts';
import { consoleOrNotFound } from './routes/meta/console.ts';
import { SHARED_SCHEMAS } from './routes/common.schema.ts';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

// ajv-formats ships CommonJS with a default export.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

function makeAjv(coerce: boolean) {
  // Bodies: no coercion ("12" is not a number) and no silent removal of unknown fields (they are refused).
  // Query strings and params arrive as text, so they are coerced.
  const ajv = new Ajv({
    coerceTypes: coerce ? 'array' : false, useDefaults: true, removeAdditional: false, allErrors: false, strict: false,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

export const API_INFO = {
  title: 'CityOps API',
  version: '0.1.0',
  description:
    'CityOps — unified city operations management (一网统管). Cases from every channel, located on the grid, ' +
    'routed by the responsibility list, tracked against time limits. Errors: `{ "error": { "code", "message", "field" } }`.',
};

export async function buildApp(ctx: AppContext, opts: { logger?: boolean } = {}): Promise<App> {
  const responseHeaders = securityHeaders({ https: ctx.config.cookieSecure });
  const app: App = Fastify({
    logger: opts.logger ? { level: ctx.config.logLevel } : false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: {} },
    logController: new LogController({ disableRequestLogging: true }),
    // Only a configured proxy may name the client (X-Forwarded-For): otherwise anyone could dodge the rate limits.
    trustProxy: ctx.config.trustProxy,
    // Node's default 16 KB for the request line and headers is too small for Open311's documented 1,000 ids in one
    // GET requests.xml?service_request_id=… (~17 KB with escaped commas, ~28 KB at the longest ids), which
    // FixMyStreet sends in one call; 64 KB holds them (a longer request line still gets Node's 431).
    http: { maxHeaderSize: 64 * 1024 },
    // Router-level errors (bad %-escapes, over-long path segments) in our error shape, without echoing the path.
    frameworkErrors: (err, req, reply) => frameworkErrors(err, req, reply.headers(responseHeaders)),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const bodyAjv = makeAjv(false);
  const queryAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : queryAjv;
    return ajv.compile(withNumericBounds(schema)) as never;
  });
  app.setErrorHandler(errorHandler);
  // JSON 404s; also serves the web console's files and its SPA fallback (routes/meta/console.ts).
  app.setNotFoundHandler(consoleOrNotFound(ctx));

  await app.register(cookie);
  registerSecurityHeaders(app, responseHeaders);
  await app.register(multipart, {
    limits: { fileSize: ctx.config.maxAttachmentBytes, files: 10, fields: 20 },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: API_INFO,
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cityops_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'API key from `cityops apikey create`' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  for (const [id, schema] of Object.entries(SHARED_SCHEMAS)) app.addSchema({ ...schema, $id: id });
  // Swagger UI loads its scripts and styles from files (no inline code): it works under the same policy.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  // swagger-ui registers its own routes; mark them public for the route table.
  registerAuth(app, ctx);
  registerInputGuard(app);
  await registerRoutes(app, ctx);
  return app;
}
