/**
 * The city's time zone. Configured as an IANA name (CITY_TIME_ZONE, default Asia/Shanghai); the platform computes
 * local days (case numbers, "today", calendars, work periods) with the zone's UTC offset. The work calendar's
 * arithmetic assumes the offset never changes, which holds for every zone in China (no daylight saving time since
 * 1991); a zone that changes its offset within the probe years is refused with a clear message rather than giving
 * wrong deadlines twice a year.
 */
import { invalidAs } from './errors.ts';

/** Instants probed for the offset: mid-January and mid-July of a few years around today's data. */
const PROBES = [2024, 2025, 2026, 2027, 2028].flatMap((y) => [Date.UTC(y, 0, 15, 12), Date.UTC(y, 6, 15, 12)]);

function offsetAt(zone: string, at: number): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/.exec(part);
  if (!m) throw invalidAs('CITY_TIME_ZONE', { key: 'time-zone.cannot_read_utc_offset', params: { zone: String(zone), part: String(part) } }, `cannot read the UTC offset of "${zone}" (${part})`);
  if (!m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** The fixed UTC offset (minutes) of an IANA time zone; throws naming CITY_TIME_ZONE when unknown or not fixed. */
export function fixedOffsetOf(zone: string): number {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw invalidAs('CITY_TIME_ZONE', { key: 'time-zone.not_iana_time_zone_name', params: { zone: String(zone) } }, `"${zone}" is not an IANA time zone name (e.g. Asia/Shanghai)`);
  }
  const offsets = new Set(PROBES.map((t) => offsetAt(zone, t)));
  if (offsets.size !== 1) {
    throw invalidAs('CITY_TIME_ZONE', { key: 'time-zone.observes_daylight_saving_time_work', params: { zone: String(zone) } }, `"${zone}" observes daylight saving time; the work calendar supports zones with one fixed UTC offset (every zone in China has one)`);
  }
  return [...offsets][0];
}

/** Local calendar date (YYYYMMDD) at a UTC offset — case numbers use the city's date. */
export function localYmd(ms: number, utcOffsetMinutes: number): string {
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}
