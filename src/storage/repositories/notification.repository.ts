/**
 * Notifications (issue 9 §6): the fan-out's cursor, the users' notifications, their outbound preferences and the
 * delivery log. The cursor advances with a conditional UPDATE (… WHERE cursor = <what this run read>) and
 * notifications are unique per (user, outbox row): a fan-out that runs twice, or on two nodes at once, makes each
 * notification once.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import type { NotificationTable, NotifyDeliveryTable } from '../alerting.schema.ts';

export type NotificationRow = Selectable<NotificationTable>;
export type NotifyDeliveryRow = Selectable<NotifyDeliveryTable>;

/** Where a job stands in the outbox; locked for this transaction on PostgreSQL (another node waits or skips). */
export async function claimCursor({ db, dialect }: Conn, name: string): Promise<number | undefined> {
  let q = db.selectFrom('job_cursors').select('cursor').where('name', '=', name);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  const r = await q.executeTakeFirst();
  if (r) return Number(r.cursor);
  // A cursor not there yet (a job added later): start at 0 only if nobody else just created it.
  await db.insertInto('job_cursors').values({ name, cursor: 0, updated_at: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
  return undefined;
}

/** Moves the cursor from `from` to `to`; false when another run moved it first (then this run must roll back). */
export async function advanceCursor({ db }: Conn, name: string, from: number, to: number, now: number): Promise<boolean> {
  const r = await db.updateTable('job_cursors').set({ cursor: to, updated_at: now }).where('name', '=', name).where('cursor', '=', from).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function cursorOf({ db }: Conn, name: string): Promise<number> {
  const r = await db.selectFrom('job_cursors').select('cursor').where('name', '=', name).executeTakeFirst();
  return Number(r?.cursor ?? 0);
}

/** Inserts what is new; returns the rows inserted (a (user, outbox) pair already there is skipped). */
export async function insertNotifications({ db }: Conn, rows: Insertable<NotificationTable>[]): Promise<{ id: number; user_id: string; kind: string }[]> {
  const out: { id: number; user_id: string; kind: string }[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const r = await db.insertInto('notifications').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['user_id', 'outbox_id']).doNothing()).returning(['id', 'user_id', 'kind']).execute();
    out.push(...r.map((x) => ({ id: Number(x.id), user_id: x.user_id, kind: x.kind })));
  }
  return out;
}

export async function listForUser(
  { db }: Conn, userId: string, opts: { unreadOnly?: boolean; beforeId?: number; limit: number },
): Promise<NotificationRow[]> {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  if (opts.beforeId !== undefined) q = q.where('id', '<', opts.beforeId);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

export async function unreadCount({ db }: Conn, userId: string): Promise<number> {
  const r = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Marks the user's own notifications read (others' ids are ignored); returns how many changed. */
export async function markRead({ db }: Conn, userId: string, ids: number[] | 'all', now: number): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface Preference { channel: string; kinds: string[]; address: string | null }

export async function preferencesOf({ db }: Conn, userIds: string[]): Promise<Map<string, Preference>> {
  const out = new Map<string, Preference>();
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db.selectFrom('notify_preferences').selectAll().where('user_id', 'in', userIds.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.user_id, { channel: r.channel, kinds: JSON.parse(r.kinds) as string[], address: r.address });
  }
  return out;
}

export async function savePreference({ db }: Conn, userId: string, p: Preference, now: number): Promise<void> {
  const v = { channel: p.channel, kinds: JSON.stringify(p.kinds), address: p.address, updated_at: now };
  await db.insertInto('notify_preferences').values({ user_id: userId, ...v }).onConflict((oc) => oc.column('user_id').doUpdateSet(v)).execute();
}

export async function insertDeliveries({ db }: Conn, rows: Insertable<NotifyDeliveryTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('notify_deliveries').values(rows).onConflict((oc) => oc.column('notification_id').doNothing()).execute();
}

/** Claims up to `limit` pending deliveries: each moves pending → sending with a conditional UPDATE, so one sender owns it. */
export async function claimDeliveries({ db }: Conn, limit: number): Promise<NotifyDeliveryRow[]> {
  const rows = await db.selectFrom('notify_deliveries').selectAll().where('status', '=', 'pending').orderBy('id').limit(limit).execute();
  const claimed: NotifyDeliveryRow[] = [];
  for (const r of rows) {
    const u = await db.updateTable('notify_deliveries').set({ status: 'sending', attempts: r.attempts + 1 })
      .where('id', '=', r.id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(u.numUpdatedRows) === 1) claimed.push({ ...r, status: 'sending', attempts: r.attempts + 1 });
  }
  return claimed;
}

export async function recordDelivery({ db }: Conn, id: number, v: { status: 'sent' | 'failed' | 'pending'; error: string | null; sentAt: number | null }): Promise<void> {
  await db.updateTable('notify_deliveries').set({ status: v.status, last_error: v.error, sent_at: v.sentAt }).where('id', '=', id).execute();
}

export async function findNotifications({ db }: Conn, ids: number[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('notifications').selectAll().where('id', 'in', ids).execute();
}

export async function deliveriesOf({ db }: Conn, userId: string, limit: number): Promise<NotifyDeliveryRow[]> {
  return db.selectFrom('notify_deliveries').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
}
