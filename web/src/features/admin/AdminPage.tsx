/** /admin — administration: owned by the admin feature. */
import { Page } from '../../components/Page.tsx';
import { Todo } from '../../components/States.tsx';
import { useI18n } from '../../app/i18n.ts';

export default function AdminPage() {
  const { t } = useI18n();
  return (
    <Page title={t('nav.admin')}>
      <Todo what="regions and grids, units and people, catalog and limits, responsibility list, calendar, API keys" />
    </Page>
  );
}
