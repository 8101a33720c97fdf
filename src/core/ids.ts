import crypto from 'node:crypto';

/** Random URL-safe token (sessions, API keys, attachment ids). */
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');
export const sha256 = (s: string | Buffer): string => crypto.createHash('sha256').update(s).digest('hex');
export const newId = (prefix: string): string => `${prefix}_${crypto.randomBytes(9).toString('base64url')}`;

/** Local calendar date (YYYYMMDD) at a UTC offset — case numbers use the city's date. */
export function localYmd(ms: number, utcOffsetMinutes: number): string {
  const d = new Date(ms + utcOffsetMinutes * 60_000);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}
