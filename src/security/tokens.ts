/** Random secrets and digests: session tokens, API keys, attachment and record ids. */
import crypto from 'node:crypto';

/** Random URL-safe token (sessions, API keys, attachment ids). */
export const randomToken = (bytes = 32): string => crypto.randomBytes(bytes).toString('base64url');
export const sha256 = (s: string | Buffer): string => crypto.createHash('sha256').update(s).digest('hex');
export const newId = (prefix: string): string => `${prefix}_${crypto.randomBytes(9).toString('base64url')}`;
