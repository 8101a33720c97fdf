/**
 * Drives a public-channel case (hotline, portal) through the workflow to the passed check: accept → verify on site →
 * dispatch → sign → dispose with a photo → send for check → check passed (CLOSED_PENDING_CALLBACK when the reporter
 * is to be called back, else ARCHIVED). Each step is an HTTP call by the role the transition table names.
 */
import assert from 'node:assert/strict';
import type { TestEnv } from './test-context.ts';
import { userClient, type Client } from './api-client.ts';

/** A real 4×3 PNG (green), so that photos in browser tests render. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000040000000308020000003b9639910000001049444154789c63706b8a8223069c1c00085a0d9934efd51e0000000049454e44ae426082', 'hex');

export interface Crew { operator: Client; inspector: Client; dispatcher: Client; checker: Client; handler: Client; unitId: string }

/** The people of the workflow; `unitId` is the unit the cases are dispatched to. */
export async function crewFor(env: TestEnv, unitId: string): Promise<Crew> {
  return {
    operator: await userClient(env.app, env.ctx, 'operator'),
    inspector: await userClient(env.app, env.ctx, 'inspector'),
    dispatcher: await userClient(env.app, env.ctx, 'dispatcher'),
    checker: await userClient(env.app, env.ctx, 'inspector'),
    handler: await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] }),
    unitId,
  };
}

/** Uploads a 1×1 PNG as `who`; returns its attachment id. */
export async function photo(env: TestEnv, who: Client): Promise<string> {
  const boundary = '----flow' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="after.png"\r\nContent-Type: image/png\r\n\r\n`),
    PNG, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...who.headers } });
  assert.equal(r.statusCode, 201, r.body);
  return JSON.parse(r.body).id;
}

export async function act(who: Client, id: number, action: string, body: object = {}): Promise<any> {
  const r = await who.post(`/api/v1/cases/${id}/${action}`, body);
  assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** From REPORTED to the passed check; returns the case as the checker sees it. */
export async function throughCheck(env: TestEnv, crew: Crew, id: number): Promise<any> {
  const state = (await crew.operator.get(`/api/v1/cases/${id}`)).body.state;
  if (state === 'REPORTED') {
    await act(crew.operator, id, 'accept');
    await act(crew.operator, id, 'request-verify');
    await act(crew.inspector, id, 'verify', { outcome: 'confirmed' });
  }
  await act(crew.dispatcher, id, 'dispatch', { unitId: crew.unitId });
  await act(crew.handler, id, 'sign');
  return disposeAndCheck(env, crew, id);
}

/** From IN_PROGRESS (after a sign or a reopen) to the passed check. */
export async function disposeAndCheck(env: TestEnv, crew: Crew, id: number): Promise<any> {
  await act(crew.handler, id, 'dispose', { result: '已处置完毕', photos: [await photo(env, crew.handler)] });
  await act(crew.dispatcher, id, 'send-check');
  return act(crew.checker, id, 'check-pass');
}
