/**
 * Heartbeat loss (issue 11): an online device silent for longer than its type's heartbeat × `offlineFactor` (2) goes
 * offline — a conditional update, so two nodes never both report it — and `statusChanged` tells the rules (a silent
 * device raises its own alarm there). Readings bring it back online (the ingester). This node's last-seen instants
 * are flushed first so a device that just spoke here is not taken for silent.
 */
import type { AppContext } from '../runtime/context.ts';
import { changeDeviceStates } from '../commands/device-state.ts';
import { retryAlarmFilings } from '../commands/alarm-raise.ts';
import { sensingIngester } from '../runtime/sensing-ingest.ts';
import { sensingLimitsOf } from './reading-retention.job.ts';

export const HEARTBEAT_ACTOR = 'device-heartbeat';

export async function runDeviceHeartbeat(ctx: AppContext): Promise<number> {
  const ingest = sensingIngester(ctx);
  await ingest.flushBookkeeping();
  const l = await sensingLimitsOf(ctx);
  const now = ctx.clock.now();
  let total = 0;
  for (;;) {
    const ids = await ctx.store.devices.silentDevices(now, l.offlineFactor, 5000);
    if (!ids.length) break;
    const done = await changeDeviceStates(ctx, ids.map((deviceId) => ({ deviceId, to: 'offline', at: now, detail: 'heartbeat lost' })), 'heartbeat', HEARTBEAT_ACTOR, ['online']);
    ingest.markedOffline(done.map((d) => d.deviceId));
    total += done.length;
    if (ids.length < 5000) break;
  }
  return total;
}

/** Rollups, heartbeat, the retry of failed alarm filings and retention on one timer (READING_JOB_INTERVAL_MS; 0 = off); never overlapping itself. */
export function scheduleSensingJobs(ctx: AppContext, everyMs: number, runRetention: () => Promise<number>, runRollup: () => Promise<number>): NodeJS.Timeout {
  let running = false;
  let lastRetention = 0;
  return setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await runRollup();
      const off = await runDeviceHeartbeat(ctx);
      if (off > 0) ctx.log.info({ off }, `devices: ${off} went offline (heartbeat lost)`);
      const filed = await retryAlarmFilings(ctx);
      if (filed > 0) ctx.log.info({ filed }, `alarms: ${filed} filed as cases on a retry (their first filing failed)`);
      if (ctx.clock.now() - lastRetention > 3_600_000) {
        lastRetention = ctx.clock.now();
        const n = await runRetention();
        if (n > 0) ctx.log.info({ removed: n }, `readings: ${n} past retention removed`);
      }
    } catch (err) {
      ctx.log.error(err, 'sensing jobs failed');
    } finally {
      running = false;
    }
  }, everyMs);
}
