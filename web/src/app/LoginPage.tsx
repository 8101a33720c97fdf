/** Sign in with username and password (POST /api/v1/auth/login), then go on to `?next=` or the start page. */
import { useState, type FormEvent } from 'react';
import { useAuth } from './auth.tsx';
import { useI18n } from './i18n.ts';
import { useConsoleConfig } from './config.tsx';
import { isApiError, type ApiError } from './api.ts';
import { Link, navigate, useLocation } from './router.tsx';
import { startPageFor } from './access.ts';
import { TextField, FormError } from '../components/Form.tsx';
import { useErrorText } from '../components/States.tsx';
import { LanguageSwitch } from './Shell.tsx';

export function LoginPage() {
  const { login } = useAuth();
  const { t } = useI18n();
  const { cityName } = useConsoleConfig();
  const { query } = useLocation();
  const errorText = useErrorText();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await login(username.trim(), password);
      const perms = new Set<string>(me.permissions);
      const can = (p: string | readonly string[]) => (typeof p === 'string' ? perms.has(p) : p.some((x) => perms.has(x)));
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') && next !== '/login' ? next : startPageFor(me.roles, can), { replace: true });
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  };

  const fieldError = (name: string) => (isApiError(error) && error.field === name ? error.message : undefined);

  return (
    <div className="login-page">
      <div className="login-lang"><LanguageSwitch /></div>
      <main className="login-card">
        <h1 className="login-title">{cityName} · {t('app.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        <form onSubmit={submit} noValidate={false} aria-label={t('login.title')}>
          <TextField label={t('login.username')} name="username" autoComplete="username" required autoFocus
            value={username} onChange={(e) => setUsername(e.target.value)} error={fieldError('username')} />
          <TextField label={t('login.password')} name="password" type="password" autoComplete="current-password" required
            value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError('password')} />
          <FormError>{error && !fieldError('username') && !fieldError('password') ? `${t('login.failed')}: ${errorText(error)}` : undefined}</FormError>
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>{busy ? t('login.submitting') : t('login.submit')}</button>
        </form>
        <p className="login-portal"><Link to="/portal">{t('login.portal')}</Link></p>
      </main>
    </div>
  );
}
