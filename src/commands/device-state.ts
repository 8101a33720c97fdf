/**
 * A device's own state changes (issue 11): online when readings come back, offline when its heartbeat is lost (job),
 * fault / maintenance / offline from its `status` topic (a last will, a self-test), or an operator's mark. One
 * transaction per call: the conditional state update (two nodes never both change one device), the device's history
 * rows, and one outbox event per device changed (`device.state_changed`, audience = the device's place and owner unit
 * as the visibility policy reads them). Listeners (the rules) hear `statusChanged` after the commit.
 */
import type { AppContext } from '../runtime/context.ts';
import type { DeviceState, DeviceStatusChange } from '../domain/sensing/types.ts';
import { DEVICE_STATES } from '../domain/sensing/types.ts';
import { sensingHooks } from '../runtime/sensing-hooks.ts';

export type StateSource = 'reading' | 'status' | 'heartbeat' | 'operator';

export interface StateChangeRequest { deviceId: string; to: DeviceState; at: number; detail?: string }

const ALL: readonly DeviceState[] = DEVICE_STATES.map((s) => s.state);

/**
 * Applies the changes; `from` limits which states may be left (readings bring back only offline devices; heartbeat
 * loss only takes online ones). Answers the changes that happened (and were handed to the listeners).
 */
export async function changeDeviceStates(
  ctx: AppContext, reqs: readonly StateChangeRequest[], source: StateSource, actorId: string, from?: readonly DeviceState[],
): Promise<DeviceStatusChange[]> {
  if (!reqs.length) return [];
  const now = ctx.clock.now();
  const done: DeviceStatusChange[] = [];
  // Group by target state: one conditional update per group.
  const byTo = new Map<DeviceState, StateChangeRequest[]>();
  for (const r of reqs) { const g = byTo.get(r.to) ?? []; g.push(r); byTo.set(r.to, g); }
  await ctx.store.transaction(async (tx) => {
    for (const [to, group] of byTo) {
      const leave = (from ?? ALL).filter((s) => s !== to);
      if (!leave.length) continue;
      const changed = await tx.devices.changeStates(group.map((g) => g.deviceId), leave, to, now);
      if (!changed.length) continue;
      const req = new Map(group.map((g) => [g.deviceId, g]));
      await tx.devices.appendHistory(changed.map((d) => ({
        device_id: d.id, at: req.get(d.id)?.at ?? now, kind: 'state', state: to, detail: JSON.stringify({ source, detail: req.get(d.id)?.detail ?? null }), actor_id: actorId,
      })));
      await tx.outbox.appendMany(changed.map((d) => ({
        topic: 'device.state_changed', caseId: null, unitIds: d.ownerUnitId ? [d.ownerUnitId] : [],
        regionIds: [d.districtId, d.streetId, d.communityId].filter((x): x is string => !!x),
        payload: { actorId, deviceId: d.id, state: to, source, detail: req.get(d.id)?.detail ?? null }, at: now,
      })));
      for (const d of changed) {
        const r = req.get(d.id)!;
        done.push({ deviceId: d.id, at: r.at, state: to, ...(r.detail ? { detail: r.detail } : {}) });
      }
    }
  });
  await sensingHooks(ctx).statusChanged(done);
  return done;
}
