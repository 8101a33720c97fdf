/**
 * HTTP ingestion for devices that cannot speak MQTT (issue 11 part 2): NB-IoT platforms' forwarders, gateways,
 * scripts. The device authenticates with its own credential — HTTP Basic, user = device id, password = its secret —
 * and may post only for itself. Same payloads and checks as `cityops/{deviceId}/telemetry` and `/status`
 * (domain/sensing/payload-*.ts), same pipeline; the answer comes after the readings are committed.
 * 200 with the count accepted and each refusal (field named) when some were accepted; 400 naming the first refused
 * field when none was; 401 for a bad credential (counted against the device when it exists).
 */
import { Type } from 'typebox';
import type { IntakeChannel } from '../channel.ts';
import type { App } from '../../http/app.ts';
import type { AppContext } from '../../runtime/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { DEVICE_ID_PATTERN } from '../../domain/sensing/device-input.ts';
import { sensingIngester, type IngestAnswer } from '../../runtime/sensing-ingest.ts';
import { ErrorResponse } from '../../http/routes/common.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 413: ErrorResponse };
const Params = Type.Object({ deviceId: Type.String({ pattern: DEVICE_ID_PATTERN, description: 'The device (its id)' }) });
export const IngestAnswerDto = Type.Object({
  accepted: Type.Integer({ description: 'Readings stored (committed before this answer)' }),
  rejected: Type.Array(Type.Object({
    reason: Type.String({ description: 'malformed | unknown_measurement | out_of_range | future | too_old | flood | …' }),
    field: Type.String({ description: 'The field at fault, e.g. [2].values.waterLevel' }),
    message: Type.String({ description: 'What is wrong' }),
  })),
});

function basic(header: string | undefined): { user: string; secret: string } | null {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? null : { user: text.slice(0, i), secret: text.slice(i + 1) };
}

export function answer(a: IngestAnswer) {
  if (a.accepted === 0 && a.rejections.length) {
    const first = a.rejections[0];
    throw new DomainError('VALIDATION_FAILED', first.message, { field: first.field, details: { rejected: a.rejections } });
  }
  return { accepted: a.accepted, rejected: a.rejections };
}

async function sensorRoutes(app: App, ctx: AppContext): Promise<void> {
  const authorised = async (deviceId: string, header: string | undefined) => {
    const cred = basic(header);
    const ingest = sensingIngester(ctx);
    if (!cred || cred.user !== deviceId || !(await ingest.authenticate(deviceId, cred.secret))) {
      if (await ingest.device(deviceId)) ingest.refuse(deviceId, { reason: 'bad_credential', field: 'authorization', message: 'authorization: wrong device credential' });
      throw new DomainError('UNAUTHENTICATED', 'authorization: send HTTP Basic with the device id as user and its secret as password', { field: 'authorization' });
    }
    return ingest;
  };
  app.post('/api/v1/sensors/:deviceId/telemetry', {
    config: { public: true },
    bodyLimit: 1024 * 1024,
    schema: {
      tags: ['sensing'], summary: 'Telemetry of one device over HTTP (devices that cannot speak MQTT)',
      description: 'HTTP Basic: device id / device secret. Body as on MQTT: {"at", "values": {…}}, a flat {"waterLevel": 12}, an array, or {"readings": […]}. '
        + 'Answered after the readings are stored. Refusals are counted per device (device page).',
      params: Params, body: Type.Unknown({ description: 'Readings (JSON)' }), response: { 200: IngestAnswerDto, ...ERRORS },
    },
  }, async (req) => answer(await (await authorised(req.params.deviceId, req.headers.authorization)).telemetry(req.params.deviceId, req.body)));

  app.post('/api/v1/sensors/:deviceId/status', {
    config: { public: true },
    bodyLimit: 16 * 1024,
    schema: {
      tags: ['sensing'], summary: 'A device\'s own state (online, offline, fault, maintenance) over HTTP',
      params: Params, body: Type.Unknown({ description: '{"state": "fault", "detail": "…"}' }), response: { 200: IngestAnswerDto, ...ERRORS },
    },
  }, async (req) => answer(await (await authorised(req.params.deviceId, req.headers.authorization)).status(req.params.deviceId, req.body)));
}

export const sensorHttpChannel: IntakeChannel = {
  name: 'sensor-http',
  title: { zh: '物联感知 HTTP', en: 'Sensors over HTTP' },
  routes: sensorRoutes,
};
