import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { createSession } from '../../../commands/session-create.ts';
import { SESSION_COOKIE, principalOf } from '../../middleware/auth.ts';
import { permissionsOf } from '../../../domain/policy/permissions.ts';
import { ErrorResponse } from '../common.schema.ts';

const Me = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String({ description: '"user" (session) or "api_key"' }),
  roles: Type.Array(Type.String()),
  unitIds: Type.Array(Type.String()),
  regionIds: Type.Array(Type.String()),
  permissions: Type.Array(Type.String(), { description: 'What the caller may do; the console offers only these' }),
  csrfToken: Type.Optional(Type.String({ description: 'Send as X-CSRF-Token on cookie-authenticated writes' })),
});

export async function authRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post('/api/v1/auth/login', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with username and password; sets an HttpOnly session cookie',
      body: Type.Object({
        username: Type.String({ minLength: 1, maxLength: 64, description: 'Login name' }),
        password: Type.String({ minLength: 1, maxLength: 256, description: 'Password' }),
      }, { additionalProperties: false }),
      response: { 200: Me, 401: ErrorResponse, 429: ErrorResponse },
    },
  }, async (req, reply) => {
    const s = await createSession(ctx, { ...req.body, ip: req.ip });
    reply.setCookie(SESSION_COOKIE, s.token, {
      httpOnly: true, sameSite: 'strict', secure: ctx.config.cookieSecure, path: '/', expires: new Date(s.expiresAt),
    });
    return {
      id: s.user.id, name: s.user.displayName, kind: 'user', roles: s.user.roles, unitIds: s.user.unitIds,
      regionIds: s.user.regionIds, permissions: permissionsOf(s.user.roles), csrfToken: s.csrfToken,
    };
  });

  app.post('/api/v1/auth/logout', {
    config: { public: true },
    schema: { tags: ['auth'], summary: 'Sign out: ends the session and clears the cookie', response: { 204: Type.Null() } },
  }, async (req, reply) => {
    if (req.principal?.sessionId) await ctx.store.auth.deleteSession(req.principal.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    config: { public: true },
    schema: { tags: ['auth'], summary: 'Who am I, and what may I do', response: { 200: Me, 401: ErrorResponse } },
  }, async (req) => {
    const p = principalOf(req);
    return {
      id: p.userId, name: p.name, kind: p.kind, roles: p.roles, unitIds: p.unitIds, regionIds: p.regionIds,
      permissions: permissionsOf(p.roles), csrfToken: p.csrfToken,
    };
  });
}
