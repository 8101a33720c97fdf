/** Providers and the route view: finds the route, checks sign-in and permission, picks the layout. */
import { Suspense, useEffect } from 'react';
import { AuthProvider, useAuth } from './auth.tsx';
import { ConfigProvider } from './config.tsx';
import { I18nProvider, useI18n } from './i18n.ts';
import { ParamsProvider, navigate, useLocation } from './router.tsx';
import { allowed, findRoute } from './access.ts';
import { Shell } from './Shell.tsx';
import './messages.ts'; // server messages in the user's language (registers the API client's error localizer)
import { ErrorBoundary } from '../components/ErrorBoundary.tsx';
import { EmptyState, ErrorState, Loading } from '../components/States.tsx';

function RouteView() {
  const { path, search } = useLocation();
  const auth = useAuth();
  const { t, locale } = useI18n();
  const found = findRoute(path);
  const route = found?.route;
  const needsLogin = !!route && !route.public && auth.user === null && !auth.error;

  useEffect(() => {
    if (needsLogin) navigate(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path + search)}`, { replace: true });
  }, [needsLogin, path, search]);

  const theme = route?.theme ?? 'light';
  useEffect(() => { document.body.classList.toggle('theme-dark', theme === 'dark'); }, [theme]);
  useEffect(() => {
    if (route) document.title = `${t(route.title)} · CityOps`;
  }, [route, t]);

  let body;
  let layout = route?.layout ?? 'shell';
  if (!route) body = <EmptyState title={t('error.pageNotFound')}><code>{path}</code></EmptyState>;
  else if (!route.public && auth.user === undefined) { body = <Loading label={t('app.loading')} />; layout = 'bare'; } else if (!route.public && auth.user === null && auth.error) { body = <ErrorState error={auth.error} onRetry={() => void auth.refresh()} />; layout = 'bare'; } else if (needsLogin) { body = <Loading />; layout = 'bare'; } else if (!allowed(route, auth.can, !!auth.user)) body = <EmptyState title={t('error.noAccess')} />;
  else {
    const Page = route.page;
    body = <ParamsProvider params={found!.params}><Page /></ParamsProvider>;
  }
  if (!auth.user && layout === 'shell') layout = 'bare';

  const content = (
    <ErrorBoundary locale={locale} resetKey={path}>
      <Suspense fallback={<Loading />}>{body}</Suspense>
    </ErrorBoundary>
  );
  return layout === 'shell' ? <Shell>{content}</Shell> : content;
}

export function App() {
  return (
    <I18nProvider>
      <ConfigProvider>
        <AuthProvider>
          <RouteView />
        </AuthProvider>
      </ConfigProvider>
    </I18nProvider>
  );
}
