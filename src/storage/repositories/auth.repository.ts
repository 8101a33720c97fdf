/** Users, sessions and API keys: the only SQL for authentication. */
import type { DbOrTrx } from '../db.ts';
import { fromJson, toJson } from '../db.ts';
import type { Role } from '../../domain/policy/permissions.ts';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  unitIds: string[];
  regionIds: string[];
  active: boolean;
  createdAt: number;
}

type UserRow = {
  id: string; username: string; display_name: string; password_hash: string; roles: string; unit_ids: string;
  region_ids: string; active: number; created_at: number;
};

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  roles: fromJson<Role[]>(r.roles, []),
  unitIds: fromJson<string[]>(r.unit_ids, []),
  regionIds: fromJson<string[]>(r.region_ids, []),
  active: r.active === 1,
  createdAt: Number(r.created_at),
});

export async function insertUser(db: DbOrTrx, u: UserRecord): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id, username: u.username, display_name: u.displayName, password_hash: u.passwordHash,
      roles: toJson(u.roles), unit_ids: toJson(u.unitIds), region_ids: toJson(u.regionIds),
      active: u.active ? 1 : 0, created_at: u.createdAt,
    })
    .execute();
}

export async function findUserByUsername(db: DbOrTrx, username: string): Promise<UserRecord | undefined> {
  const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function findUserById(db: DbOrTrx, id: string): Promise<UserRecord | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function listUsers(db: DbOrTrx): Promise<UserRecord[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

export async function countUsers(db: DbOrTrx): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface SessionRecord { id: string; userId: string; csrfToken: string; createdAt: number; expiresAt: number; lastSeenAt: number }

export async function insertSession(db: DbOrTrx, s: SessionRecord): Promise<void> {
  await db.insertInto('sessions').values({
    id: s.id, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt,
    last_seen_at: s.lastSeenAt,
  }).execute();
}

export async function findSession(db: DbOrTrx, id: string): Promise<SessionRecord | undefined> {
  const r = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? {
    id: r.id, userId: r.user_id, csrfToken: r.csrf_token, createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at), lastSeenAt: Number(r.last_seen_at),
  } : undefined;
}

export async function touchSession(db: DbOrTrx, id: string, at: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: DbOrTrx, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

export interface ApiKeyRecord {
  id: string; name: string; prefix: string; keyHash: string; roles: Role[]; unitIds: string[]; regionIds: string[];
  createdBy: string | null; createdAt: number; revokedAt: number | null;
}

export async function insertApiKey(db: DbOrTrx, k: ApiKeyRecord): Promise<void> {
  await db.insertInto('api_keys').values({
    id: k.id, name: k.name, prefix: k.prefix, key_hash: k.keyHash, roles: toJson(k.roles),
    unit_ids: toJson(k.unitIds), region_ids: toJson(k.regionIds), created_by: k.createdBy, created_at: k.createdAt,
    revoked_at: k.revokedAt,
  }).execute();
}

type ApiKeyRow = {
  id: string; name: string; prefix: string; key_hash: string; roles: string; unit_ids: string; region_ids: string;
  created_by: string | null; created_at: number; revoked_at: number | null;
};
const toApiKey = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id, name: r.name, prefix: r.prefix, keyHash: r.key_hash, roles: fromJson<Role[]>(r.roles, []),
  unitIds: fromJson<string[]>(r.unit_ids, []), regionIds: fromJson<string[]>(r.region_ids, []),
  createdBy: r.created_by, createdAt: Number(r.created_at), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export async function findApiKeyByHash(db: DbOrTrx, keyHash: string): Promise<ApiKeyRecord | undefined> {
  const r = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  return r ? toApiKey(r) : undefined;
}

/**
 * Machine clients send a key with every request; looking it up each time costs more than the rest of a small
 * request. Known keys are cached for 10 s: a revocation applies at once on the node that revokes (the cache is
 * cleared) and within 10 s on other nodes. Unknown keys are not cached (no memory growth from garbage keys).
 */
const KEY_TTL_MS = 10_000;
const keyCache = new Map<string, { rec: ApiKeyRecord; until: number }>();
export async function findApiKeyByHashCached(db: DbOrTrx, keyHash: string, now: number): Promise<ApiKeyRecord | undefined> {
  const hit = keyCache.get(keyHash);
  if (hit && hit.until > now) return hit.rec;
  const rec = await findApiKeyByHash(db, keyHash);
  if (rec) {
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(keyHash, { rec, until: now + KEY_TTL_MS });
  } else keyCache.delete(keyHash);
  return rec;
}
export const forgetCachedApiKeys = (): void => keyCache.clear();

export async function listApiKeys(db: DbOrTrx): Promise<ApiKeyRecord[]> {
  return (await db.selectFrom('api_keys').selectAll().orderBy('created_at').execute()).map(toApiKey);
}

export async function revokeApiKey(db: DbOrTrx, id: string, at: number): Promise<boolean> {
  keyCache.clear();
  const r = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
