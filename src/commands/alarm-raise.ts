/**
 * Rule alarms (issue 11 parts 3–4), as the rule engine hands them over: raise (a new alarm, filed as work — see
 * alarm-case.ts — or, within the rule's suppression window after the last one cleared, that alarm re-opened: no new
 * alarm, no new case) and clear (recorded on the alarm and on its case). Each write is one transaction with the
 * alarm's history row and an outbox event.
 */
import crypto from 'node:crypto';
import type { Device } from '../domain/sensing/types.ts';
import type { SensingRule } from '../domain/sensing/rule-types.ts';
import { reopens } from '../domain/sensing/rule-eval.ts';
import type { AppContext } from '../runtime/context.ts';
import { toJson } from '../storage/codec.ts';
import type { AlarmRow } from '../storage/repositories/alarm.repository.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { fileAlarm, noteOnCase, sensingActor, SENSING_ACTOR_NAME, type AlarmOutcome } from './alarm-case.ts';

/** Alarm ids sort by time: `al` + the raise instant in base 36 + 8 random hex digits. */
export const newAlarmId = (at: number): string => `al${Math.max(0, at).toString(36).padStart(9, '0')}${crypto.randomBytes(4).toString('hex')}`;

/** Where a device's alarms of one matter count as "one place": the place or part it is attached to. */
export const placeKeyOf = (d: Pick<Device, 'attachmentKind' | 'attachmentId'>): string | null =>
  d.attachmentId && (d.attachmentKind === 'place' || d.attachmentKind === 'part') ? `${d.attachmentKind}:${d.attachmentId}` : null;

const SYSTEM = { id: 'sensing', name: SENSING_ACTOR_NAME };

/** The alarm columns that describe the device and its place. */
export function deviceColumns(ctx: AppContext, d: Device) {
  let { gridId, communityId, streetId, districtId } = d;
  if (!gridId && d.lon !== null && d.lat !== null) {
    const loc = ctx.ref.locate(d.lon, d.lat);
    if (loc) ({ gridId, communityId, streetId, districtId } = loc);
  }
  return {
    device_id: d.id, device_type_id: d.typeId, vendor: d.vendor, ai_model: null, lon: d.lon, lat: d.lat, grid_id: gridId,
    community_id: communityId, street_id: streetId, district_id: districtId, owner_unit_id: d.ownerUnitId, scenario: d.scenario,
    place_key: placeKeyOf(d),
  };
}

export interface RaiseResult { alarm: AlarmRow; reopened: boolean; outcome?: AlarmOutcome }

/**
 * Filing off the ingestion path (`defer`, the MQTT ingest worker's raises): the alarm is stored (`submitting`) before the
 * reading is acknowledged, and its case is filed here afterwards, one alarm at a time in raise order, so a burst of
 * alarms never holds telemetry up. A stop in between is repaired at start-up, a failed filing by the sensing jobs a
 * minute later (resumeSubmissions files it again under the same intake key). A clear of an alarm still waiting here
 * waits for its filing, so the case records it.
 */
const filing = new WeakMap<AppContext, { tail: Promise<void>; pending: Map<string, Promise<void>> }>();

function fileLater(ctx: AppContext, alarm: AlarmRow, deviceName: string): void {
  let q = filing.get(ctx);
  if (!q) filing.set(ctx, (q = { tail: Promise.resolve(), pending: new Map() }));
  const queue = q;
  const p = queue.tail.then(() => fileAlarm(ctx, alarm, deviceName, sensingActor(ctx))).then(
    () => undefined,
    (err: unknown) => { ctx.log.error(err, `sensing: filing alarm ${alarm.id} failed (it stays submitting; the sensing jobs file it again)`); },
  ).finally(() => { queue.pending.delete(alarm.id); });
  queue.tail = p;
  queue.pending.set(alarm.id, p);
}

/** Resolves when every alarm handed to deferred filing so far has its case (or failed). */
export const filingIdle = (ctx: AppContext): Promise<void> => filing.get(ctx)?.tail ?? Promise.resolve();

export async function raiseRuleAlarm(ctx: AppContext, rule: SensingRule, device: Device, at: number, values: Record<string, number>, opts: { defer?: boolean } = {}): Promise<RaiseResult> {
  const now = ctx.clock.now();
  const latest = await ctx.store.alarms.latestAlarmOf(device.id, rule.id);
  if (latest && latest.state === 'raised') return { alarm: latest, reopened: false };
  if (latest && latest.false_alarm === 0 && reopens(latest.cleared_at === null ? null : Number(latest.cleared_at), at, rule.suppressMinutes)) {
    const alarm = await ctx.store.transaction(async (tx) => {
      const patch = { state: 'raised', cleared_at: null, last_raised_at: at, repeat_count: latest.repeat_count + 1, values: toJson(values), updated_at: now };
      if (!(await tx.alarms.updateAlarm(latest.id, latest.version, patch))) return undefined;
      await tx.alarms.appendAlarmHistory({ alarmId: latest.id, action: 'reraised', actorId: SYSTEM.id, actorName: SYSTEM.name, at: now, details: { at, values, ruleVersion: rule.version } });
      await noteOnCase(tx, latest, 'alarm_reraised', SYSTEM, now, { values });
      await tx.outbox.append(configEvent('alarm.reraised', { alarmId: latest.id, deviceId: device.id, actorId: SYSTEM.id }, now, { regionIds: regionsOf(latest) }));
      return { ...latest, ...patch, version: latest.version + 1 } as AlarmRow;
    });
    if (alarm) { ctx.events.notify(); return { alarm, reopened: true }; }
  }
  const row = {
    id: newAlarmId(at), source: 'iot', ...deviceColumns(ctx, device), rule_id: rule.id, rule_version: rule.version, rule_name: rule.name,
    detection_type: null, confidence: null, external_id: null, matter_code: rule.matterCode, urgency: rule.urgency, state: 'raised',
    review: 'submitting', false_by: null, false_at: null, case_id: null, values: toJson(values), snapshot_attachment_id: null, snapshot_url: null,
    raised_at: at, last_raised_at: at, cleared_at: null, created_at: now, updated_at: now,
  };
  await ctx.store.transaction(async (tx) => {
    await tx.alarms.insertAlarm(row);
    await tx.alarms.appendAlarmHistory({ alarmId: row.id, action: 'raised', actorId: SYSTEM.id, actorName: SYSTEM.name, at: now, details: { at, values, ruleId: rule.id, ruleVersion: rule.version } });
    await tx.outbox.append(configEvent('alarm.raised', { alarmId: row.id, deviceId: device.id, ruleId: rule.id, matterCode: rule.matterCode, actorId: SYSTEM.id }, now, { regionIds: regionsOf(row) }));
  });
  const stored = (await ctx.store.alarms.findAlarm(row.id))!;
  if (opts.defer) {
    fileLater(ctx, stored, device.name);
    return { alarm: stored, reopened: false };
  }
  const outcome = await fileAlarm(ctx, stored, device.name, sensingActor(ctx));
  return { alarm: outcome.alarm, reopened: false, outcome };
}

const regionsOf = (a: Pick<AlarmRow, 'district_id' | 'street_id' | 'community_id'>): string[] =>
  [a.district_id, a.street_id, a.community_id].filter((x): x is string => !!x);

/** Readings are normal again (or the device is back online): the raised alarm of this rule on this device clears, on its case too. */
export async function clearRuleAlarm(ctx: AppContext, ruleId: string, deviceId: string, at: number, values: Record<string, number>): Promise<AlarmRow | undefined> {
  const now = ctx.clock.now();
  let a = await ctx.store.alarms.latestAlarmOf(deviceId, ruleId);
  const waiting = a ? filing.get(ctx)?.pending.get(a.id) : undefined;
  if (waiting) {
    await waiting;
    a = await ctx.store.alarms.latestAlarmOf(deviceId, ruleId);
  }
  if (!a || a.state !== 'raised') return undefined;
  const cleared = await ctx.store.transaction(async (tx) => {
    if (!(await tx.alarms.updateAlarm(a.id, a.version, { state: 'cleared', cleared_at: at, updated_at: now }))) return undefined;
    await tx.alarms.appendAlarmHistory({ alarmId: a.id, action: 'cleared', actorId: SYSTEM.id, actorName: SYSTEM.name, at: now, details: { at, values } });
    await noteOnCase(tx, a, 'alarm_cleared', SYSTEM, now, { clearedAt: at, values });
    await tx.outbox.append(configEvent('alarm.cleared', { alarmId: a.id, deviceId, actorId: SYSTEM.id }, now, { regionIds: regionsOf(a) }));
    return { ...a, state: 'cleared', cleared_at: at, updated_at: now, version: a.version + 1 };
  });
  if (cleared) ctx.events.notify();
  return cleared;
}

/**
 * Alarms left in `submitting` — by a stop between the alarm and its case, or a filing that failed — filed again (the
 * intake key answers with the first case, so a filing that did land is not repeated). At start-up every one; from the
 * sensing jobs (`storedBefore`) only those stored a while ago and not waiting in this process's filing queue. One
 * alarm that cannot be filed is logged and left for the next run; it never stops the others (or the start-up).
 */
export async function resumeSubmissions(ctx: AppContext, opts: { storedBefore?: number } = {}): Promise<number> {
  let n = 0;
  const queued = filing.get(ctx)?.pending;
  for (const a of await ctx.store.alarms.submittingAlarms(500, opts.storedBefore)) {
    if (queued?.has(a.id)) continue;
    try {
      const d = await ctx.store.devices.findDevice(a.device_id);
      await fileAlarm(ctx, a, d?.name ?? a.device_id, sensingActor(ctx));
      n++;
    } catch (err) {
      ctx.log.error(err, `sensing: filing alarm ${a.id} failed again (it stays submitting; the sensing jobs retry it)`);
    }
  }
  return n;
}

/** How long a stored alarm may wait for its case before the sensing jobs file it again. */
export const FILING_RETRY_AFTER_MS = 60_000;

/** The sensing jobs' retry: alarms still `submitting` a minute after they were stored. */
export const retryAlarmFilings = (ctx: AppContext): Promise<number> => resumeSubmissions(ctx, { storedBefore: ctx.clock.now() - FILING_RETRY_AFTER_MS });
