/**
 * /portal — the citizens' page (no sign-in, phone first): report a problem (what, where — a map point or "use my
 * location" —, a photo, a description, an optional phone) and get a case number plus a private tracking code;
 * follow a case by its number (plain-language stages, no personal data); rate the result once it is closed.
 * Public API only: /api/v1/public/* (src/http/routes/public).
 */
import { useState } from 'react';
import { useI18n } from '../../app/i18n.ts';
import { useConsoleConfig } from '../../app/config.tsx';
import { LanguageSwitch } from '../../app/Shell.tsx';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { ReportForm } from './ReportForm.tsx';
import { FollowCase } from './FollowCase.tsx';
import './portal.css';

type Tab = 'report' | 'follow';

export default function PortalPage() {
  const { t } = useI18n();
  const { cityName } = useConsoleConfig();
  const { query } = useLocation();
  const caseNo = query.get('no') ?? '';
  const [tab, setTab] = useState<Tab>(caseNo ? 'follow' : 'report');
  const activeTab: Tab = caseNo ? 'follow' : tab;
  const go = (next: Tab) => {
    setTab(next);
    if (next === 'report' && caseNo) navigate('/portal');
  };
  return (
    <div className="portal">
      <header className="portal-head">
        <h1>{cityName} · {t('nav.portal')}</h1>
        <LanguageSwitch />
      </header>
      <main className="portal-body">
        <div className="portal-tabs" role="tablist" aria-label={t({ zh: '市民服务', en: 'Citizen services' })}>
          <button type="button" role="tab" id="tab-report" aria-selected={activeTab === 'report'} aria-controls="panel-report"
            className={activeTab === 'report' ? 'on' : ''} onClick={() => go('report')}>{t({ zh: '我要反映', en: 'Report a problem' })}</button>
          <button type="button" role="tab" id="tab-follow" aria-selected={activeTab === 'follow'} aria-controls="panel-follow"
            className={activeTab === 'follow' ? 'on' : ''} onClick={() => go('follow')}>{t({ zh: '查询进度 / 评价', en: 'Follow / rate' })}</button>
        </div>
        {activeTab === 'report'
          ? <section id="panel-report" role="tabpanel" aria-labelledby="tab-report"><ReportForm onFollow={(no) => navigate(`/portal?no=${encodeURIComponent(no)}`)} /></section>
          : <section id="panel-follow" role="tabpanel" aria-labelledby="tab-follow"><FollowCase caseNo={caseNo} /></section>}
        <p className="portal-foot muted">
          {t({ zh: '紧急情况请拨打 110 / 119 / 120。工作人员请', en: 'Emergencies: call 110 / 119 / 120. Staff: ' })}<Link to="/login">{t({ zh: '登录', en: 'sign in' })}</Link>。
        </p>
      </main>
    </div>
  );
}
