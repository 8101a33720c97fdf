/**
 * One place where errors become HTTP: DomainError codes → status (exhaustive switch), request validation →
 * 400 naming the field, anything unexpected → 500 with no internals leaked (and logged).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode } from '../../domain/errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: Record<string, unknown>; key?: string; params?: Record<string, string | number> };
}

export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'INVALID_GEOMETRY':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
    case 'SEPARATION_OF_DUTIES':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'INVALID_TRANSITION':
    case 'CONFLICT':
    case 'LIMIT_EXCEEDED':
    case 'EXPORT_NEEDS_APPROVAL':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'OUT_OF_GRID':
    case 'UNROUTABLE':
      return 422;
    case 'RATE_LIMITED':
      return 429;
    default: {
      const never: never = code;
      return never;
    }
  }
}

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
}

/**
 * Turns the first schema violation into a field path like `location.lon`, a readable message, and the message as a
 * catalogue key with parameters (field.required, field.unknown, field.one_of, field.too_long, field.too_short,
 * field.invalid) for the console to render in the user's language.
 */
export function describeValidation(errs: AjvLikeError[], context: string): { field: string; message: string; key: string; params: Record<string, string | number> } {
  const e = errs[0] ?? {};
  let field = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  let message = e.message ?? 'is invalid';
  let key = 'field.invalid';
  const params: Record<string, string | number> = {};
  const limit = (e.params as { limit?: unknown } | undefined)?.limit;
  if (e.keyword === 'required' && e.params?.missingProperty) {
    field = field ? `${field}.${e.params.missingProperty}` : e.params.missingProperty;
    message = 'is required';
    key = 'field.required';
  } else if (e.keyword === 'additionalProperties' && e.params?.additionalProperty) {
    field = field ? `${field}.${e.params.additionalProperty}` : e.params.additionalProperty;
    message = 'is not a known field';
    key = 'field.unknown';
  } else if (e.keyword === 'enum' && e.params?.allowedValues) {
    message = `must be one of ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    key = 'field.one_of';
    params.allowed = e.params.allowedValues.map((v) => String(v)).join(', ');
  } else if ((e.keyword === 'maxLength' || e.keyword === 'maxItems') && typeof limit === 'number') {
    key = 'field.too_long';
    params.limit = limit;
  } else if ((e.keyword === 'minLength' || e.keyword === 'minItems') && typeof limit === 'number') {
    key = limit <= 1 ? 'field.required' : 'field.too_short';
    params.limit = limit;
  } else if ((e.keyword === 'minimum' || e.keyword === 'maximum' || e.keyword === 'exclusiveMinimum' || e.keyword === 'exclusiveMaximum') && typeof limit === 'number') {
    key = e.keyword === 'minimum' || e.keyword === 'exclusiveMinimum' ? 'field.min' : 'field.max';
    params.limit = limit;
  }
  if (!field) field = context;
  return { field, message: `${field}: ${message}`, key, params: { field, ...params } };
}

/**
 * A malformed request body that the parser reports as a plain Error with no status: busboy's multipart complaints
 * (no boundary, wrong boundary, truncated, bad part headers). The client's fault, so a 400 naming the body —
 * shared by the API's and Open311's error handlers. Null for anything else.
 */
export function malformedBodyMessage(err: unknown): string | null {
  if (!(err instanceof Error) || (err as { statusCode?: number }).statusCode !== undefined) return null;
  const m = err.message;
  if (/^Multipart: /.test(m) || /multipart data|unexpected end of (form|file)|malformed part header|part terminated early/i.test(m)) {
    return `body: malformed multipart/form-data (${m.replace(/^Multipart: /, '').slice(0, 80)})`;
  }
  return null;
}

function clientErrorCode(status: number, fastifyCode: string | undefined): ErrorCode {
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  return 'VALIDATION_FAILED';
}

export function errorHandler(err: FastifyError | DomainError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof DomainError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.field) body.error.field = err.field;
    if (err.details) body.error.details = err.details;
    if (err.key) body.error.key = err.key;
    if (err.params) body.error.params = err.params;
    // A limit says when to come back in the standard header too (RFC 9110 §10.2.3), not only in the body.
    const retry = err.details?.retryAfterSeconds;
    if (typeof retry === 'number') reply.header('retry-after', String(retry));
    return reply.status(statusFor(err.code)).send(body);
  }
  const fe = err as FastifyError & { validation?: AjvLikeError[]; validationContext?: string };
  if (fe.validation) {
    const { field, message, key, params } = describeValidation(fe.validation, fe.validationContext ?? 'body');
    return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message, field, key, params } });
  }
  const malformed = malformedBodyMessage(err);
  if (malformed) return reply.status(400).send({ error: { code: 'VALIDATION_FAILED', message: malformed, field: 'body' } });
  const status = fe.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors: malformed JSON, wrong content type, body too large, …
    const code = clientErrorCode(status, fe.code);
    const field = fe.code === 'FST_REQ_FILE_TOO_LARGE' ? 'file' : fe.code?.startsWith('FST_ERR_CTP') ? 'body' : undefined;
    return reply.status(status).send({ error: { code, message: fe.message, ...(field ? { field } : {}) } });
  }
  req.log.error({ err }, 'unhandled error');
  return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Internal error; it has been logged.' } });
}
