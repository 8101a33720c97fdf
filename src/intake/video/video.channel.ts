/**
 * The video-AI channel (issue 11 part 5; README.md in this folder): camera analytics post detections to
 * POST /api/v1/video/detections with an API key holding `case.create`. A detection becomes an alarm (review queue,
 * or filed at once when whitelisted); cases it becomes go through the intake contract with channel `video` and the
 * alarm id as key (src/commands/alarm-case.ts).
 */
import { Type } from 'typebox';
import type { IntakeChannel } from '../channel.ts';
import { recordDetection } from '../../commands/alarm-detect.ts';
import { principalOf } from '../../http/middleware/auth.ts';
import { ErrorResponse } from '../../http/routes/common.schema.ts';
import { AlarmDto } from '../../http/routes/alarms/alarm.schema.ts';
import { presentAlarm } from '../../http/routes/alarms/alarm.presenter.ts';

const DetectionBody = Type.Object({
  detectionId: Type.String({ minLength: 1, maxLength: 100, description: 'The analytics\' own id of the detection: a resend with it answers the first alarm' }),
  type: Type.String({ minLength: 1, maxLength: 40, description: 'Detection type, e.g. garbage_exposed, street_vending, illegal_parking (GET /api/v1/sensing/alarm-policy lists them)' }),
  confidence: Type.Number({ minimum: 0, maximum: 1, description: 'Confidence 0–1' }),
  cameraId: Type.String({ minLength: 1, maxLength: 100, description: 'Camera id (the registry\'s, see /api/v1/cameras)' }),
  position: Type.Optional(Type.Object({ lon: Type.Number(), lat: Type.Number() }, { description: 'Where the detection is (WGS-84); default: the camera\'s position' })),
  model: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), version: Type.String({ minLength: 1, maxLength: 40 }) }, { description: 'The AI model that detected it' }),
  detectedAt: Type.Optional(Type.String({ format: 'date-time', description: 'When (default: now)' })),
  snapshot: Type.Optional(Type.Object({
    attachmentId: Type.Optional(Type.String({ maxLength: 64, description: 'A snapshot uploaded with POST /api/v1/attachments' })),
    url: Type.Optional(Type.String({ maxLength: 2000, description: 'Or its URL on the city\'s own video platform (never fetched by the server)' })),
  })),
});

const DetectionResult = Type.Object({
  created: Type.Boolean({ description: 'false: a resend of a detection already recorded' }),
  disposition: Type.String({ enum: ['below_threshold', 'pending', 'filed'], description: 'Recorded only / waiting for review / filed as work (whitelisted)' }),
  caseId: Type.Union([Type.Integer(), Type.Null()]),
  alarm: AlarmDto,
});

export const videoChannel: IntakeChannel = {
  name: 'video',
  title: { zh: '视频智能分析', en: 'Video analytics' },
  routes: async (app, ctx) => {
    app.post('/api/v1/video/detections', {
      config: { permission: 'case.create' },
      schema: {
        tags: ['video'], summary: 'A camera analytics detection: becomes an alarm (review queue, or a case at once when whitelisted)',
        body: DetectionBody, response: { 200: DetectionResult, 201: DetectionResult, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse },
      },
    }, async (req, reply) => {
      const p = principalOf(req);
      const r = await recordDetection(ctx, req.body, p);
      const body = { created: r.created, disposition: r.disposition, caseId: r.alarm.case_id === null ? null : Number(r.alarm.case_id), alarm: presentAlarm(ctx, p, r.alarm) };
      return reply.status(r.created ? 201 : 200).send(body);
    });
  },
};
