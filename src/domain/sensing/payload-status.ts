/**
 * Status payloads (`cityops/{deviceId}/status`, HTTP, NGSI-LD `deviceState`): a device says it is online, offline
 * (its last will), in fault, or in maintenance. Plain text (`online`) or JSON `{ "state": "fault", "detail": "…", "at": … }`.
 */
import { DEVICE_STATES, type DeviceState, type DeviceStatusChange } from './types.ts';
import { timeOf, type Rejection, type TelemetryLimits, TELEMETRY_LIMITS } from './payload-telemetry.ts';

const STATES = new Set<string>(DEVICE_STATES.map((s) => s.state));
/** Words devices and gateways use for the same states. */
const ALIASES: Record<string, DeviceState> = { ok: 'online', up: 'online', connected: 'online', down: 'offline', disconnected: 'offline', error: 'fault', alarm: 'fault', fault: 'fault' };

export const stateWord = (s: string): DeviceState | undefined => {
  const w = s.trim().toLowerCase();
  return STATES.has(w) ? (w as DeviceState) : ALIASES[w];
};

export function parseStatus(raw: Buffer | string | unknown, deviceId: string, now: number, limits: TelemetryLimits = TELEMETRY_LIMITS): DeviceStatusChange | Rejection {
  let data: unknown = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    const text = raw.toString().trim();
    if (text.startsWith('{') || text.startsWith('"')) {
      try { data = JSON.parse(text); } catch { return { reason: 'malformed', field: 'payload', message: 'payload: not valid JSON' }; }
    } else data = text;
  }
  if (typeof data === 'string') data = { state: data };
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { reason: 'malformed', field: 'payload', message: 'payload: must be a state word or a JSON object' };
  const o = data as Record<string, unknown>;
  const state = typeof o.state === 'string' ? stateWord(o.state) : undefined;
  if (!state) return { reason: 'malformed', field: 'state', message: `state: must be one of ${[...STATES].join(', ')}` };
  const t = timeOf(o.at ?? o.ts);
  const at = t === undefined ? now : Math.round(t);
  if (Number.isNaN(at)) return { reason: 'malformed', field: 'at', message: 'at: must be a time (epoch ms or ISO 8601)' };
  if (at > now + limits.maxFutureMs) return { reason: 'future', field: 'at', message: `at: ${new Date(at).toISOString()} is in the future` };
  const detail = typeof o.detail === 'string' ? o.detail.slice(0, 200) : undefined;
  return { deviceId, at, state, ...(detail ? { detail } : {}) };
}

export const isRejection = (x: object): x is Rejection => 'reason' in x;
