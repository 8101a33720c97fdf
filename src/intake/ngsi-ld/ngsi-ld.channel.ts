/**
 * NGSI-LD notifications (issue 11 part 2): a FIWARE context broker's subscription posts to
 * POST /api/v1/ngsi-ld/notify (Content-Type application/json or application/ld+json) with an API key of the city's IT
 * (Authorization: Bearer, a key holding device.manage — set it in the subscription's `notification.endpoint.receiverInfo`).
 * Entities are mapped by domain/sensing/payload-ngsi.ts and go through the same pipeline as MQTT; the answer comes after
 * storing, so a broker that retries on failure never loses a notification, and a retry stores nothing twice.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { IntakeChannel } from '../channel.ts';
import type { AppContext } from '../../runtime/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { mapNotification } from '../../domain/sensing/payload-ngsi.ts';
import { sensingIngester } from '../../runtime/sensing-ingest.ts';
import { ErrorResponse } from '../../http/routes/common.schema.ts';
import type { Rejection } from '../../domain/sensing/payload-telemetry.ts';

const Answer = Type.Object({
  entities: Type.Integer({ description: 'Entities read' }),
  accepted: Type.Integer({ description: 'Readings stored' }),
  states: Type.Integer({ description: 'Device states applied' }),
  rejected: Type.Array(Type.Object({ entity: Type.String({ description: 'Entity id' }), field: Type.String({ description: 'Field' }), message: Type.String({ description: 'Why' }) })),
});

async function ngsiPlugin(s: FastifyInstance, ctx: AppContext): Promise<void> {
  s.addContentTypeParser('application/ld+json', { parseAs: 'string', bodyLimit: 4 * 1024 * 1024 }, (_req, body, done) => {
    try { done(null, JSON.parse(body as string)); } catch { done(new DomainError('VALIDATION_FAILED', 'body: not valid JSON', { field: 'body' }), undefined); }
  });
  s.post('/api/v1/ngsi-ld/notify', {
    config: { permission: 'device.manage' },
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      tags: ['sensing'], summary: 'NGSI-LD notification from a FIWARE context broker (Smart Data Models Device / DeviceMeasurement)',
      description: 'Each entity becomes readings (and a state) of the device its id or refDevice names (urn:ngsi-ld:Device:<deviceId>). Refusals are listed per entity and counted per device.',
      body: Type.Unknown({ description: 'NGSI-LD Notification: { id, type: "Notification", subscriptionId, notifiedAt, data: [entities] }' }),
      response: { 200: Answer, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req) => {
    const m = mapNotification(req.body);
    if ('field' in m) throw new DomainError('VALIDATION_FAILED', m.message, { field: m.field });
    const ingest = sensingIngester(ctx);
    const out = { entities: m.items.length + m.ignored.length, accepted: 0, states: 0, rejected: [...m.ignored] };
    const note = (entity: string, rs: Rejection[]) => { for (const r of rs) out.rejected.push({ entity, field: r.field, message: r.message }); };
    await Promise.all(m.items.map(async (it) => {
      if (Object.keys(it.values).length) {
        const a = await ingest.telemetry(it.deviceId, [{ ...(it.at !== undefined ? { at: it.at } : {}), values: it.values }]);
        out.accepted += a.accepted;
        note(it.entity, a.rejections);
      }
      if (it.state) {
        const a = await ingest.status(it.deviceId, { state: it.state, ...(it.at !== undefined ? { at: it.at } : {}) });
        out.states += a.accepted;
        note(it.entity, a.rejections);
      }
    }));
    return out;
  });
}

export const ngsiLdChannel: IntakeChannel = {
  name: 'ngsi-ld',
  title: { zh: 'FIWARE NGSI-LD 通知', en: 'NGSI-LD notifications' },
  routes: async (app, ctx) => { await app.register(async (s) => ngsiPlugin(s, ctx)); },
};
