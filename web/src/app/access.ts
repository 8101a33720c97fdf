/** Who may open which route, and each role's start page (the data is in routes.tsx). */
import type { Permission } from './auth.tsx';
import { ROUTES, START_PAGES, type RouteDef } from './routes.tsx';
import { matchPath } from './router.tsx';

export function allowed(route: RouteDef, can: (p: Permission | readonly Permission[]) => boolean, signedIn: boolean): boolean {
  if (route.public) return true;
  if (!signedIn) return false;
  return route.permission === undefined || can(route.permission);
}

export function findRoute(path: string): { route: RouteDef; params: Record<string, string> } | undefined {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const route of ROUTES) {
    const params = matchPath(route.path, clean);
    if (params) return { route, params };
  }
  return undefined;
}

/** `roles`: the role names of the signed-in user as the API returns them (GET /api/v1/auth/me). */
export function startPageFor(roles: readonly string[], can: (p: Permission | readonly Permission[]) => boolean): string {
  for (const [role, path] of START_PAGES) {
    if (!roles.includes(role)) continue;
    const r = findRoute(path);
    if (r && allowed(r.route, can, true)) return path;
  }
  // Anything the user may open, else the portal.
  return ROUTES.find((r) => r.nav && allowed(r, can, true))?.path ?? '/portal';
}
