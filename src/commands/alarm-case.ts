/**
 * An alarm becomes work (issue 11 part 4; domain.md §4): it joins the open case of the same device (camera) and
 * matter, or of the same place and matter raised within the place window; otherwise it becomes a case through the
 * intake contract (`submit`, channel `iot` or `video`, key = the alarm id, so a retry never duplicates). The case is
 * REPORTED — a person accepts it — unless the city whitelisted the matter in that area for automatic dispatch: then
 * the sensing actor accepts, registers and dispatches it to the unit the responsibility list names.
 *
 * The alarm is written first (review `submitting`), the case second, the link third: a crash in between leaves an
 * alarm in `submitting`, which the engine submits again at start-up and the key answers with the first case.
 */
import { DomainError } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { isAutoDispatch, type AlarmSource } from '../domain/sensing/rule-policy.ts';
import type { AppContext } from '../runtime/context.ts';
import { submit, type ChannelReport } from '../intake/contract.ts';
import { fromJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import type { AlarmRow } from '../storage/repositories/alarm.repository.ts';
import { caseEvent } from '../storage/repositories/outbox.repository.ts';
import { regionPathOf, transitionCase } from './case-transition.ts';

export const SENSING_ACTOR_NAME = '城市感知 sensing';

/** The fixed actor that files rule alarms and dispatches whitelisted ones: centre roles over the whole city. */
export function sensingActor(ctx: AppContext): Actor & { name: string } {
  const root = [...ctx.ref.current().regions.values()].find((r) => r.parentId === null)?.id;
  return { userId: 'sensing', name: SENSING_ACTOR_NAME, roles: ['operator', 'dispatcher'], unitIds: [], regionIds: root ? [root] : [] };
}

export interface AlarmOutcome { alarm: AlarmRow; caseId: number | null; how: 'linked' | 'case' | 'unfiled'; autoDispatched?: boolean }

const fmtValues = (values: Record<string, number>): string => Object.entries(values).map(([k, v]) => `${k}=${v}`).join(', ');

/** The case report of an alarm: matter, urgency, a description that says what fired, the place. */
export function reportOf(a: AlarmRow, deviceName: string): ChannelReport {
  const values = fromJson<Record<string, number>>(a.values, {});
  const what = a.source === 'video'
    ? `视频AI识别：${a.detection_type}（置信度 ${Math.round(Number(a.confidence ?? 0) * 100)}%，模型 ${a.ai_model ?? '-'}）摄像头 ${deviceName}`
    : `物联感知告警：${a.rule_name ?? a.rule_id}，设备 ${deviceName}${Object.keys(values).length ? `（${fmtValues(values)}）` : ''}`;
  return {
    matterCode: a.matter_code, urgency: a.urgency as ChannelReport['urgency'], description: what, externalId: a.id,
    ...(a.lon !== null && a.lat !== null ? { location: { lon: Number(a.lon), lat: Number(a.lat) } } : {}),
    ...(a.snapshot_attachment_id ? { attachmentIds: [a.snapshot_attachment_id] } : {}),
  };
}

/** Writes an alarm's link to a case: the alarm's state and history, a history row and an event on the case. */
async function writeLink(tx: Repositories, a: AlarmRow, caseId: number, review: 'linked' | 'case', by: { id: string | null; name: string | null }, at: number, why: string): Promise<AlarmRow> {
  if (!(await tx.alarms.updateAlarm(a.id, a.version, { case_id: caseId, review, updated_at: at }))) {
    throw new DomainError('CONFLICT', `alarm ${a.id} changed meanwhile; retry`, { field: 'alarmId' });
  }
  await tx.alarms.appendAlarmHistory({ alarmId: a.id, action: review === 'linked' ? 'linked' : 'case_opened', actorId: by.id, actorName: by.name, at, details: { caseId, why } });
  if (review === 'linked') {
    const c = await tx.cases.findCase(caseId);
    if (c) {
      const details = { alarmId: a.id, deviceId: a.device_id, ruleId: a.rule_id, detectionType: a.detection_type, values: fromJson(a.values, {}), why };
      await tx.history.append({ caseId, action: 'alarm_linked', fromState: c.state, toState: c.state, actorId: by.id, actorName: by.name, at, details });
      await tx.outbox.append(caseEvent('case.alarm_linked', c, { id: caseId, caseNo: c.case_no, alarmId: a.id, actorId: by.id }, at));
    }
  }
  return { ...a, case_id: caseId, review, updated_at: at, version: a.version + 1 };
}

/** The open case this alarm should join (same device and matter; or same place and matter within the window). */
export async function caseToJoin(ctx: AppContext, a: AlarmRow): Promise<{ caseId: number; why: string } | undefined> {
  const byDevice = await ctx.store.alarms.openCaseOfDevice(a.device_id, a.matter_code);
  if (byDevice) return { caseId: byDevice.caseId, why: 'same_device' };
  if (a.place_key) {
    const since = Number(a.raised_at) - ctx.ref.current().alarmPolicy.placeWindowMinutes * 60_000;
    const byPlace = await ctx.store.alarms.openCaseOfPlace(a.place_key, a.matter_code, since);
    if (byPlace) return { caseId: byPlace.caseId, why: 'same_place' };
  }
  return undefined;
}

/**
 * Files an alarm: join an open case or submit a new one. `actor` files it (the sensing actor for rule alarms and
 * whitelisted video alarms; the reviewer for an accepted video alarm — who then also accepts the case).
 */
export async function fileAlarm(ctx: AppContext, a: AlarmRow, deviceName: string, actor: Actor & { name: string }, opts: { reviewerAccepts?: boolean } = {}): Promise<AlarmOutcome> {
  const now = ctx.clock.now();
  const join = await caseToJoin(ctx, a);
  if (join) {
    const alarm = await ctx.store.transaction((tx) => writeLink(tx, a, join.caseId, 'linked', { id: actor.userId, name: actor.name }, now, join.why));
    ctx.events.notify();
    return { alarm, caseId: join.caseId, how: 'linked' };
  }
  let created;
  try {
    created = await submit(ctx, { channel: a.source as AlarmSource, report: reportOf(a, deviceName), key: a.id, keyField: 'alarmId' }, actor);
  } catch (err) {
    if (!(err instanceof DomainError) || err.code === 'CONFLICT') throw err;
    // The report cannot be a case (outside every grid, no position …): recorded on the alarm, not retried.
    const alarm = await ctx.store.transaction(async (tx) => {
      await tx.alarms.updateAlarm(a.id, a.version, { review: 'unfiled', updated_at: now });
      await tx.alarms.appendAlarmHistory({ alarmId: a.id, action: 'unfiled', actorId: actor.userId, actorName: actor.name, at: now, details: { code: err.code, field: err.field ?? null, message: err.message } });
      return { ...a, review: 'unfiled', version: a.version + 1 };
    });
    return { alarm, caseId: null, how: 'unfiled' };
  }
  const caseId = Number(created.row.id);
  const alarm = await ctx.store.transaction((tx) => writeLink(tx, a, caseId, 'case', { id: actor.userId, name: actor.name }, now, created.created ? 'new_case' : 'retry'));
  let autoDispatched = false;
  const c = created.row;
  if (created.created && c.state === 'REPORTED') {
    const policy = ctx.ref.current().alarmPolicy;
    const auto = isAutoDispatch(policy, { source: a.source as AlarmSource, matterCode: a.matter_code, regionPath: regionPathOf(c, ctx.ref) });
    if (auto) autoDispatched = await autoDispatch(ctx, caseId, c.routed_unit_id);
    else if (opts.reviewerAccepts) await transitionCase(ctx, caseId, { action: 'accept' } as never, actor);
  }
  ctx.events.notify();
  return { alarm, caseId, how: 'case', autoDispatched };
}

/**
 * Whitelisted alarms skip the person: accept → register → dispatch to the routed unit, as the sensing actor, each
 * a transition with its own history row. A step the case's state or policy refuses (verification required, no unit)
 * leaves it where it stopped for a person to carry on.
 */
async function autoDispatch(ctx: AppContext, caseId: number, unitId: string | null): Promise<boolean> {
  const actor = sensingActor(ctx);
  try {
    await transitionCase(ctx, caseId, { action: 'accept', note: '白名单告警自动受理 / whitelisted alarm' } as never, actor);
    await transitionCase(ctx, caseId, { action: 'register' } as never, actor);
    if (!unitId) return false;
    await transitionCase(ctx, caseId, { action: 'dispatch', unitId, note: '白名单告警自动派遣 / whitelisted alarm dispatched automatically' } as never, actor);
    return true;
  } catch (err) {
    if (err instanceof DomainError) {
      ctx.log.warn({ caseId, code: err.code, message: err.message }, 'sensing: automatic dispatch stopped');
      return false;
    }
    throw err;
  }
}

/** Records on the alarm's case that the alarm cleared (a history row and an event), in the caller's transaction. */
export async function noteOnCase(tx: Repositories, a: AlarmRow, action: 'alarm_cleared' | 'alarm_reraised' | 'alarm_false', by: { id: string | null; name: string | null }, at: number, extra: Record<string, unknown> = {}): Promise<void> {
  if (a.case_id === null) return;
  const c = await tx.cases.findCase(Number(a.case_id));
  if (!c) return;
  const details = { alarmId: a.id, deviceId: a.device_id, ruleId: a.rule_id, ...extra };
  await tx.history.append({ caseId: Number(c.id), action, fromState: c.state, toState: c.state, actorId: by.id, actorName: by.name, at, details });
  await tx.outbox.append(caseEvent(`case.${action}`, c, { id: Number(c.id), caseNo: c.case_no, alarmId: a.id, actorId: by.id }, at));
}
