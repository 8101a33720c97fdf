/**
 * Device credentials (issue 11 part 1): a random secret per device, shown once (on creation and rotation), stored as
 * a salted SHA-256. The secret is 24 random bytes, so a fast hash is as safe as a slow one here (nobody can guess
 * 192 bits) and an MQTT CONNECT or an HTTP post costs a microsecond to check rather than argon2's tens of milliseconds
 * — which matters when 100,000 devices reconnect after a broker restart.
 */
import crypto from 'node:crypto';

export const newDeviceSecret = (): string => crypto.randomBytes(24).toString('base64url');

export function hashDeviceSecret(secret: string, salt = crypto.randomBytes(12).toString('base64url')): string {
  return `sha256$${salt}$${crypto.createHash('sha256').update(`${salt}:${secret}`).digest('base64url')}`;
}

export function verifyDeviceSecret(secret: string, stored: string | null | undefined): boolean {
  if (!stored || !secret) return false;
  const [alg, salt, digest] = stored.split('$');
  if (alg !== 'sha256' || !salt || !digest) return false;
  const want = Buffer.from(hashDeviceSecret(secret, salt));
  const have = Buffer.from(stored);
  return want.length === have.length && crypto.timingSafeEqual(want, have);
}
