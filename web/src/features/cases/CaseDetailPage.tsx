/** /cases/:id — one case: owned by the cases feature. */
import { Page } from '../../components/Page.tsx';
import { Todo } from '../../components/States.tsx';
import { useI18n } from '../../app/i18n.ts';
import { useParams } from '../../app/router.tsx';

export default function CaseDetailPage() {
  const { t } = useI18n();
  const { id } = useParams();
  return (
    <Page title={`${t({ zh: '案件', en: 'Case' })} ${id}`}>
      <Todo what="case detail: timeline, photos, map, deadlines, allowedActions" />
    </Page>
  );
}
