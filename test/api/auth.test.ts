/** Sign-in, rate limiting, logout, session expiry, CSRF and API keys. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { storesUnderTest, createTestEnv, type TestEnv } from '../support/test-context.ts';
import { request, userClient } from '../support/api-client.ts';
import { createUser } from '../../src/commands/user-create.ts';
import { createApiKey } from '../../src/commands/apikey-create.ts';
import { revokeApiKey } from '../../src/commands/apikey-revoke.ts';
import { createContext, closeContext } from '../../src/runtime/bootstrap.ts';

for (const store of storesUnderTest()) {
  describe(`authentication [${store}]`, () => {
    let env: TestEnv;
    before(async () => {
      env = await createTestEnv(store);
      await createUser(env.ctx, { username: 'alice', password: 'alice-password-1', roles: ['operator'] }, null);
      await createUser(env.ctx, { username: 'mallory', password: 'mallory-password-1', roles: ['operator'] }, null);
    });
    after(async () => env.close());

    const login = (username: string, password: string, ip = '10.0.0.1') =>
      request(env.app, 'POST', '/api/v1/auth/login', { body: { username, password }, headers: { 'x-forwarded-for': ip } });

    test('a good password gives an HttpOnly SameSite session cookie and a CSRF token', async () => {
      const r = await login('alice', 'alice-password-1');
      assert.equal(r.status, 200);
      const cookie = String(r.headers['set-cookie']);
      assert.match(cookie, /cityops_session=/);
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Strict/i);
      assert.ok(r.body.csrfToken.length > 20);
      assert.ok(r.body.permissions.includes('case.create'));
      const me = await request(env.app, 'GET', '/api/v1/auth/me', { cookie: cookie.split(';')[0] });
      assert.equal(me.status, 200);
      assert.equal(me.body.name, 'alice');
    });

    test('a wrong password is 401 naming no user; after five failures the same address and name wait, twice as long each time', async () => {
      for (let i = 0; i < 5; i++) {
        const r = await login('mallory', 'wrong', '10.0.0.2');
        assert.equal(r.status, 401);
        assert.equal(r.body.error.code, 'UNAUTHENTICATED');
      }
      const blocked = await login('mallory', 'mallory-password-1', '10.0.0.2');
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.error.code, 'RATE_LIMITED');
      assert.equal(blocked.headers['retry-after'], '1');
      env.clock.advance(1000);
      assert.equal((await login('mallory', 'wrong', '10.0.0.2')).status, 401, 'the wait is over: one more try');
      const second = await login('mallory', 'mallory-password-1', '10.0.0.2');
      assert.equal(second.status, 429);
      assert.equal(second.headers['retry-after'], '2', 'the next wait is twice as long');
      env.clock.advance(2000);
      assert.equal((await login('mallory', 'mallory-password-1', '10.0.0.2')).status, 200, 'the right password after the wait');
      assert.equal((await login('mallory', 'wrong', '10.0.0.2')).status, 401, 'a success starts the count again');
      assert.equal((await login('mallory', 'wrong', '10.0.0.2')).status, 401);
      const unknown = await login('nobody', 'whatever', '10.0.0.3');
      assert.equal(unknown.status, 401);
      assert.equal(unknown.body.error.message, 'Wrong username or password');
    });

    test('nobody can lock an owner out: failures from one address do not stop the same name from another', async () => {
      for (let i = 0; i < 12; i++) await login('alice', 'guess-' + i, '10.6.6.6');
      assert.equal((await login('alice', 'alice-password-1', '10.6.6.6')).status, 429, 'the guessing address waits');
      const owner = await login('alice', 'alice-password-1', '10.0.0.9');
      assert.equal(owner.status, 200, 'the owner at her own desk signs in');
    });

    test('an address that fails over many names is stopped; an IPv6 address counts by its /64', async () => {
      const cap = env.ctx.config.loginAddressFailures;
      for (let i = 0; i < cap; i++) {
        const r = await login(`user${i}`, 'x', `2001:db8:1:2:${(i % 65535).toString(16)}::1`);
        assert.equal(r.status, 401, `failure ${i + 1} of ${cap}`);
      }
      const capped = await login('alice', 'alice-password-1', '2001:db8:1:2:ffff::77');
      assert.equal(capped.status, 429, 'another address of the same /64 is the same client');
      assert.equal((await login('alice', 'alice-password-1', '2001:db8:1:3::1')).status, 200, 'the next /64 is another client');
      env.clock.advance(15 * 60_000 + 1000);
      assert.equal((await login('alice', 'alice-password-1', '2001:db8:1:2::5')).status, 200, 'the window moved');
    });

    test('logout ends the session; an idle session expires', async () => {
      const r = await login('alice', 'alice-password-1', '10.0.0.4');
      const cookie = String(r.headers['set-cookie']).split(';')[0];
      const out = await request(env.app, 'POST', '/api/v1/auth/logout', { cookie });
      assert.equal(out.status, 204);
      assert.equal((await request(env.app, 'GET', '/api/v1/cases', { cookie })).status, 401);

      const r2 = await login('alice', 'alice-password-1', '10.0.0.4');
      const cookie2 = String(r2.headers['set-cookie']).split(';')[0];
      assert.equal((await request(env.app, 'GET', '/api/v1/cases', { cookie: cookie2 })).status, 200);
      env.clock.advance(env.ctx.config.sessionIdleMs + 1000);
      assert.equal((await request(env.app, 'GET', '/api/v1/cases', { cookie: cookie2 })).status, 401);
    });

    test('an administrator deactivates an account (its sessions end) and resets a password', async () => {
      await createUser(env.ctx, { username: 'bob', password: 'bob-password-1', roles: ['dispatcher'] }, null);
      const admin = await userClient(env.app, env.ctx, 'admin');
      const r = await login('bob', 'bob-password-1', '10.0.0.9');
      const cookie = String(r.headers['set-cookie']).split(';')[0];
      assert.equal((await request(env.app, 'GET', '/api/v1/cases', { cookie })).status, 200);
      const users = await admin.get('/api/v1/users');
      const bob = users.body.items.find((u: { username: string }) => u.username === 'bob');
      assert.equal(bob.passwordHash, undefined, 'hashes never leave the server');
      const off = await request(env.app, 'PATCH', `/api/v1/users/${bob.id}`, { body: { active: false }, cookie: admin.headers.cookie, headers: { 'x-csrf-token': admin.headers['x-csrf-token'] } });
      assert.equal(off.status, 200, JSON.stringify(off.body));
      assert.equal(off.body.active, false);
      assert.equal((await request(env.app, 'GET', '/api/v1/cases', { cookie })).status, 401, 'the session ended');
      assert.equal((await login('bob', 'bob-password-1', '10.0.0.9')).status, 401, 'a deactivated account cannot sign in');
      const on = await request(env.app, 'PATCH', `/api/v1/users/${bob.id}`, { body: { active: true, password: 'bob-new-password' }, cookie: admin.headers.cookie, headers: { 'x-csrf-token': admin.headers['x-csrf-token'] } });
      assert.equal(on.status, 200);
      assert.equal((await login('bob', 'bob-password-1', '10.0.0.9')).status, 401, 'the old password no longer works');
      assert.equal((await login('bob', 'bob-new-password', '10.0.0.9')).status, 200);
      const bad = await request(env.app, 'PATCH', `/api/v1/users/${bob.id}`, { body: { roles: ['mayor'] }, cookie: admin.headers.cookie, headers: { 'x-csrf-token': admin.headers['x-csrf-token'] } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.field, 'roles[0]');
      const operator = await userClient(env.app, env.ctx, 'operator');
      const denied = await request(env.app, 'PATCH', `/api/v1/users/${bob.id}`, { body: { active: false }, cookie: operator.headers.cookie, headers: { 'x-csrf-token': operator.headers['x-csrf-token'] } });
      assert.equal(denied.status, 403);
    });

    test('API keys authenticate machines without CSRF; bad keys are 401; bad login bodies are 400', async () => {
      const k = await createApiKey(env.ctx, { name: 'dept-system', roles: ['operator'] }, null);
      assert.match(k.key, /^cok_/);
      const stored = await env.db.selectFrom('api_keys').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow();
      assert.notEqual(stored.key_hash, k.key, 'only a hash is stored');
      const ok = await request(env.app, 'GET', '/api/v1/cases', { headers: { authorization: `Bearer ${k.key}` } });
      assert.equal(ok.status, 200);
      const bad = await request(env.app, 'GET', '/api/v1/cases', { headers: { authorization: 'Bearer cok_nope' } });
      assert.equal(bad.status, 401);
      const malformed = await request(env.app, 'GET', '/api/v1/cases', { headers: { authorization: 'Basic abc' } });
      assert.equal(malformed.status, 401);
      assert.equal(malformed.body.error.field, 'authorization');
      const noPw = await request(env.app, 'POST', '/api/v1/auth/login', { body: { username: 'alice' } });
      assert.equal(noPw.status, 400);
      assert.equal(noPw.body.error.field, 'password');
    });

    test('a key is not read from the database on every request, yet a revocation on another node stops it there at once', async () => {
      const k = await createApiKey(env.ctx, { name: 'node-test', roles: ['operator'] }, null);
      const call = () => request(env.app, 'GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${k.key}` } });
      // Once this node hears of key changes (at once on SQLite; when its LISTEN is up on PostgreSQL) it caches: a
      // change written behind the platform's back (no notification) is then not seen by requests.
      const setRoles = (roles: string[]) => env.db.updateTable('api_keys').set({ roles: JSON.stringify(roles) }).where('id', '=', k.id).execute();
      let cached = false;
      for (let i = 0; i < 100 && !cached; i++) {
        // A request that does not show what the row says right now was answered from the cache.
        await setRoles(['operator']);
        const first = await call();
        assert.equal(first.status, 200);
        await setRoles([]);
        const second = await call();
        cached = first.body.roles.length !== 1 || second.body.roles.length !== 0;
        if (!cached) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(cached, 'a known key is served from the cache, not read on every request');
      if (store === 'postgres') {
        // Another node (its own context, store and cache on the same database) revokes the key.
        const other = await createContext(env.ctx.config, { clock: env.clock });
        try {
          await revokeApiKey(other, k.id, null);
        } finally {
          await closeContext(other);
        }
      } else {
        await revokeApiKey(env.ctx, k.id, null); // SQLite: one process by design
      }
      let status = 0;
      for (let i = 0; i < 100 && status !== 401; i++) {
        status = (await call()).status;
        if (status !== 401) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(status, 401, 'refused here once the revocation committed elsewhere');
    });
  });
}
