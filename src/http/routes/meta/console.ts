/**
 * The web console (web/, issue 4): the Vite build in `config.webDir` served at `/` with an SPA fallback, and the
 * small public configuration it reads on start. Without a build (tests, a checkout that never ran `npm start`),
 * `/` keeps the plain landing page and nothing else changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { landingPage } from './landing.ts';

/** Prefixes that belong to the server, never to the console's router. */
const SERVER_PREFIXES = ['/api/', '/open311/', '/docs', '/healthz'];

const ConsoleConfig = Type.Object({
  cityName: Type.String({ description: 'Display name of the city (the city region, and its district when there is one)' }),
  timeZone: Type.String({ description: 'IANA time zone all dates are shown in, e.g. Asia/Shanghai' }),
  basemapUrl: Type.Union([Type.String(), Type.Null()], {
    description: 'Optional basemap (CITYOPS_BASEMAP_URL): a raster tile template with {z}/{x}/{y}, or a MapLibre style URL; null = none',
  }),
  version: Type.String(),
});

/** The IANA zone for the configured UTC offset: Asia/Shanghai for +480 (China), otherwise a fixed Etc/GMT zone. */

function isServerPath(url: string): boolean {
  return url === '/api' || url === '/docs' || SERVER_PREFIXES.some((p) => url.startsWith(p));
}

const hasBuild = (webDir: string) => fs.existsSync(path.join(webDir, 'index.html'));

function sendIndex(reply: FastifyReply) {
  reply.header('cache-control', 'no-cache');
  return reply.sendFile('index.html', { cacheControl: false });
}

/**
 * The server's not-found handler (app.ts), which also serves the console: files of the build, and the SPA
 * fallback — a page request (Accept: text/html) for any other path gets index.html, so /cases/123 can be
 * reloaded and bookmarked. Server paths keep their JSON 404 (encapsulated plugins such as Open311 have their
 * own not-found handler, which Fastify picks by prefix before this one). Not a route: no session lookup per file.
 */
/** Whether `file` is a file of the build; a name the file system refuses (too long, bad bytes) is none. */
function isFile(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

export function consoleOrNotFound(ctx: AppContext) {
  const webDir = ctx.config.webDir;
  return (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.url.split('?')[0];
    const notFound = () => reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route ${req.method} ${url}` } });
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isServerPath(url) || !hasBuild(webDir)) return notFound();
    let rel: string;
    try { rel = decodeURIComponent(url).replace(/^\/+/, ''); } catch { return notFound(); }
    const file = path.resolve(webDir, rel);
    if (rel && file.startsWith(webDir + path.sep) && isFile(file)) {
      if (rel === 'index.html') return sendIndex(reply);
      // Vite puts content-hashed files under assets/: they never change, so browsers may keep them for a year.
      const hashed = rel.startsWith('assets/');
      return reply.sendFile(rel, hashed ? { maxAge: '365d', immutable: true } : { maxAge: '1h' });
    }
    if (rel.startsWith('assets/') || !(req.headers.accept ?? '').includes('text/html')) return notFound();
    return sendIndex(reply);
  };
}

export async function consoleRoutes(app: App, ctx: AppContext): Promise<void> {
  const webDir = ctx.config.webDir;

  // Only the reply.sendFile decorator (global): `/` below and consoleOrNotFound decide what is served.
  await app.register(fastifyStatic, { root: webDir, serve: false });

  app.get('/api/v1/console/config', {
    config: { public: true },
    schema: { tags: ['meta'], summary: 'Public settings the web console reads on start (city name, time zone, basemap)', response: { 200: ConsoleConfig } },
  }, async () => {
    const regions = [...ctx.ref.current().regions.values()];
    const city = regions.find((r) => r.level === 'city');
    const districts = regions.filter((r) => r.level === 'district');
    const cityName = [city?.name, districts.length === 1 ? districts[0].name : undefined].filter(Boolean).join('') || 'CityOps';
    return { cityName, timeZone: ctx.config.timeZone, basemapUrl: ctx.config.basemapUrl ?? null, version: '0.1.0' };
  });

  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    if (!hasBuild(webDir)) return reply.type('text/html; charset=utf-8').send(landingPage());
    return sendIndex(reply);
  });
}
