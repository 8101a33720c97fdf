/**
 * /api/v1/notifications — the caller's own notifications (issue 9 §6): list (newest first, keyset), unread count,
 * mark read / all read, outbound preferences and the delivery log. Everyone reads only their own; the live
 * stream's `notification.created` event tells the console to refresh.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { invalidAs } from '../../../domain/errors.ts';
import { KIND_LABELS, type NotificationKind } from '../../../domain/notify/rules.ts';
import { DEFAULT_OUTBOUND_KINDS, checkPreference } from '../../../domain/notify/preferences.ts';
import type { NotificationRow } from '../../../storage/repositories/notification.repository.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { DeliveryDto, MarkReadBody, MarkReadResult, NotificationList, NotificationQuery, PreferenceDto } from './alerting.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };
const READ = { permission: 'case.read' } as const;
const iso = (t: number | null) => (t === null ? null : new Date(Number(t)).toISOString());

export function presentNotification(n: NotificationRow) {
  return {
    id: Number(n.id), kind: n.kind as NotificationKind, label: KIND_LABELS[n.kind as NotificationKind] ?? { zh: n.kind, en: n.kind },
    topic: n.topic, caseId: n.case_id === null ? null : Number(n.case_id), caseNo: n.case_no,
    details: JSON.parse(n.details) as Record<string, unknown>, createdAt: new Date(Number(n.created_at)).toISOString(), readAt: iso(n.read_at),
  };
}

export async function notificationRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/notifications', {
    config: READ,
    schema: {
      tags: ['notifications'], summary: 'The caller\'s notifications, newest first, with the unread count',
      querystring: NotificationQuery, response: { 200: NotificationList, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const limit = req.query.limit ?? 20;
    const items = await ctx.store.notifications.listForUser(p.userId, { unreadOnly: req.query.unread, beforeId: req.query.beforeId, limit });
    return {
      items: items.map(presentNotification), unread: await ctx.store.notifications.unreadCount(p.userId),
      nextBeforeId: items.length === limit ? Number(items[items.length - 1].id) : null,
    };
  });

  app.get('/api/v1/notifications/unread-count', {
    config: READ,
    schema: { tags: ['notifications'], summary: 'How many of the caller\'s notifications are unread (the bell)', response: { 200: Type.Object({ unread: Type.Integer() }), ...ERRORS } },
  }, async (req) => ({ unread: await ctx.store.notifications.unreadCount(principalOf(req).userId) }));

  app.post('/api/v1/notifications/read', {
    config: READ,
    schema: {
      tags: ['notifications'], summary: 'Marks notifications read: `ids`, or `all: true`',
      description: 'Only the caller\'s own notifications change; ids of others are ignored.',
      body: MarkReadBody, response: { 200: MarkReadResult, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const { ids, all } = req.body;
    if (!all && !ids) throw invalidAs('ids', { key: 'notification.give_ids_or_all_true' }, 'give ids, or all: true');
    if (all && ids) throw invalidAs('all', { key: 'notification.give_either_ids_or_all' }, 'give either ids or all: true, not both');
    const marked = await ctx.store.notifications.markRead(p.userId, all ? 'all' : ids!, ctx.clock.now());
    return { marked, unread: await ctx.store.notifications.unreadCount(p.userId) };
  });

  app.get('/api/v1/notifications/preferences', {
    config: READ,
    schema: { tags: ['notifications'], summary: 'Which kinds also go out of the console, and through which channel', response: { 200: PreferenceDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const saved = (await ctx.store.notifications.preferencesOf([p.userId])).get(p.userId);
    return saved ? { channel: saved.channel as 'log', kinds: saved.kinds as NotificationKind[], address: saved.address } : { channel: 'log' as const, kinds: [...DEFAULT_OUTBOUND_KINDS], address: null };
  });

  app.put('/api/v1/notifications/preferences', {
    config: READ,
    schema: { tags: ['notifications'], summary: 'Saves the caller\'s outbound preferences', body: PreferenceDto, response: { 200: PreferenceDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const pref = checkPreference({ channel: req.body.channel, kinds: req.body.kinds, address: req.body.address ?? null });
    await ctx.store.notifications.savePreference(p.userId, pref, ctx.clock.now());
    return pref;
  });

  app.get('/api/v1/notifications/deliveries', {
    config: READ,
    schema: { tags: ['notifications'], summary: 'The caller\'s outbound delivery log (newest 50)', response: { 200: Type.Object({ items: Type.Array(DeliveryDto) }), ...ERRORS } },
  }, async (req) => {
    const rows = await ctx.store.notifications.deliveriesOf(principalOf(req).userId, 50);
    return {
      items: rows.map((d) => ({
        id: Number(d.id), notificationId: Number(d.notification_id), channel: d.channel, status: d.status, attempts: d.attempts,
        lastError: d.last_error, createdAt: new Date(Number(d.created_at)).toISOString(), sentAt: iso(d.sent_at),
      })),
    };
  });
}
