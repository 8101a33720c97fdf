/**
 * The session: who is signed in and what they may do, from GET /api/v1/auth/me (roles, unitIds, regionIds and
 * the permissions the API grants). The UI offers only what `can(permission)` allows — the same check the API
 * makes, so nothing is offered that would be refused.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, isApiError, setCsrfToken, setUnauthenticatedHandler, type ApiError, type ResponseOf } from './api.ts';
import type { Permission, Role } from '../../../src/domain/policy/permissions.ts';

export type { Permission, Role };

/** What /api/v1/auth/me (and /api/v1/auth/login) return: roles and permissions are names (Role, Permission). */
export type Me = ResponseOf<'/api/v1/auth/me', 'get'>;

interface AuthValue {
  /** undefined while the first /auth/me is in flight; null when nobody is signed in. */
  user: Me | null | undefined;
  /** Set when /auth/me failed for a reason other than "not signed in" (e.g. server down). */
  error: ApiError | undefined;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  /** True when the signed-in user holds the permission (any of them, for a list). */
  can: (permission: Permission | readonly Permission[]) => boolean;
  hasRole: (role: Role | readonly Role[]) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>();

  const adopt = useCallback((me: Me | null) => { setCsrfToken(me?.csrfToken); setUser(me); setError(undefined); }, []);

  const refresh = useCallback(async () => {
    try {
      adopt(await api.GET('/api/v1/auth/me'));
    } catch (e) {
      if (isApiError(e) && e.status === 401) adopt(null);
      else { setError(isApiError(e) ? e : undefined); setUser((u) => (u === undefined ? null : u)); }
    }
  }, [adopt]);

  useEffect(() => {
    void refresh();
    setUnauthenticatedHandler(() => adopt(null));
    return () => setUnauthenticatedHandler(undefined);
  }, [refresh, adopt]);

  const login = useCallback(async (username: string, password: string) => {
    const me = await api.POST('/api/v1/auth/login', { body: { username, password } });
    adopt(me);
    return me;
  }, [adopt]);

  const logout = useCallback(async () => {
    try { await api.POST('/api/v1/auth/logout'); } finally { adopt(null); }
  }, [adopt]);

  const value = useMemo<AuthValue>(() => {
    const perms = new Set<string>(user?.permissions ?? []);
    const roles = new Set<string>(user?.roles ?? []);
    return {
      user, error, login, logout, refresh,
      can: (p) => (typeof p === 'string' ? perms.has(p) : p.some((x) => perms.has(x))),
      hasRole: (r) => (typeof r === 'string' ? roles.has(r) : r.some((x) => roles.has(x))),
    };
  }, [user, error, login, logout, refresh]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** `const { user, can, logout } = useAuth()` */
export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside <AuthProvider>');
  return v;
}
