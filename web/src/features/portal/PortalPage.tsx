/** /portal — the citizens' page (no sign-in): report a problem, follow a case by its number, rate the result. */
import { Todo } from '../../components/States.tsx';
import { useI18n } from '../../app/i18n.ts';
import { useConsoleConfig } from '../../app/config.tsx';
import { LanguageSwitch } from '../../app/Shell.tsx';

export default function PortalPage() {
  const { t } = useI18n();
  const { cityName } = useConsoleConfig();
  return (
    <div className="portal">
      <header className="portal-head">
        <h1>{cityName} · {t('nav.portal')}</h1>
        <LanguageSwitch />
      </header>
      <main className="portal-body">
        <Todo what="report (map point, photo, description), follow a case by its number, rate the result" />
      </main>
    </div>
  );
}
