/** /m — the phone view for inspectors and grid members: owned by the mobile feature. */
import { Page } from '../../components/Page.tsx';
import { Todo } from '../../components/States.tsx';
import { useI18n } from '../../app/i18n.ts';

export default function MobilePage() {
  const { t } = useI18n();
  return (
    <Page title={t('nav.mobile')}>
      <Todo what="inspector / grid member tasks near me, report with photos and GPS, offline drafts" />
    </Page>
  );
}
