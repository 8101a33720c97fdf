/**
 * The console's HTTP client. JSON in and out, cookies same-origin, and the CSRF token the server requires on
 * cookie-authenticated writes (X-CSRF-Token, from /auth/login or /auth/me). Every failure — HTTP error, network
 * down, unreadable body — becomes an ApiError with the server's { code, message, field }, so pages can always
 * show something (see components/ErrorState).
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The server's error code (e.g. VALIDATION, NOT_FOUND, INVALID_TRANSITION), or NETWORK / BAD_RESPONSE. */
  readonly code: string;
  /** The request field the error is about, when the server names one (forms highlight it). */
  readonly field?: string;
  /** The whole error object from the server (e.g. allowedActions on a 409). */
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, field?: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

type Query = Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>;

export interface RequestOptions {
  query?: Query;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sent as Idempotency-Key (case creation: a retry returns the same case). */
  idempotencyKey?: string;
}

let csrfToken: string | undefined;
/** Set by the session (auth.tsx) after login or /auth/me. */
export function setCsrfToken(token: string | undefined): void { csrfToken = token; }

let onUnauthenticated: (() => void) | undefined;
/** auth.tsx registers this: a 401 on any call means the session ended, so the login page is shown. */
export function setUnauthenticatedHandler(fn: (() => void) | undefined): void { onUnauthenticated = fn; }

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, String(x)));
    else qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown;
  try { body = await res.json(); } catch { /* not JSON */ }
  const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (e && typeof e.code === 'string') {
    return new ApiError(res.status, e.code, typeof e.message === 'string' ? e.message : res.statusText,
      typeof e.field === 'string' ? e.field : undefined, e);
  }
  return new ApiError(res.status, `HTTP_${res.status}`, res.statusText || `HTTP ${res.status}`);
}

/** One request. `body`: a plain object (sent as JSON), FormData (multipart, e.g. photos), or undefined. */
export async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['content-type'] = 'application/json'; payload = JSON.stringify(body); }
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'The server could not be reached');
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (res.status === 401 && !path.startsWith('/api/v1/auth/')) onUnauthenticated?.();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await res.text()) as T;
  try { return (await res.json()) as T; } catch { throw new ApiError(res.status, 'BAD_RESPONSE', 'The server sent an unreadable answer'); }
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body ?? {}, opts),
  put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, body ?? {}, opts),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body ?? {}, opts),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
};

/** A fresh key for Idempotency-Key (keep it in the form's state so a retry re-sends the same one). */
export const newIdempotencyKey = (): string =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Fetch again (keeps the old data on screen while loading). */
  reload: () => void;
}

/**
 * Load something when the component mounts or `deps` change; aborts stale requests.
 * `const { data, error, loading, reload } = useQuery((signal) => api.get<X>('/api/v1/x', { signal }), [id])`
 */
export function useQuery<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): QueryState<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ac = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    loadRef.current(ac.signal).then(
      (data) => { if (!ac.signal.aborted) setState({ data, loading: false }); },
      (err: unknown) => {
        if (ac.signal.aborted) return;
        const error = isApiError(err) ? err : new ApiError(0, 'CLIENT', err instanceof Error ? err.message : String(err));
        setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
