/**
 * The citizen portal's tracking codes: random, or derived from the installation's secret and the report's
 * Idempotency-Key (so a retried report answers the same code); only a code's hash is ever stored (public_reports,
 * public-report.repository.ts).
 */
import crypto from 'node:crypto';

// Crockford-like alphabet without 0/O/1/I/L: read aloud or typed from a phone without confusion.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 10;

function encode(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

/** A fresh tracking code, or — for a report sent with an Idempotency-Key — the one derived from the key. */
export function trackingCode(secret: string, idempotencyKey: string | undefined): string {
  const bytes = idempotencyKey
    ? crypto.createHmac('sha256', secret).update(`portal-code:${idempotencyKey}`).digest()
    : crypto.randomBytes(32);
  return encode(bytes);
}

/** Codes are compared case-insensitively, without spaces or dashes (shown as ABCDE-FGHJK). */
export const normaliseCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');
export const hashCode = (code: string): string => crypto.createHash('sha256').update(`portal:${normaliseCode(code)}`).digest('hex');
export const formatCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/** Constant-time comparison of a presented code against the stored hash. */
export function codeMatches(code: string, storedHash: string): boolean {
  const a = Buffer.from(hashCode(code), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
