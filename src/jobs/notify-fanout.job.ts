/**
 * The notification fan-out (issue 9 §6): tails the outbox from a cursor stored in the database and turns each
 * event into the notifications of the people it concerns (src/domain/notify/rules.ts), raising the emergency alert
 * of a case that must ring on the way (src/commands/emergency-raise.ts). Exactly once with several nodes and across
 * restarts: the cursor row is locked for the batch (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has one writer) and
 * advanced with a conditional UPDATE in the same transaction as the notifications; a notification is unique per
 * (user, outbox row) and an alert per case, so rows read again (after a held gap, see advanceCursor) add nothing.
 * Each batch that made notifications leaves one `notification.created` row, which the live stream (SSE) shows
 * only to those users: their bell updates at once.
 *
 * Then it sends what must go out of the console (users' preferences) through the outbound channels, each delivery
 * claimed pending → sending by a conditional UPDATE and its outcome kept in the delivery log.
 */
import { Directory, KIND_LABELS, detailsOf, recipientsOf, type NotificationKind, type Recipient } from '../domain/notify/rules.ts';
import { DEFAULT_OUTBOUND_KINDS } from '../domain/notify/preferences.ts';
import { advanceCursor } from '../intake/department/webhook.policy.ts';
import type { AppContext } from '../runtime/context.ts';
import { outboundChannels, type OutboundChannel } from '../runtime/outbound-channels.ts';
import { raiseEmergencyFromEvent } from '../commands/emergency-raise.ts';

export const NOTIFY_CURSOR = 'notifications';

export interface FanoutResult { events: number; notifications: number; alertsRaised: number; sent: number; failed: number }

type NewNotification = {
  user_id: string; outbox_id: number; kind: NotificationKind; topic: string; case_id: number | null; case_no: string | null; details: string;
  created_at: number; read_at: null;
};

/** Thrown to roll a batch back when another run moved the cursor first. */
class CursorMoved extends Error {}

export async function runNotifyFanout(ctx: AppContext, opts: { batch?: number; maxBatches?: number; channels?: Map<string, OutboundChannel> } = {}): Promise<FanoutResult> {
  const res: FanoutResult = { events: 0, notifications: 0, alertsRaised: 0, sent: 0, failed: 0 };
  // The users are read once per run, and only when there is something to fan out (the run is every second).
  let directory: Promise<Directory> | undefined;
  const dir = () => (directory ??= ctx.store.auth.listUsers().then((users) => new Directory(
    users.map((u): Recipient => ({ id: u.id, roles: u.roles, unitIds: u.unitIds, regionIds: u.regionIds, active: u.active })),
  )));
  const batch = opts.batch ?? 500;
  for (let b = 0; b < (opts.maxBatches ?? 20); b++) {
    let n: number;
    try {
      n = await fanOutBatch(ctx, dir, batch, res);
    } catch (err) {
      if (err instanceof CursorMoved) break; // another node did this batch
      throw err;
    }
    if (n < batch) break;
  }
  if (res.notifications > 0 || res.alertsRaised > 0) ctx.events.notify();
  await sendOutbound(ctx, opts.channels ?? outboundChannels(ctx.config, ctx.log), res);
  return res;
}

async function fanOutBatch(ctx: AppContext, dir: () => Promise<Directory>, batch: number, res: FanoutResult): Promise<number> {
  const now = ctx.clock.now();
  // Nothing new (the usual case): two small reads, no transaction, no user list.
  if ((await ctx.store.notifications.cursorOf(NOTIFY_CURSOR)) >= (await ctx.store.outbox.lastId())) return 0;
  const directory = await dir();
  return ctx.store.transaction(async (tx) => {
    const cursor = await tx.notifications.claimCursor(NOTIFY_CURSOR);
    if (cursor === undefined) return 0; // another node holds it
    const rows = await tx.outbox.readAfter(cursor, batch);
    if (rows.length === 0) return 0;
    const made: NewNotification[] = [];
    for (const row of rows) {
      if (await raiseEmergencyFromEvent(ctx, tx, row, now)) res.alertsRaised++;
      const r = recipientsOf(row, directory);
      if (!r || r.userIds.length === 0) continue;
      const caseNo = typeof row.payload.caseNo === 'string' ? row.payload.caseNo : null;
      const details = JSON.stringify(detailsOf(row));
      for (const userId of r.userIds) {
        made.push({ user_id: userId, outbox_id: row.id, kind: r.kind, topic: row.topic, case_id: row.caseId, case_no: caseNo, details, created_at: row.at, read_at: null });
      }
    }
    const inserted = await tx.notifications.insertNotifications(made);
    if (inserted.length) {
      const prefs = await tx.notifications.preferencesOf([...new Set(inserted.map((i) => i.user_id))]);
      const deliveries = inserted.flatMap((i) => {
        const p = prefs.get(i.user_id) ?? { channel: 'log', kinds: [...DEFAULT_OUTBOUND_KINDS], address: null };
        if (p.channel === 'none' || !p.kinds.includes(i.kind)) return [];
        return [{ notification_id: i.id, user_id: i.user_id, channel: p.channel, status: 'pending', attempts: 0, last_error: null, created_at: now, sent_at: null }];
      });
      await tx.notifications.insertDeliveries(deliveries);
      await tx.outbox.append({ topic: 'notification.created', caseId: null, unitIds: [], regionIds: [], payload: { userIds: [...new Set(inserted.map((i) => i.user_id))] }, at: now });
    }
    const next = advanceCursor(cursor, rows, now);
    if (next !== cursor && !(await tx.notifications.advanceCursor(NOTIFY_CURSOR, cursor, next, now))) throw new CursorMoved();
    res.events += rows.length;
    res.notifications += inserted.length;
    return rows.length;
  });
}

async function sendOutbound(ctx: AppContext, channels: Map<string, OutboundChannel>, res: FanoutResult): Promise<void> {
  const claimed = await ctx.store.notifications.claimDeliveries(50);
  if (claimed.length === 0) return;
  const notes = new Map((await ctx.store.notifications.findNotifications(claimed.map((d) => d.notification_id))).map((n) => [Number(n.id), n]));
  const prefs = await ctx.store.notifications.preferencesOf([...new Set(claimed.map((d) => d.user_id))]);
  for (const d of claimed) {
    const n = notes.get(Number(d.notification_id));
    const ch = channels.get(d.channel);
    const now = ctx.clock.now();
    try {
      if (!n || !ch) throw new Error(!n ? 'notification no longer exists' : `no channel "${d.channel}"`);
      const label = KIND_LABELS[n.kind as NotificationKind]?.zh ?? n.kind;
      await ch.send({ userId: d.user_id, address: prefs.get(d.user_id)?.address ?? null, kind: n.kind, caseNo: n.case_no, text: `【城运】${label}${n.case_no ? ` 案件 ${n.case_no}` : ''}` });
      await ctx.store.notifications.recordDelivery(Number(d.id), { status: 'sent', error: null, sentAt: now });
      res.sent++;
    } catch (err) {
      // Tried up to three times (the next runs), then kept as failed in the log.
      await ctx.store.notifications.recordDelivery(Number(d.id), { status: d.attempts >= 3 ? 'failed' : 'pending', error: (err as Error).message.slice(0, 300), sentAt: null });
      res.failed++;
    }
  }
}
