/** A tiny client over Fastify's inject: sign in as a user (cookie + CSRF) or call with an API key. */
import type { App } from '../../src/http/app.ts';
import type { AppContext } from '../../src/runtime/context.ts';
import { createUser } from '../../src/commands/user-create.ts';
import type { Role } from '../../src/domain/policy/permissions.ts';

export interface Res { status: number; body: any; headers: Record<string, unknown> }

export interface Client {
  userId: string;
  /** Cookie and CSRF headers of this session, for raw inject calls (multipart uploads). */
  headers: Record<string, string>;
  get(url: string): Promise<Res>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
}

export async function request(app: App, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, opts: { body?: unknown; headers?: Record<string, string>; cookie?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.cookie) headers.cookie = opts.cookie;
  const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const r = await app.inject({ method, url, headers, payload });
  let body: any = r.body;
  try { body = JSON.parse(r.body); } catch { /* not JSON */ }
  return { status: r.statusCode, body, headers: r.headers };
}

let seq = 0;
export async function userClient(app: App, ctx: AppContext, role: Role | Role[], scope: { unitIds?: string[]; regionIds?: string[] } = {}): Promise<Client> {
  const roles = Array.isArray(role) ? role : [role];
  const username = `t-${roles.join('-').replace(/_/g, '')}-${++seq}`;
  const password = 'correct horse battery';
  const cityId = [...ctx.ref.current().regions.values()].find((r) => r.parentId === null)?.id;
  const u = await createUser(ctx, {
    username, password, roles, unitIds: scope.unitIds ?? [], regionIds: scope.regionIds ?? (cityId ? [cityId] : []),
  }, null);
  const login = await request(app, 'POST', '/api/v1/auth/login', { body: { username, password } });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  const setCookie = String(login.headers['set-cookie']);
  const cookie = setCookie.split(';')[0];
  const csrf = login.body.csrfToken as string;
  return {
    userId: u.id,
    headers: { cookie, 'x-csrf-token': csrf },
    get: (url) => request(app, 'GET', url, { cookie }),
    post: (url, body, headers) => request(app, 'POST', url, { body: body ?? {}, cookie, headers: { 'x-csrf-token': csrf, ...(headers ?? {}) } }),
  };
}
