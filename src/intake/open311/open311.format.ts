/**
 * The Open311 edge's own conventions: format suffixes, W3C datetimes with the city's offset, and errors as the
 * spec's list (`[{code, description}]` / `<errors><error>…`) with the HTTP status the spec names:
 * 404 unknown resource, 403 missing or bad api_key, 400 anything else (docs/open311.md §1.1, §1.9).
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import { DomainError, type ErrorCode } from '../../domain/errors.ts';
import { toJsonDocument, toXmlDocument, type XmlValue } from './open311.xml.ts';
import { malformedBodyMessage } from '../../http/middleware/error-mapper.ts';

export type Format = 'json' | 'xml';

export const CONTENT_TYPES: Readonly<Record<Format, string>> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

export const parseFormat = (s: string | undefined): Format | null => (s === 'json' || s === 'xml' ? s : null);

/** The format an error should be written in, from the path's suffix; XML (the required format) otherwise. */
export function formatOfUrl(url: string): Format {
  const path = url.split('?')[0];
  return path.endsWith('.json') ? 'json' : 'xml';
}

/** An error in Open311 terms: the HTTP status (400, 403 or 404) and a description meant for the user. */
export class Open311Error extends Error {
  constructor(readonly status: 400 | 403 | 404, description: string) {
    super(description);
    this.name = 'Open311Error';
  }
}

export const badRequest = (d: string): Open311Error => new Open311Error(400, d);
export const notFound311 = (d: string): Open311Error => new Open311Error(404, d);
export const forbidden311 = (d: string): Open311Error => new Open311Error(403, d);

/** Our internal field names → the Open311 argument the client sent, so messages name what the client knows. */
const FIELD_NAMES: [RegExp, string][] = [
  [/^reporter\.phone\b/, 'phone'], [/^reporter\.name\b/, 'last_name/first_name'], [/^location\.lon\b/, 'long'],
  [/^location\.lat\b/, 'lat'], [/^location\b/, 'lat/long'], [/^matterCode\b/, 'service_code'],
];
const renameField = (msg: string): string => FIELD_NAMES.reduce((m, [re, name]) => m.replace(re, name), msg);

/** DomainError codes → Open311 statuses (exhaustive, like the core mapper; house rule 7). */
export function statusFor311(code: ErrorCode): 400 | 403 | 404 {
  switch (code) {
    case 'NOT_FOUND':
      return 404;
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'SEPARATION_OF_DUTIES':
      return 403;
    case 'VALIDATION_FAILED':
    case 'INVALID_GEOMETRY':
    case 'OUT_OF_GRID':
    case 'UNROUTABLE':
    case 'CONFLICT':
    case 'INVALID_TRANSITION':
    case 'LIMIT_EXCEEDED':
    case 'PAYLOAD_TOO_LARGE':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'RATE_LIMITED':
    case 'EXPORT_NEEDS_APPROVAL':
      // The spec knows only 400/403/404: "400 anything else" (§1.1).
      return 400;
    default: {
      const never: never = code;
      return never;
    }
  }
}

/** Any thrown error → (status, description). Unexpected errors are 400 "general failure" as the spec says. */
export function toOpen311Error(err: unknown): { status: 400 | 403 | 404; description: string; unexpected: boolean } {
  if (err instanceof Open311Error) return { status: err.status, description: err.message, unexpected: false };
  if (err instanceof DomainError) {
    if (err.code === 'OUT_OF_GRID') {
      return { status: 400, description: '位置不在本市网格范围内 / location outside the city\'s grid', unexpected: false };
    }
    if (err.code === 'UNROUTABLE') {
      return { status: 400, description: `无法确定责任单位 / no responsible unit for this service at this location: ${err.message}`, unexpected: false };
    }
    if (err.code === 'CONFLICT' && err.field === 'Idempotency-Key') {
      return { status: 400, description: `Idempotency-Key was already used with different content: ${err.message}`, unexpected: false };
    }
    return { status: statusFor311(err.code), description: renameField(err.message), unexpected: false };
  }
  const malformed = malformedBodyMessage(err);
  if (malformed) return { status: 400, description: malformed, unexpected: false };
  const fe = err as { statusCode?: number; message?: string; code?: string };
  if (fe?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 400, description: 'The body must be application/x-www-form-urlencoded (or multipart/form-data with a media file)', unexpected: false };
  }
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors: malformed body, unsupported content type, body too large, bad query.
    const status = fe.statusCode === 404 ? 404 : fe.statusCode === 403 ? 403 : 400;
    return { status, description: fe.message ?? 'Bad request', unexpected: false };
  }
  return { status: 400, description: '服务器内部错误，已记录 / General service error; it has been logged.', unexpected: true };
}

export const renderDocument = (format: Format, root: string, value: XmlValue): string =>
  (format === 'xml' ? toXmlDocument(root, value) : toJsonDocument(value));

export function sendRendered(reply: FastifyReply, format: Format, body: string | Buffer, status = 200): FastifyReply {
  return reply.status(status).header('content-type', CONTENT_TYPES[format]).send(body);
}

/**
 * A document made of encoded parts (a list of cached fragments), written as they are: one corked write (a single
 * writev), with no copy of the whole into a new buffer — a 1,000-request list is ~0.5 MB, and copying it for every
 * response cost ~0.5 ms and as many megabytes of garbage a second as requests. The reply's headers (security
 * headers and the like, set by hooks) go with it.
 */
export function sendParts(reply: FastifyReply, format: Format, parts: readonly Buffer[], status = 200): FastifyReply {
  let length = 0;
  for (const p of parts) length += p.length;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(status, { ...reply.getHeaders(), 'content-type': CONTENT_TYPES[format], 'content-length': length } as OutgoingHttpHeaders);
  res.cork();
  for (const p of parts) res.write(p);
  res.end();
  return reply;
}

export function sendDocument(reply: FastifyReply, format: Format, root: string, value: XmlValue, status = 200): FastifyReply {
  return sendRendered(reply, format, renderDocument(format, root, value), status);
}

export function sendErrors(reply: FastifyReply, format: Format, status: number, descriptions: string[]): FastifyReply {
  return sendDocument(reply, format, 'errors', descriptions.map((description) => ({ code: status, description })), status);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO 8601 / W3C datetime in the city's local time with its offset, e.g. `2026-11-25T10:00:00+08:00`. */
export function formatDatetime(ms: number, utcOffsetMinutes: number): string {
  const off = Math.abs(utcOffsetMinutes);
  const suffix = `${utcOffsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
  return new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 19) + suffix;
}

const W3C_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses a W3C datetime (the ISO 8601 profile the spec names). A time must carry its zone (`Z` or ±hh:mm); a bare
 * date `YYYY-MM-DD` is read as local midnight in the city. Returns epoch ms, or null when malformed.
 */
export function parseW3cDatetime(s: string, utcOffsetMinutes: number): number | null {
  const m = W3C_DATETIME.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  let offset = utcOffsetMinutes;
  if (zone === 'Z') offset = 0;
  else if (zone) offset = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec)];
  if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31 || parts[3] > 23 || parts[4] > 59 || parts[5] > 60) return null;
  const ms = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], Number(frac.slice(0, 3).padEnd(3, '0')));
  // Date.UTC rolls 31 February over to March: refuse dates that do not exist.
  if (new Date(ms).getUTCDate() !== parts[2]) return null;
  return ms - offset * 60_000;
}
