/** Catches a crash (or a failed lazy chunk after a redeploy) in a page, so the shell stays up. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { translate, type Locale } from '../app/i18n.ts';

interface Props { children: ReactNode; locale: Locale; resetKey?: string }
interface State { error: Error | undefined }

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined };
  static getDerivedStateFromError(error: Error): State { return { error }; }
  override componentDidCatch(error: Error, info: ErrorInfo) { console.error('page crashed', error, info.componentStack); }
  override componentDidUpdate(prev: Props) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: undefined });
  }
  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const t = (k: Parameters<typeof translate>[1]) => translate(this.props.locale, k);
    return (
      <div className="state state-error" role="alert">
        <div className="state-icon" aria-hidden="true">!</div>
        <p className="state-title">{t('error.crashed')}</p>
        <p className="state-body">{error.message}</p>
        <button type="button" className="btn" onClick={() => window.location.reload()}>{t('common.reload')}</button>
      </div>
    );
  }
}
