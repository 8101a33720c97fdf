/** /cases — the case list (dispatch desk queue, unit inbox): owned by the cases feature. */
import { Page } from '../../components/Page.tsx';
import { Todo } from '../../components/States.tsx';
import { useI18n } from '../../app/i18n.ts';

export default function CaseListPage() {
  const { t } = useI18n();
  return (
    <Page title={t('nav.cases')}>
      <Todo what="live case queue by state, urgency and remaining time (VirtualList + useLiveEvents)" />
    </Page>
  );
}
