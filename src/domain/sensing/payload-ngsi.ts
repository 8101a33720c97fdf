/**
 * NGSI-LD notifications from a FIWARE context broker (Orion-LD, Scorpio) with Smart Data Models entities (issue 11
 * part 2), so a city that already runs one connects without glue code. Pure mapping to readings and states:
 * - `DeviceMeasurement`: refDevice → the device; controlledProperty (or measurementType) → the measurement key;
 *   numValue (or value) → its value; dateObserved → the instant.
 * - `Device`: the entity id → the device; `value` as "key=value;key=value" (URL-encoded as the model says) or a number
 *   with one controlledProperty; `deviceState` → its state; dateLastValueReported → the instant.
 * - `Alert` and other types are ignored (counted as such).
 * Normalized (`{ "type": "Property", "value": … }`) and keyValues representations are both read.
 */
import { stateWord } from './payload-status.ts';
import { timeOf } from './payload-telemetry.ts';
import type { DeviceState } from './types.ts';

export interface NgsiItem { deviceId: string; at: number | undefined; values: Record<string, unknown>; state?: DeviceState; entity: string }
export interface NgsiMapped { items: NgsiItem[]; ignored: { entity: string; field: string; message: string }[] }

const val = (a: unknown): unknown => (a && typeof a === 'object' && !Array.isArray(a) && 'value' in a ? (a as { value: unknown }).value
  : a && typeof a === 'object' && 'object' in (a as object) ? (a as { object: unknown }).object : a);

/** `urn:ngsi-ld:Device:wl-1` → `wl-1` (the last segment of any URN). */
export const deviceIdOfUrn = (urn: unknown): string | null => (typeof urn === 'string' && urn ? urn.split(':').pop() || null : null);

export function mapNotification(body: unknown): NgsiMapped | { field: string; message: string } {
  if (!body || typeof body !== 'object') return { field: 'body', message: 'body: must be an NGSI-LD notification (JSON object)' };
  const data = (body as { data?: unknown }).data;
  const entities = Array.isArray(data) ? data : Array.isArray(body) ? body : null;
  if (!entities) return { field: 'data', message: 'data: must be the array of notified entities' };
  const out: NgsiMapped = { items: [], ignored: [] };
  entities.forEach((e: unknown, i: number) => {
    const f = `data[${i}]`;
    if (!e || typeof e !== 'object') { out.ignored.push({ entity: f, field: f, message: `${f}: must be an entity` }); return; }
    const o = e as Record<string, unknown>;
    const type = String(o.type ?? '').split('/').pop()?.split('#').pop() ?? '';
    const id = typeof o.id === 'string' ? o.id : f;
    if (type === 'DeviceMeasurement') {
      const deviceId = deviceIdOfUrn(val(o.refDevice));
      const key = val(o.controlledProperty) ?? val(o.measurementType);
      const v = val(o.numValue) ?? val(o.value);
      if (!deviceId) { out.ignored.push({ entity: id, field: `${f}.refDevice`, message: `${f}.refDevice: names no device` }); return; }
      if (typeof key !== 'string' || !key) { out.ignored.push({ entity: id, field: `${f}.controlledProperty`, message: `${f}.controlledProperty: names no measurement` }); return; }
      out.items.push({ deviceId, at: timeOf(val(o.dateObserved)), values: { [key]: typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v }, entity: id });
    } else if (type === 'Device') {
      const deviceId = deviceIdOfUrn(o.id);
      if (!deviceId) { out.ignored.push({ entity: id, field: `${f}.id`, message: `${f}.id: names no device` }); return; }
      const values: Record<string, unknown> = {};
      let raw = val(o.value);
      if (typeof raw === 'string') { try { raw = decodeURIComponent(raw); } catch { /* not encoded */ } }
      if (typeof raw === 'string' && raw.includes('=')) {
        for (const part of raw.split(';')) {
          const [k, v] = part.split('=');
          if (k && v !== undefined) values[k.trim()] = Number.isFinite(Number(v)) && v.trim() !== '' ? Number(v) : v;
        }
      } else if (raw !== undefined && raw !== null) {
        const cp = val(o.controlledProperty);
        const key = Array.isArray(cp) && cp.length === 1 ? cp[0] : typeof cp === 'string' ? cp : null;
        if (typeof key === 'string') values[key] = typeof raw === 'string' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
      }
      const st = val(o.deviceState);
      const state = typeof st === 'string' ? stateWord(st) : undefined;
      out.items.push({ deviceId, at: timeOf(val(o.dateLastValueReported) ?? val(o.dateObserved)), values, ...(state ? { state } : {}), entity: id });
    } else out.ignored.push({ entity: id, field: `${f}.type`, message: `${f}.type: ${type || '(none)'} is not read (Device, DeviceMeasurement)` });
  });
  return out;
}
