/** Loading, empty and error states: every page shows one of these instead of a blank screen. */
import type { ReactNode } from 'react';
import { isApiError } from '../app/api.ts';
import { useI18n, type MessageKey } from '../app/i18n.ts';
import { renderMessage } from '../app/messages.ts';

export function Loading({ label, inline = false }: { label?: string; inline?: boolean }) {
  const { t } = useI18n();
  return (
    <div className={inline ? 'state state-inline' : 'state'} role="status" aria-live="polite" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title?: string; children?: ReactNode; action?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="state state-empty">
      <div className="state-icon" aria-hidden="true">∅</div>
      <p className="state-title">{title ?? t('common.empty')}</p>
      {children && <div className="state-body">{children}</div>}
      {action}
    </div>
  );
}

/** A readable message for any error (ApiError codes translated where we know them). */
export function useErrorText(): (error: unknown) => string {
  const { t, locale } = useI18n();
  return (error) => {
    if (isApiError(error)) {
      // A message the server keyed (auth.wrong_credentials, field.required …) says more than its code.
      if (error.key && renderMessage(locale, { key: error.key, params: error.params })) return error.message;
      const key = `error.${error.code}` as MessageKey;
      const known = t(key);
      return known !== key ? known : error.message;
    }
    return error instanceof Error ? error.message : String(error);
  };
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useI18n();
  const text = useErrorText();
  const code = isApiError(error) ? error.code : undefined;
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon" aria-hidden="true">!</div>
      <p className="state-title">{title ?? t('common.error')}</p>
      <p className="state-body">{text(error)}{code && <code className="muted"> ({code})</code>}</p>
      {onRetry && <button type="button" className="btn" onClick={onRetry}>{t('common.retry')}</button>}
    </div>
  );
}

/** Placeholder content for pages still being built. */
export function Todo({ what }: { what: string }) {
  const { t } = useI18n();
  return <div className="todo"><strong>TODO</strong> · {t('common.todo')}: {what}</div>;
}
