/**
 * Authentication and the declared-permission check (house rule 6): every route carries
 * `config: { permission }` or `config: { public: true }`; `onRoute` refuses to register a route without one.
 * Order per request: authenticate (session cookie or bearer API key) → CSRF for cookie writes → permission.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.ts';
import { hasPermission, type Permission, type Role } from '../../domain/policy/permissions.ts';
import { sha256 } from '../../security/tokens.ts';
import { resolveApiKey } from '../../security/api-keys.ts';
import type { AppContext } from '../../runtime/context.ts';

export const SESSION_COOKIE = 'cityops_session';

export interface Principal {
  kind: 'user' | 'api_key';
  userId: string;
  name: string;
  roles: Role[];
  unitIds: string[];
  regionIds: string[];
  sessionId?: string;
  csrfToken?: string;
}

export interface RouteAccess {
  permission?: Permission;
  public?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    permission?: Permission;
    public?: boolean;
  }
}

/** Every registered route and what it declared — walked by the test that proves none lacks a permission. */
export const routeTable: { method: string; url: string; permission?: Permission; public?: boolean }[] = [];

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new DomainError('UNAUTHENTICATED', 'Sign in or send an API key (Authorization: Bearer …)');
  return req.principal;
}

async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Principal | undefined> {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new DomainError('UNAUTHENTICATED', 'Authorization header must be "Bearer <api key>"', { field: 'authorization' });
    const key = await resolveApiKey(ctx.store, sha256(m[1]), ctx.clock.now());
    if (!key || key.revokedAt !== null) throw new DomainError('UNAUTHENTICATED', 'Unknown or revoked API key', { field: 'authorization' });
    return { kind: 'api_key', userId: `key:${key.id}`, name: key.name, roles: key.roles, unitIds: key.unitIds, regionIds: key.regionIds };
  }
  const token = req.cookies?.[SESSION_COOKIE];
  if (!token) return undefined;
  const now = ctx.clock.now();
  const session = await ctx.store.auth.findSession(sha256(token));
  if (!session || session.expiresAt <= now || session.lastSeenAt + ctx.config.sessionIdleMs <= now) return undefined;
  const user = await ctx.store.auth.findUserById(session.userId);
  if (!user || !user.active) return undefined;
  // Sliding idle timeout; written at most once a minute to keep reads cheap.
  if (now - session.lastSeenAt > 60_000) await ctx.store.auth.touchSession(session.id, now);
  return {
    kind: 'user', userId: user.id, name: user.displayName, roles: user.roles, unitIds: user.unitIds,
    regionIds: user.regionIds, sessionId: session.id, csrfToken: session.csrfToken,
  };
}

export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  // Routes registered before this hook (the /docs UI plugin) are infrastructure and stay public;
  // every route registered after it must declare its access, or it is refused.
  const declared = new Set<string>();
  app.addHook('onRoute', (opts) => {
    const cfg = (opts.config ?? {}) as RouteAccess;
    const url = opts.url ?? opts.path;
    const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
    for (const method of methods) {
      declared.add(`${method} ${url}`);
      if (method === 'HEAD') continue;
      routeTable.push({ method, url, permission: cfg.permission, public: cfg.public });
    }
  });

  app.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config as RouteAccess;
    if (req.routeOptions.url === undefined || !declared.has(`${req.method} ${req.routeOptions.url}`)) return;
    if (cfg.public) {
      // Public routes still learn who is calling when a session exists (e.g. /auth/me), but never require it.
      try { req.principal = await authenticate(ctx, req); } catch { req.principal = undefined; }
      return;
    }
    if (!cfg.permission) {
      // Unreachable for our own routes: the route-table test fails first.
      throw new DomainError('FORBIDDEN', 'This route declares no permission');
    }
    const p = await authenticate(ctx, req);
    if (!p) throw new DomainError('UNAUTHENTICATED', 'Sign in or send an API key (Authorization: Bearer …)');
    if (p.kind === 'user' && UNSAFE.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (sent !== p.csrfToken) {
        throw new DomainError('FORBIDDEN', 'Missing or wrong X-CSRF-Token header for a cookie-authenticated write', { field: 'x-csrf-token' });
      }
    }
    if (!hasPermission(p.roles, cfg.permission)) {
      throw new DomainError('FORBIDDEN', `Your roles (${p.roles.join(', ')}) do not grant ${cfg.permission}`);
    }
    req.principal = p;
  });
}
