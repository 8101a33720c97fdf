/**
 * A camera analytics detection (issue 11 part 5) becomes an alarm: its type maps to a matter code (city data,
 * `sensing_alarm_policy.videoTypes`); below the type's confidence threshold it is recorded and not queued; otherwise
 * it waits in the review queue — unless its matter is whitelisted for automatic dispatch in that area, when it is filed
 * at once (alarm-case.ts). The sender's detection id makes a resend answer the first alarm.
 *
 * The snapshot is either an upload (POST /api/v1/attachments, cited by id) or a URL on the city's own video platform;
 * the server never fetches it.
 */
import { DomainError, invalidAs } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { validateLonLat } from '../domain/grid/index.ts';
import { isAutoDispatch, videoTypeOf } from '../domain/sensing/rule-policy.ts';
import type { AppContext } from '../runtime/context.ts';
import { toJson, isUniqueViolation } from '../storage/codec.ts';
import type { AlarmRow } from '../storage/repositories/alarm.repository.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { fileAlarm, sensingActor, type AlarmOutcome } from './alarm-case.ts';
import { newAlarmId } from './alarm-raise.ts';
import { regionPathOf } from './case-transition.ts';

export interface DetectionInput {
  detectionId: string;
  type: string;
  confidence: number;
  cameraId: string;
  position?: { lon: number; lat: number };
  model: { name: string; version: string };
  detectedAt?: string;
  snapshot?: { attachmentId?: string; url?: string };
}

export interface DetectionResult { alarm: AlarmRow; created: boolean; disposition: 'below_threshold' | 'pending' | 'filed'; outcome?: AlarmOutcome }

export async function recordDetection(ctx: AppContext, input: DetectionInput, sender: Actor & { name?: string }): Promise<DetectionResult> {
  const policy = ctx.ref.current().alarmPolicy;
  const vt = videoTypeOf(policy, input.type);
  if (!vt) throw invalidAs('type', { key: 'alarm-detect.unknown_detection_type_known', params: { type: String(input.type), allowed: policy.videoTypes.map((t) => t.type).join(', ') } }, `unknown detection type "${input.type}" (known: ${policy.videoTypes.map((t) => t.type).join(', ')})`);
  const prior = await ctx.store.alarms.findAlarmByExternal('video', input.detectionId);
  if (prior) return { alarm: prior, created: false, disposition: dispositionOf(prior) };
  const cam = await ctx.store.cameras.findCamera(input.cameraId);
  const pos = input.position ?? (cam ? { lon: Number(cam.lon), lat: Number(cam.lat) } : undefined);
  if (!pos) throw invalidAs('position', { key: 'alarm-detect.camera_not_registered_send_its', params: { cameraId: String(input.cameraId) } }, `camera "${input.cameraId}" is not registered: send its position`);
  validateLonLat(pos.lon, pos.lat, 'position');
  const loc = ctx.ref.locate(pos.lon, pos.lat);
  if (!loc) throw new DomainError('OUT_OF_GRID', `position: (${pos.lon}, ${pos.lat}) is outside every grid of the city`, { field: 'position' });
  const now = ctx.clock.now();
  let at = now;
  if (input.detectedAt !== undefined) {
    at = Date.parse(input.detectedAt);
    if (!Number.isFinite(at)) throw invalidAs('detectedAt', { key: 'field.iso_8601_instant' }, 'must be an ISO 8601 instant');
    if (at > now + 5 * 60_000) throw invalidAs('detectedAt', { key: 'alarm-detect.in_future' }, 'is in the future');
  }
  const snap = input.snapshot ?? {};
  if (snap.attachmentId) {
    const att = await ctx.store.attachments.find(snap.attachmentId);
    if (!att || (att.case_id !== null) || att.created_by !== sender.userId) throw invalidAs('snapshot.attachmentId', { key: 'alarm-detect.unknown_attachment_upload_it_with', params: { attachmentId: String(snap.attachmentId) } }, `unknown attachment "${snap.attachmentId}" (upload it with POST /api/v1/attachments first)`);
  }
  if (snap.url !== undefined && !/^https?:\/\/[^\s]{1,2000}$/.test(snap.url)) throw invalidAs('snapshot.url', { key: 'alarm-detect.http_s_url_on_city' }, 'must be an http(s) URL on the city\'s video platform');
  const below = input.confidence < vt.minConfidence;
  const auto = !below && isAutoDispatch(policy, { source: 'video', matterCode: vt.matterCode, regionPath: regionPathOf({ district_id: loc.districtId, street_id: loc.streetId, community_id: loc.communityId }, ctx.ref) });
  const review = below ? 'below_threshold' : auto ? 'submitting' : 'pending';
  const row = {
    id: newAlarmId(at), source: 'video', device_id: input.cameraId, device_type_id: 'camera', vendor: null, ai_model: `${input.model.name}@${input.model.version}`,
    rule_id: null, rule_version: null, rule_name: vt.zh, detection_type: input.type, confidence: input.confidence, external_id: input.detectionId,
    matter_code: vt.matterCode, urgency: 'normal', state: 'raised', review, false_by: null, false_at: null, case_id: null,
    place_key: null, lon: pos.lon, lat: pos.lat, grid_id: loc.gridId, community_id: loc.communityId, street_id: loc.streetId, district_id: loc.districtId,
    owner_unit_id: null, scenario: 'video', values: toJson({ confidence: input.confidence }),
    snapshot_attachment_id: snap.attachmentId ?? null, snapshot_url: snap.url ?? null,
    raised_at: at, last_raised_at: at, cleared_at: null, created_at: now, updated_at: now,
  };
  try {
    await ctx.store.transaction(async (tx) => {
      await tx.alarms.insertAlarm(row);
      await tx.alarms.appendAlarmHistory({ alarmId: row.id, action: 'detected', actorId: sender.userId, actorName: sender.name ?? null, at: now, details: { type: input.type, confidence: input.confidence, model: row.ai_model, review } });
      await tx.outbox.append(configEvent('alarm.detected', { alarmId: row.id, cameraId: input.cameraId, type: input.type, review, actorId: sender.userId }, now, { regionIds: [loc.districtId, loc.streetId, loc.communityId].filter((x): x is string => !!x) }));
    });
  } catch (err) {
    // two first attempts at once: the other one stored it
    if (isUniqueViolation(err)) {
      const first = await ctx.store.alarms.findAlarmByExternal('video', input.detectionId);
      if (first) return { alarm: first, created: false, disposition: dispositionOf(first) };
    }
    throw err;
  }
  const stored = (await ctx.store.alarms.findAlarm(row.id))!;
  if (!auto) {
    ctx.events.notify();
    return { alarm: stored, created: true, disposition: below ? 'below_threshold' : 'pending' };
  }
  const outcome = await fileAlarm(ctx, stored, cam?.name ?? input.cameraId, sensingActor(ctx));
  return { alarm: outcome.alarm, created: true, disposition: 'filed', outcome };
}

const dispositionOf = (a: AlarmRow): DetectionResult['disposition'] => (a.review === 'below_threshold' ? 'below_threshold' : a.review === 'pending' ? 'pending' : 'filed');
