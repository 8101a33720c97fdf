/**
 * Compile-time checks of the typed client (never imported, so never bundled; `tsc -p web` checks it): calls the
 * document allows compile, and each `@ts-expect-error` line is a call it refuses — if one of them compiled, tsc
 * would fail on the unused directive.
 */
import { api } from './client.ts';
import type { BodyOf, ResponseOf, Schema } from './types.ts';

export async function typedClientChecks(id: string, signal: AbortSignal): Promise<unknown[]> {
  const c: Schema<'Case'> = await api.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal });
  const me: ResponseOf<'/api/v1/auth/me', 'get'> = await api.GET('/api/v1/auth/me');
  const login: BodyOf<'/api/v1/auth/login', 'post'> = { username: 'u', password: 'p' };
  await api.POST('/api/v1/auth/login', { body: login });
  const none: undefined = await api.POST('/api/v1/auth/logout');
  const photo = await api.upload('/api/v1/attachments', new FormData());
  const report = await api.upload('/api/v1/public/reports', new FormData(), { idempotencyKey: 'key-123456' });

  // @ts-expect-error the path parameter is required
  await api.GET('/api/v1/cases/{id}');
  // @ts-expect-error not a path of the document
  await api.GET('/api/v1/casez/{id}', { params: { path: { id } } });
  // @ts-expect-error limit is a number
  await api.GET('/api/v1/cases', { params: { query: { limit: 'ten' } } });
  // @ts-expect-error the body is required
  await api.POST('/api/v1/auth/login');
  // @ts-expect-error password is missing
  await api.POST('/api/v1/auth/login', { body: { username: 'u' } });
  // @ts-expect-error the route has no PUT
  await api.PUT('/api/v1/auth/me');
  // @ts-expect-error a JSON route is not an upload
  await api.upload('/api/v1/auth/login', new FormData());
  // @ts-expect-error the answer is typed: id is a number
  const wrong: string = c.id;

  return [me.roles, none, photo.id, report.trackingCode, wrong];
}
