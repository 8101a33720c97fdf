/**
 * `/`: sends each user to their natural start page (START_PAGES in routes.tsx) — unless that page is drawn without
 * the shell (the big screen: a centre leader's start page). Redirecting there made `/` a loop: the big screen's back
 * link led to `/`, `/` led back to the big screen, and sign-out and the language switch (in the shell's top bar)
 * were out of reach. For such users `/` is the menu instead: the shell with their pages; signing in still lands
 * on the start page itself (LoginPage).
 */
import { useEffect } from 'react';
import { useAuth } from './auth.tsx';
import { Link, navigate } from './router.tsx';
import { allowed, findRoute, startPageFor } from './access.ts';
import { ROUTES } from './routes.tsx';
import { useI18n } from './i18n.ts';
import { Loading } from '../components/States.tsx';

/** Whether `/` must show the menu rather than redirect (the start page has no shell to come back through). */
export function homeIsMenu(start: string): boolean {
  return findRoute(start)?.route.layout === 'bare';
}

export function HomePage() {
  const auth = useAuth();
  const target = auth.user ? startPageFor(auth.user.roles, auth.can) : '/login';
  const menu = !!auth.user && homeIsMenu(target);
  useEffect(() => { if (!menu) navigate(target, { replace: true }); }, [target, menu]);
  return menu ? <HomeMenu start={target} /> : <Loading />;
}

function HomeMenu({ start }: { start: string }) {
  const { t } = useI18n();
  const { can, user, hasRole } = useAuth();
  const pages = ROUTES.filter((r) => r.nav && allowed(r, can, !!user) && (!r.navRoles || hasRole(r.navRoles)));
  const ordered = [...pages.filter((r) => r.path === start), ...pages.filter((r) => r.path !== start)];
  return (
    <section className="home-menu" aria-labelledby="home-menu-title">
      <h1 id="home-menu-title">{t({ zh: '工作台', en: 'Start' })}</h1>
      <ul className="home-menu-list" data-testid="home-menu">
        {ordered.map((r) => (
          <li key={r.path}>
            <Link to={r.path} className={`home-menu-item${r.path === start ? ' home-menu-start' : ''}`}>{t(r.title)}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
