/** Users, sessions and API keys: the only SQL for authentication. */
import { sql } from 'kysely';
import type { Conn } from '../db.ts';
import { fromJson, toJson } from '../codec.ts';
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

export async function insertUser({ db }: Conn, u: UserRecord): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id, username: u.username, display_name: u.displayName, password_hash: u.passwordHash,
      roles: toJson(u.roles), unit_ids: toJson(u.unitIds), region_ids: toJson(u.regionIds),
      active: u.active ? 1 : 0, created_at: u.createdAt,
    })
    .execute();
}

export async function findUserByUsername({ db }: Conn, username: string): Promise<UserRecord | undefined> {
  const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function findUserById({ db }: Conn, id: string): Promise<UserRecord | undefined> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : undefined;
}

export async function listUsers({ db }: Conn): Promise<UserRecord[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

export interface SessionRecord { id: string; userId: string; csrfToken: string; createdAt: number; expiresAt: number; lastSeenAt: number }

export async function insertSession({ db }: Conn, s: SessionRecord): Promise<void> {
  await db.insertInto('sessions').values({
    id: s.id, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt,
    last_seen_at: s.lastSeenAt,
  }).execute();
}

export async function findSession({ db }: Conn, id: string): Promise<SessionRecord | undefined> {
  const r = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? {
    id: r.id, userId: r.user_id, csrfToken: r.csrf_token, createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at), lastSeenAt: Number(r.last_seen_at),
  } : undefined;
}

export async function touchSession({ db }: Conn, id: string, at: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession({ db }: Conn, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions({ db }: Conn, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

export interface ApiKeyRecord {
  id: string; name: string; prefix: string; keyHash: string; roles: Role[]; unitIds: string[]; regionIds: string[];
  createdBy: string | null; createdAt: number; revokedAt: number | null;
}

export async function insertApiKey({ db }: Conn, k: ApiKeyRecord): Promise<void> {
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

export async function findApiKeyByHash({ db }: Conn, keyHash: string): Promise<ApiKeyRecord | undefined> {
  const r = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  return r ? toApiKey(r) : undefined;
}

export async function listApiKeys({ db }: Conn): Promise<ApiKeyRecord[]> {
  return (await db.selectFrom('api_keys').selectAll().orderBy('created_at').execute()).map(toApiKey);
}

/** The channel on which PostgreSQL tells every node that an API key changed (store.watchApiKeys). */
export const API_KEY_CHANNEL = 'cityops_api_keys';

export async function revokeApiKey({ db, dialect }: Conn, id: string, at: number): Promise<boolean> {
  const r = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  // Delivered to every listening node when the transaction commits (never if it rolls back).
  if (dialect === 'postgres') await sql`SELECT pg_notify(${API_KEY_CHANNEL}, ${id})`.execute(db);
  return Number(r.numUpdatedRows) > 0;
}

/** Changes an account; ends its sessions when it is deactivated or its password changes. */
export async function updateUser(
  { db }: Conn, id: string,
  patch: { active?: boolean; passwordHash?: string; roles?: Role[]; unitIds?: string[]; regionIds?: string[]; displayName?: string },
): Promise<void> {
  const set = {
    ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
    ...(patch.passwordHash ? { password_hash: patch.passwordHash } : {}),
    ...(patch.roles ? { roles: toJson(patch.roles) } : {}),
    ...(patch.unitIds ? { unit_ids: toJson(patch.unitIds) } : {}),
    ...(patch.regionIds ? { region_ids: toJson(patch.regionIds) } : {}),
    ...(patch.displayName ? { display_name: patch.displayName } : {}),
  };
  // An empty change is no change (and no `UPDATE … SET` without columns).
  if (Object.keys(set).length > 0) await db.updateTable('users').set(set).where('id', '=', id).execute();
  if (patch.active === false || patch.passwordHash) await db.deleteFrom('sessions').where('user_id', '=', id).execute();
}
