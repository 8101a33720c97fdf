/** /bigscreen — the command centre's big screen (1920×1080, dark theme, no shell): owned by the bigscreen feature. */
import { Todo } from '../../components/States.tsx';
import { useI18n } from '../../app/i18n.ts';
import { useConsoleConfig } from '../../app/config.tsx';
import { Link } from '../../app/router.tsx';

export default function BigScreenPage() {
  const { t } = useI18n();
  const { cityName } = useConsoleConfig();
  return (
    <div className="bigscreen">
      <header className="bigscreen-head">
        <Link to="/" className="bigscreen-back">←</Link>
        <h1>{cityName} · {t('nav.bigscreen')}</h1>
      </header>
      <Todo what="city map coloured by open/overdue cases, live events, counts by state and street, top overdue units, today's intake by channel" />
    </div>
  );
}
