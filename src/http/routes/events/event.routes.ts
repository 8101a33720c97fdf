/**
 * GET /api/v1/events — Server-Sent Events of every committed change the caller may see (tailing the outbox).
 * Reconnects resume after `Last-Event-ID` (replayed from the outbox, bounded). A comment line every 15 s keeps
 * proxies from closing idle streams.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { isAdmin } from '../../../domain/policy/scope.ts';
import { canSeeCase } from '../../../domain/policy/visibility.ts';
import type { OutboxRow } from '../../../storage/repositories/outbox.repository.ts';
import { principalOf, type Principal } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';

/**
 * Who sees an event: the visibility policy, applied to the facts the event carries (the case's place, and the units
 * that hold it — or held it just before the change, so a unit learns that a case left its inbox). Configuration
 * events (no case) are for administrators.
 */
export function canSeeEvent(p: Principal, e: OutboxRow, regionPathOf: (regionIds: string[]) => string[]): boolean {
  // A user's own notifications (issue 9): only the people they were made for (the bell refreshes its count).
  if (e.topic === 'notification.created') return Array.isArray(e.payload.userIds) && e.payload.userIds.includes(p.userId);
  if (e.caseId === null) return isAdmin(p);
  return canSeeCase(p, { regionPath: regionPathOf(e.regionIds), unitIds: e.unitIds });
}

export async function eventRoutes(app: App, ctx: AppContext): Promise<void> {
  const withAncestors = (regionIds: string[]): string[] => {
    const regions = ctx.ref.current().regions;
    const out = new Set(regionIds);
    for (const id of regionIds) {
      let r = regions.get(id);
      while (r?.parentId) { out.add(r.parentId); r = regions.get(r.parentId); }
    }
    return [...out];
  };

  app.get('/api/v1/events', {
    config: { permission: 'events.read' },
    schema: {
      tags: ['events'],
      summary: 'Live stream (text/event-stream) of committed changes the caller may see',
      description: 'Each event: `id` (outbox id), `event` (topic, e.g. case.created, case.transitioned, case.deadline_overdue), `data` (JSON). Send `Last-Event-ID` to resume.',
      headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^\\d{1,18}$', description: 'Resume after this event id' })) }),
      response: { 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (e: OutboxRow) => {
      if (!canSeeEvent(p, e, withAncestors)) return;
      const data = e.topic === 'notification.created' ? {} : e.payload; // who else was notified is not the reader's business
      res.write(`id: ${e.id}\nevent: ${e.topic}\ndata: ${JSON.stringify({ ...data, caseId: e.caseId, at: new Date(e.at).toISOString() })}\n\n`);
    };
    res.write(`retry: 3000\n: connected at outbox ${ctx.events.position}\n\n`);
    // The disconnect is watched from the start: a client that leaves while its replay or catch-up is being read must
    // not leave a ping timer or a subscription behind.
    let closed = false;
    let unsubscribe: (() => void) | undefined;
    const timers: { ping?: NodeJS.Timeout } = {};
    const done = () => {
      closed = true;
      if (timers.ping) clearInterval(timers.ping);
      unsubscribe?.();
    };
    req.raw.on('close', done);
    res.on('error', done);
    const last = req.headers['last-event-id'];
    if (typeof last === 'string' && /^\d+$/.test(last)) {
      const rows = await ctx.store.outbox.readAfter(Number(last), 1000);
      if (closed) return;
      rows.forEach(send);
      const replayedTo = rows.length ? rows[rows.length - 1].id : Number(last);
      unsubscribe = ctx.events.subscribe((e) => { if (e.id > replayedTo) send(e); });
    } else {
      // A new client starts now: nothing committed before it connected is sent (that is what Last-Event-ID is for).
      const off = await ctx.events.subscribeFromNow(send);
      if (closed) return off();
      unsubscribe = off;
    }
    timers.ping = setInterval(() => res.write(': ping\n\n'), 15_000);
  });
}
