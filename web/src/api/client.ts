/**
 * The console's HTTP client, typed by the generated schema (schema.d.ts ← openapi/openapi.json) through
 * openapi-fetch. JSON in and out, cookies same-origin, and the CSRF token the server requires on
 * cookie-authenticated writes (X-CSRF-Token, from /auth/login or /auth/me). Every failure — HTTP error, network
 * down, unreadable body — becomes an ApiError with the server's { code, message, field }, so pages can always
 * show something (see components/ErrorState).
 *
 *   const c = await api.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal });   // c: ResponseOf<…>
 *   await api.POST('/api/v1/cases/{id}/accept', { params: { path: { id } }, body: { version } });
 *   await api.upload('/api/v1/attachments', formData);                                     // multipart
 *
 * The path, its parameters, the body and the answer are all checked against the document; `client` is the raw
 * openapi-fetch client (same session handling) for anyone who wants { data, error, response } instead.
 */
import createClient, { type MaybeOptionalInit, type Middleware } from 'openapi-fetch';
import type { BodyOf, Method, PathsWith, ResponseOf, paths } from './types.ts';

/**
 * Renders an error in the user's language (registered by app/messages.ts): from the server's `key` and `params`,
 * else from its code and field; undefined keeps the server's own text.
 */
export type ErrorLocalizer = (e: ApiError) => string | undefined;
let localizer: ErrorLocalizer | undefined;
export function setErrorLocalizer(fn: ErrorLocalizer | undefined): void { localizer = fn; }

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The server's error code (e.g. VALIDATION, NOT_FOUND, INVALID_TRANSITION), or NETWORK / BAD_RESPONSE. */
  readonly code: string;
  /** The request field the error is about, when the server names one (forms highlight it). */
  readonly field?: string;
  /** The whole error object from the server (e.g. allowedActions on a 409). */
  readonly details: Record<string, unknown>;
  /** The server's message as it was sent (English); `message` is it in the user's language. */
  readonly serverMessage: string;
  /** The message as a catalogue key and its parameters, when the server gave them. */
  readonly key?: string;
  readonly params: Record<string, string | number>;
  constructor(status: number, code: string, message: string, field?: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
    this.serverMessage = message;
    this.key = typeof details.key === 'string' ? details.key : undefined;
    const p = details.params;
    this.params = p && typeof p === 'object' && !Array.isArray(p)
      ? Object.fromEntries(Object.entries(p).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as Record<string, string | number>
      : {};
    // Read at render time, so a page re-rendered after a language switch shows the error in the new language.
    Object.defineProperty(this, 'message', { configurable: true, enumerable: false, get: () => localizer?.(this) ?? this.serverMessage });
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

let csrfToken: string | undefined;
/** Set by the session (auth.tsx) after login or /auth/me. */
export function setCsrfToken(token: string | undefined): void { csrfToken = token; }

let onUnauthenticated: (() => void) | undefined;
/** auth.tsx registers this: a 401 on any call means the session ended, so the login page is shown. */
export function setUnauthenticatedHandler(fn: (() => void) | undefined): void { onUnauthenticated = fn; }

type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** Query strings as the console has always sent them: empty values left out, arrays as repeated keys. */
export function queryString(query: Record<string, unknown> | undefined): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, QueryValue>)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, String(x)));
    else qs.set(k, String(v));
  }
  return qs.toString();
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** CSRF header on writes; a 401 outside /auth/ ends the session in the UI. */
const session: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && !schemaPath.startsWith('/api/v1/auth/')) onUnauthenticated?.();
    return undefined;
  },
};

/** The raw openapi-fetch client: { data, error, response } per call, typed by `paths`. */
export const client = createClient<paths>({
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
  querySerializer: queryString,
});
client.use(session);

/** Options every call takes besides the typed `params` / `body`. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Sent as Idempotency-Key (case creation, reports: a retry returns the same result). */
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

/** The operation's `params` (path, query, header) and `body` as openapi-fetch types them, plus CallOptions. */
export type Init<P extends PathsWith<M>, M extends Method> = Pick<NonNullable<MaybeOptionalInit<paths[P], M>>, 'params' | 'body'> & CallOptions;
/** The init argument is optional exactly when openapi-fetch's is: nothing in it is required (no path parameter, no body). */
export type InitArg<P extends PathsWith<M>, M extends Method> =
  undefined extends MaybeOptionalInit<paths[P], M> ? [init?: Init<P, M>] : [init: Init<P, M>];

function errorFrom(status: number, statusText: string, body: unknown): ApiError {
  const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    return new ApiError(status, e.code, typeof e.message === 'string' ? e.message : statusText,
      typeof e.field === 'string' ? e.field : undefined, e);
  }
  return new ApiError(status, `HTTP_${status}`, statusText || `HTTP ${status}`);
}

const isAbort = (err: unknown) => (err as Error | undefined)?.name === 'AbortError';

/**
 * One call: resolves with the success body (typed by the document), rejects with an ApiError (or the
 * AbortError of a cancelled request).
 */
async function call(method: Uppercase<Method>, url: string, init: (CallOptions & { body?: unknown; params?: unknown }) | undefined): Promise<unknown> {
  const { idempotencyKey, headers, signal, body, params } = init ?? {};
  // Whether (and how) the server answered: a failure after that is an unreadable body, not a network failure.
  let answered: Response | undefined;
  const seen: Middleware = { onResponse({ response }) { answered = response; return undefined; } };
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    result = await client.request(method.toLowerCase() as Method, url as never, {
      params,
      // As before: a write without a body sends {} (a route with a body schema rejects an empty body).
      body: body === undefined && WITH_BODY.has(method) ? {} : body,
      headers: { ...headers, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      signal,
      middleware: [seen],
    } as never);
  } catch (err) {
    if (isAbort(err) || isApiError(err)) throw err;
    if (!answered) throw new ApiError(0, 'NETWORK', 'The server could not be reached');
    if (!answered.ok) throw errorFrom(answered.status, answered.statusText, undefined);
    throw new ApiError(answered.status, 'BAD_RESPONSE', 'The server sent an unreadable answer');
  }
  const { response } = result;
  if (!response.ok) throw errorFrom(response.status, response.statusText, result.error);
  return result.data;
}

function method<M extends Method>(m: M) {
  const upper = m.toUpperCase() as Uppercase<M>;
  return <P extends PathsWith<M>>(url: P, ...init: InitArg<P, M>): Promise<ResponseOf<P, M>> =>
    call(upper, url, init[0] as never) as Promise<ResponseOf<P, M>>;
}

/** POST paths that take a multipart body: those whose document describes no JSON body (the attachment and report uploads). */
export type UploadPath = { [P in PathsWith<'post'>]: [BodyOf<P, 'post'>] extends [never] ? P : never }[PathsWith<'post'>];

export const api = {
  GET: method('get'),
  POST: method('post'),
  PUT: method('put'),
  PATCH: method('patch'),
  DELETE: method('delete'),
  /**
   * POST a FormData (multipart: photos). The document does not describe multipart bodies, so the form's fields
   * are not type-checked; the path, its parameters and the answer are.
   */
  upload<P extends UploadPath>(url: P, form: FormData, ...init: InitArg<P, 'post'>): Promise<ResponseOf<P, 'post'>> {
    return call('POST', url, { ...(init[0] as object), body: form }) as Promise<ResponseOf<P, 'post'>>;
  },
};

/** A fresh key for Idempotency-Key (keep it in the form's state so a retry re-sends the same one). */
export const newIdempotencyKey = (): string =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
