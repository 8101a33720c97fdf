/**
 * What the fuzzer sends as: the seeded demo city (test/support/demo-env.ts) plus a few records of every kind an
 * operation can name (cases, a tracking code, an attachment, a KB article, a webhook, users and keys to change),
 * and the principals a route may need (admin session and API key, a unit handler with a unit scope, an inspector,
 * a throwaway session for public routes, nobody).
 */
import assert from 'node:assert/strict';
import type { Store, TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { request, userClient, type Client } from '../support/api-client.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { hasPermission, type Permission, type Role } from '../../src/domain/policy/permissions.ts';

export const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
export const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

export interface Principal {
  name: 'admin' | 'admin-key' | 'unit-handler' | 'inspector' | 'guest' | 'anonymous';
  roles: Role[];
  /** Cookie (and the CSRF token for writes) or Authorization header. */
  headers: Record<string, string>;
  csrf?: string;
  cookie?: string;
}

/** Values that exist in the store, by kind; the generator picks from these for "valid-ish" input. */
export interface Pools {
  caseId: string[];
  caseNo: string[];
  region: string[];
  community: string[];
  street: string[];
  grid: string[];
  unit: string[];
  part: string[];
  matter: string[];
  matterClass: string[];
  ruleVersion: string[];
  user: string[];
  username: string[];
  apikey: string[];
  webhook: string[];
  kb: string[];
  attachment: string[];
  externalId: string[];
  trackingCode: string[];
  outboxId: string[];
  lon: number[];
  lat: number[];
  open311Key: string[];
}

export interface FuzzFixture {
  env: TestEnv;
  principals: Principal[];
  pools: Pools;
  /** Principals whose sessions must survive the run (checked afterwards: a dead session would hide faults as 401s). */
  mustSurvive: Principal[];
  /** Replaces the pool's cases with fresh ones in the same states (before each case action). */
  refreshCases(): Promise<void>;
}

function multipartForm(parts: ({ name: string; value: string } | { name: string; filename: string; content: Buffer; mime: string })[]) {
  const boundary = '----fuzzfixture' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    else chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.mime}\r\n\r\n`), p.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const asPrincipal = (name: Principal['name'], roles: Role[], c: Client): Principal => ({
  name, roles, headers: { cookie: c.headers.cookie }, cookie: c.headers.cookie, csrf: c.headers['x-csrf-token'],
});

export async function createFuzzFixture(store: Store): Promise<FuzzFixture> {
  const env = await createDemoEnv(store);
  await loadGridPoints(env);
  const ref = env.ctx.ref.current();
  const regions = [...ref.regions.values()];
  const community = regions.find((r) => r.level === 'community')!;
  // The unit that handles exposed garbage (06010) in the first community, as the demo's own unit accounts.
  const unitId = ref.routing.route({ matterCode: '06010', regionId: community.id }).unitId!;

  const admin = await userClient(env.app, env.ctx, 'admin');
  const unit = await userClient(env.app, env.ctx, 'unit_handler', { unitIds: [unitId] });
  const inspector = await userClient(env.app, env.ctx, 'inspector');
  // Public routes are also called with a session of their own: /auth/logout ends whichever session it is sent with.
  const guest = await userClient(env.app, env.ctx, 'operator');
  const adminKey = await createApiKey(env.ctx, { name: 'fuzz admin key', roles: ['admin'] }, null);
  const open311Key = await createApiKey(env.ctx, { name: 'fuzz open311 client' }, null);

  const principals: Principal[] = [
    asPrincipal('admin', ['admin'], admin),
    { name: 'admin-key', roles: ['admin'], headers: { authorization: `Bearer ${adminKey.key}` } },
    asPrincipal('unit-handler', ['unit_handler'], unit),
    asPrincipal('inspector', ['inspector'], inspector),
    asPrincipal('guest', ['operator'], guest),
    { name: 'anonymous', roles: [], headers: {} },
  ];

  // Records to name in paths and bodies: cases in several states, so more case actions apply somewhere.
  const points = [0, 1, 2, 3, 4, 5].map((i) => demoPoint(env, i));
  const { caseIds, caseNos } = await makeCases(env, { admin, inspector, unit }, points, unitId);
  // A citizen report: its case number and private tracking code (for rating).
  const form = multipartForm([
    { name: 'matterCode', value: '06010' }, { name: 'lon', value: String(points[1].lon) }, { name: 'lat', value: String(points[1].lat) },
    { name: 'description', value: '路边垃圾' }, { name: 'photo', filename: 'p.png', content: PNG, mime: 'image/png' },
  ]);
  const pub = await env.app.inject({ method: 'POST', url: '/api/v1/public/reports', payload: form.payload, headers: { 'content-type': form.contentType, 'x-forwarded-for': '192.0.2.1' } });
  assert.ok(pub.statusCode < 300, pub.body);
  const pubBody = JSON.parse(pub.body);
  caseNos.push(pubBody.caseNo);
  // Photos to cite: each is used up once a case takes it, so a handful.
  const attachmentIds: string[] = [];
  for (let i = 0; i < 8; i++) {
    const up = multipartForm([{ name: 'file', filename: `a${i}.png`, content: PNG, mime: 'image/png' }]);
    const att = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload: up.payload, headers: { ...admin.headers, 'content-type': up.contentType } });
    assert.equal(att.statusCode, 201, att.body);
    attachmentIds.push(String(JSON.parse(att.body).id));
  }
  const kb = await admin.post('/api/v1/kb', { title: '共享单车乱停放', body: '由运营企业 2 小时内清理。', keywords: '共享单车', matterCode: '09010' });
  assert.equal(kb.status, 201, JSON.stringify(kb.body));
  const hook = await admin.post('/api/v1/webhooks', { name: 'fuzz receiver', url: 'http://127.0.0.1:9/hook' });
  assert.ok(hook.status < 300, JSON.stringify(hook.body));
  const dept = await request(env.app, 'POST', '/api/v1/department/cases', {
    headers: { authorization: `Bearer ${adminKey.key}` },
    body: { externalId: 'DEPT-0001', matterCode: '06010', description: '部门推送', location: { lon: points[2].lon, lat: points[2].lat } },
  });
  assert.ok(dept.status < 300, JSON.stringify(dept.body));
  // Accounts and keys the fuzzer may change (deactivate, re-password, revoke) — never the principals above.
  const victims = [];
  for (const n of [1, 2]) {
    // The password the generator sends for `password` fields, so a login can succeed.
    victims.push(await createUser(env.ctx, { username: `fuzz-victim-${n}`, password: 'correct horse battery staple', roles: ['operator'], unitIds: [], regionIds: [] }, null));
  }
  const victimKey = await createApiKey(env.ctx, { name: 'fuzz victim key' }, null);
  const versions = await admin.get('/api/v1/rules/versions');
  const outbox = await env.db.selectFrom('outbox').select('id').orderBy('id', 'desc').limit(3).execute();
  const parts = await env.db.selectFrom('parts').select('id').limit(5).execute();

  const pools: Pools = {
    caseId: caseIds,
    caseNo: caseNos,
    region: regions.filter((r) => r.level !== 'community').slice(0, 6).map((r) => r.id),
    community: regions.filter((r) => r.level === 'community').slice(0, 3).map((r) => r.id),
    street: regions.filter((r) => r.level === 'street').slice(0, 3).map((r) => r.id),
    grid: [...ref.grids.keys()].slice(0, 4),
    unit: [unitId, ...[...ref.units.keys()].slice(0, 4)],
    part: parts.map((p) => String(p.id)),
    matter: ['06010', '09010', '01001', '06042'],
    matterClass: ['06', '01'],
    ruleVersion: (versions.body.items as { version: number }[]).map((v) => String(v.version)),
    user: victims.map((v) => v.id),
    username: ['demo-admin', 'demo-operator', 'fuzz-victim-1'],
    apikey: [victimKey.id],
    webhook: [String(hook.body.id)],
    kb: [String(kb.body.id)],
    attachment: attachmentIds,
    externalId: ['DEPT-0001'],
    trackingCode: [pubBody.trackingCode],
    outboxId: outbox.map((o) => String(o.id)),
    lon: points.map((p) => p.lon),
    lat: points.map((p) => p.lat),
    open311Key: [open311Key.key],
  };
  const mustSurvive = principals.filter((p) => p.name !== 'guest' && p.name !== 'anonymous');
  const refreshCases = async () => {
    // Tolerant: if the fuzzing so far made new cases impossible (say, a replaced responsibility list), keep the old ones.
    const fresh = await makeCases(env, { admin, inspector, unit }, points, unitId, false);
    if (fresh.caseIds.length) {
      pools.caseId = fresh.caseIds;
      pools.caseNo = [...fresh.caseNos, pubBody.caseNo];
    }
  };
  return { env, principals, pools, mustSurvive, refreshCases };
}

/**
 * Six cases: REPORTED (hotline) ×3 and REGISTERED (patrol) ×3; of those one ACCEPTED, two DISPATCHED to the unit
 * handler's unit, one of them SIGNED. The fuzzer cancels, merges and closes cases as it goes: case actions get
 * fresh ones (refreshCases) so each action finds cases it may apply to.
 */
async function makeCases(env: TestEnv, c: { admin: Client; inspector: Client; unit: Client }, points: { lon: number; lat: number }[], unitId: string, strict = true) {
  const as = (who: Client, url: string, body: unknown) => request(env.app, 'POST', url, { cookie: who.headers.cookie, headers: { 'x-csrf-token': who.headers['x-csrf-token'] }, body });
  const caseIds: string[] = [];
  const caseNos: string[] = [];
  for (const i of [0, 1, 2, 3, 4, 5]) {
    const p = points[i % points.length];
    const r = i < 3
      ? await as(c.admin, '/api/v1/cases', { channel: 'hotline', matterCode: '06010', description: `fuzz fixture case ${i}`, location: { lon: p.lon, lat: p.lat }, reporter: { name: '张三', phone: '13812345678' } })
      : await as(c.inspector, '/api/v1/cases', { channel: 'patrol', matterCode: '06010', description: `fuzz fixture patrol case ${i}`, location: { lon: points[0].lon, lat: points[0].lat } });
    if (strict) assert.equal(r.status, 201, JSON.stringify(r.body));
    if (r.status !== 201) continue;
    caseIds.push(String(r.body.id));
    caseNos.push(r.body.caseNo);
  }
  if (caseIds.length < 6) return { caseIds, caseNos };
  await as(c.admin, `/api/v1/cases/${caseIds[2]}/accept`, {});
  for (const i of [4, 5]) await as(c.admin, `/api/v1/cases/${caseIds[i]}/dispatch`, { unitId });
  await as(c.unit, `/api/v1/cases/${caseIds[5]}/sign`, {});
  return { caseIds, caseNos };
}

/**
 * Who may call a route: the principals holding its declared permission (from the route table the server builds,
 * src/http/middleware/auth.ts), and for public routes also nobody and a throwaway session.
 */
export function principalsFor(all: Principal[], access: { permission?: Permission; public?: boolean } | undefined): Principal[] {
  if (!access || access.public) return all.filter((p) => p.name === 'anonymous' || p.name === 'guest' || p.name === 'admin-key');
  return all.filter((p) => p.name !== 'anonymous' && p.name !== 'guest' && hasPermission(p.roles, access.permission!));
}
