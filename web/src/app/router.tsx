/**
 * A tiny History-API router (no react-router dependency). Paths like `/cases/:id` are matched by the table in
 * routes.tsx; pages read their params with useParams() and move with navigate() or <Link>.
 */
import { createContext, useContext, useEffect, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/** Go to a path inside the console (pushes history; `replace` rewrites the current entry). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) { window.location.assign(to); return; }
  const next = url.pathname + url.search + url.hash;
  if (next === window.location.pathname + window.location.search + window.location.hash) return;
  if (opts.replace) window.history.replaceState(null, '', next);
  else window.history.pushState(null, '', next);
  window.scrollTo(0, 0);
  notify();
}

export interface Location { path: string; search: string; query: URLSearchParams }

function readLocation(): Location {
  return { path: window.location.pathname, search: window.location.search, query: new URLSearchParams(window.location.search) };
}

/** The current location; re-renders on navigation. */
export function useLocation(): Location {
  const [loc, setLoc] = useState(readLocation);
  useEffect(() => {
    const l = () => setLoc(readLocation());
    listeners.add(l);
    return () => { listeners.delete(l); };
  }, []);
  return loc;
}

/** Matches `/cases/:id` against `/cases/42` → { id: '42' }; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      try { params[p[i].slice(1)] = decodeURIComponent(s[i]); } catch { return null; }
    } else if (p[i] !== s[i]) return null;
  }
  return params;
}

const ParamsContext = createContext<Record<string, string>>({});
export const ParamsProvider = ({ params, children }: { params: Record<string, string>; children: ReactNode }) =>
  <ParamsContext.Provider value={params}>{children}</ParamsContext.Provider>;

/** The `:name` parts of the current route, e.g. `const { id } = useParams()` on /cases/:id. */
export const useParams = (): Record<string, string> => useContext(ParamsContext);

/** A link that navigates without reloading (ctrl/cmd-click and middle-click still open a new tab). */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || rest.target) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
