/**
 * The frame around signed-in pages: top bar (city name, navigation, live indicator, language, user menu).
 * On a phone the navigation folds into a menu button.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ROLES } from '../../../src/domain/policy/permissions.ts';
import { useAuth } from './auth.tsx';
import { LOCALES, useI18n, type Locale } from './i18n.ts';
import { useConsoleConfig } from './config.tsx';
import { Link, navigate, useLocation } from './router.tsx';
import { ROUTES } from './routes.tsx';
import { allowed } from './access.ts';
import { useLiveStatus } from './sse.ts';
import { NotificationBell } from '../features/notify/NotificationBell.tsx';
import { EmergencyBanner } from '../features/notify/EmergencyBanner.tsx';

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="lang-switch">
      <span className="sr-only">{t('lang.switch')}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={t('lang.switch')}>
        {LOCALES.map((l) => <option key={l.id} value={l.id}>{l.label}</option>)}
      </select>
    </label>
  );
}

function LiveBadge() {
  const status = useLiveStatus();
  const { t } = useI18n();
  if (status === 'off') return null;
  const open = status === 'open';
  return <span className={`live-badge${open ? ' live-on' : ''}`} role="status">{open ? t('live.connected') : t('live.reconnecting')}</span>;
}

function UserMenu() {
  const { user, logout } = useAuth();
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => { document.removeEventListener('mousedown', close); document.removeEventListener('keydown', close); };
  }, [open]);
  if (!user) return null;
  const roleNames = user.roles.map((r) => { const x = ROLES.find((y) => y.role === r); return x ? (locale === 'en' ? x.en : x.zh) : r; });
  return (
    <div className="user-menu" ref={ref}>
      <button type="button" className="user-button" aria-haspopup="menu" aria-expanded={open} aria-label={t('user.menu')} onClick={() => setOpen(!open)}>
        <span className="avatar" aria-hidden="true">{user.name.slice(0, 1)}</span>
        <span className="user-name">{user.name}</span>
      </button>
      {open && (
        <div className="menu" role="menu">
          <div className="menu-info">
            <strong>{user.name}</strong>
            <div className="muted">{t('user.roles')}: {roleNames.join('、')}</div>
          </div>
          <button type="button" role="menuitem" className="menu-item" onClick={async () => { setOpen(false); await logout(); navigate('/login', { replace: true }); }}>
            {t('user.logout')}
          </button>
        </div>
      )}
    </div>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { can, user, hasRole } = useAuth();
  const { cityName } = useConsoleConfig();
  const { path } = useLocation();
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [path]);
  const items = ROUTES.filter((r) => r.nav && allowed(r, can, !!user) && (!r.navRoles || hasRole(r.navRoles)));
  const active = (p: string) => path === p || path.startsWith(p + '/');
  return (
    <div className="shell">
      <header className="topbar">
        <button type="button" className="nav-toggle" aria-label={t('nav.menu')} aria-expanded={navOpen} aria-controls="main-nav" onClick={() => setNavOpen(!navOpen)}>☰</button>
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">▦</span>
          <span className="brand-city">{cityName}</span>
          <span className="brand-app">{t('app.title')}</span>
        </Link>
        <nav id="main-nav" className={`nav${navOpen ? ' nav-open' : ''}`} aria-label={t('nav.menu')}>
          {items.map((r) => (
            <Link key={r.path} to={r.path} className={active(r.path) ? 'nav-link active' : 'nav-link'} aria-current={active(r.path) ? 'page' : undefined}>
              {t(r.title)}
            </Link>
          ))}
        </nav>
        <div className="topbar-right">
          <LiveBadge />
          <NotificationBell />
          <LanguageSwitch />
          <UserMenu />
        </div>
      </header>
      <EmergencyBanner />
      <main className="content" id="content">{children}</main>
    </div>
  );
}
