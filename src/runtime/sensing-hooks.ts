/**
 * The seam between sensing's data plane and its control plane (issue 11; docs/issue-11/): ingestion (MQTT, HTTP,
 * NGSI-LD) stores readings and device status changes, then hands them to whoever listens — the rules engine that
 * turns them into alarms and cases, the vital signs, the live map. Ingestion does not know the rules; the rules do not
 * know MQTT. Listeners are registered once per running context (at start-up) and called in registration order.
 *
 * A listener runs AFTER the readings are stored (an acknowledged reading is never lost even if a listener fails); it
 * must not throw for one bad device (log it and go on). `readings` is how the control plane reads recorded readings
 * back (a rule tested against history before it is enabled), provided by the data plane.
 */
import type { DeviceStatusChange, Reading } from '../domain/sensing/types.ts';
import type { AppContext } from './context.ts';

export type ReadingsListener = (readings: readonly Reading[]) => Promise<void> | void;
export type StatusListener = (changes: readonly DeviceStatusChange[]) => Promise<void> | void;
/**
 * What a cache of devices, types or rules must hear (a device edited or rotated, types or rules saved, devices taken
 * offline by the heartbeat job): the MQTT ingest worker (intake/mqtt/ingest-worker.ts) relays it to its own caches.
 */
export type SensingChange =
  | { kind: 'device'; id: string }
  | { kind: 'types' }
  | { kind: 'rules' }
  | { kind: 'offline'; ids: readonly string[] };

export interface RecordedReadings {
  /** Stored readings of one device in [from, to), oldest first, at most `limit`. */
  range(deviceId: string, from: number, to: number, limit: number): Promise<Reading[]>;
}

export interface SensingHooks {
  onReadings(listener: ReadingsListener): void;
  onStatus(listener: StatusListener): void;
  /** Called by ingestion once a batch is stored. Errors of a listener are logged, not thrown. */
  readingsStored(readings: readonly Reading[]): Promise<void>;
  statusChanged(changes: readonly DeviceStatusChange[]): Promise<void>;
  /** Listens to cache changes; answers the function that stops listening. */
  onChanged(listener: (c: SensingChange) => void): () => void;
  changed(c: SensingChange): void;
  /** Set by the data plane at start-up; undefined until then. */
  recorded?: RecordedReadings;
}

const registry = new WeakMap<AppContext, SensingHooks>();

/** The context's hooks (made on first use). */
export function sensingHooks(ctx: AppContext): SensingHooks {
  let h = registry.get(ctx);
  if (!h) {
    const readingListeners: ReadingsListener[] = [];
    const statusListeners: StatusListener[] = [];
    const changeListeners = new Set<(c: SensingChange) => void>();
    const call = async <T>(listeners: ((x: T) => Promise<void> | void)[], x: T, what: string) => {
      for (const l of listeners) {
        try { await l(x); } catch (err) { ctx.log.error({ err }, `sensing: a ${what} listener failed`); }
      }
    };
    h = {
      onReadings: (l) => { readingListeners.push(l); },
      onStatus: (l) => { statusListeners.push(l); },
      readingsStored: (r) => (readingListeners.length && r.length ? call(readingListeners, r, 'readings') : Promise.resolve()),
      statusChanged: (c) => (statusListeners.length && c.length ? call(statusListeners, c, 'status') : Promise.resolve()),
      onChanged: (l) => { changeListeners.add(l); return () => { changeListeners.delete(l); }; },
      changed: (c) => { for (const l of changeListeners) l(c); },
    };
    registry.set(ctx, h);
  }
  return h;
}
