/**
 * The console's API access for pages: the typed client (../api/client.ts, typed by the schema generated from
 * openapi/openapi.json) and the React hook that loads with it.
 *
 *   const { data, error, loading, reload } = useQuery((signal) => api.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal }), [id]);
 *
 * `data` is typed by the path (ResponseOf<'/api/v1/cases/{id}', 'get'>); failures are ApiErrors.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isApiError } from '../api/client.ts';

export { api, client, ApiError, isApiError, newIdempotencyKey, setCsrfToken, setUnauthenticatedHandler, type CallOptions, type UploadPath } from '../api/client.ts';
export type { BodyOf, ItemOf, QueryOf, ResponseOf, Schema } from '../api/types.ts';

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Fetch again (keeps the old data on screen while loading). */
  reload: () => void;
}

/**
 * Load something when the component mounts or `deps` change; aborts stale requests.
 * `const { data, error, loading, reload } = useQuery((signal) => api.GET('/api/v1/x', { signal }), [id])`
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
