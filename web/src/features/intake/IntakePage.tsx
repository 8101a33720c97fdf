/** /intake — the operator's report form (受理): owned by the intake feature. */
import { Page } from '../../components/Page.tsx';
import { Todo } from '../../components/States.tsx';
import { useI18n } from '../../app/i18n.ts';

export default function IntakePage() {
  const { t } = useI18n();
  return (
    <Page title={t('nav.intake')}>
      <Todo what="operator intake form: matter suggestion, grid from address or map click, duplicates, routing answer" />
    </Page>
  );
}
