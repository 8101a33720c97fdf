/**
 * /admin — administration, one tab per area; a tab is shown only when the user holds its permission (the same
 * permission the API checks on its routes). The tab is kept in the URL (?tab=rules) so it can be linked.
 */
import { useRef, type KeyboardEvent, type ReactElement } from 'react';
import { Page } from '../../components/Page.tsx';
import { EmptyState } from '../../components/States.tsx';
import { useI18n, type Msg } from '../../app/i18n.ts';
import { useAuth, type Permission } from '../../app/auth.tsx';
import { navigate, useLocation } from '../../app/router.tsx';
import { RegionsTab } from './RegionsTab.tsx';
import { PeopleTab } from './PeopleTab.tsx';
import { CatalogTab } from './CatalogTab.tsx';
import { RulesTab } from './RulesTab.tsx';
import { CalendarTab } from './CalendarTab.tsx';
import { ApiKeysTab } from './ApiKeysTab.tsx';
import { AdmissionTab } from './AdmissionTab.tsx';
import { RepliesTab } from './RepliesTab.tsx';
import { WebhooksTab } from './WebhooksTab.tsx';
import { PortalMattersTab } from './PortalMattersTab.tsx';
import './admin.css';

interface TabDef { id: string; label: Msg; permission: readonly Permission[]; render: () => ReactElement }

const TABS: readonly TabDef[] = [
  { id: 'regions', label: { zh: '区划与网格', en: 'Regions & grids' }, permission: ['region.manage', 'grid.manage'], render: () => <RegionsTab /> },
  { id: 'people', label: { zh: '单位与人员', en: 'Units & people' }, permission: ['unit.manage', 'user.manage'], render: () => <PeopleTab /> },
  { id: 'catalog', label: { zh: '事项与时限', en: 'Catalogue & limits' }, permission: ['catalog.manage'], render: () => <CatalogTab /> },
  { id: 'rules', label: { zh: '责任清单', en: 'Responsibility list' }, permission: ['rule.manage'], render: () => <RulesTab /> },
  { id: 'calendar', label: { zh: '工作日历', en: 'Work calendar' }, permission: ['calendar.manage'], render: () => <CalendarTab /> },
  { id: 'admission', label: { zh: '网格准入', en: 'Grid admission' }, permission: ['rule.manage'], render: () => <AdmissionTab /> },
  { id: 'portal', label: { zh: '门户事项', en: 'Portal matters' }, permission: ['catalog.manage'], render: () => <PortalMattersTab /> },
  { id: 'replies', label: { zh: '12345 话术', en: '12345 replies' }, permission: ['catalog.manage'], render: () => <RepliesTab /> },
  { id: 'apikeys', label: { zh: '接口密钥', en: 'API keys' }, permission: ['apikey.manage'], render: () => <ApiKeysTab /> },
  { id: 'webhooks', label: { zh: '推送订阅', en: 'Webhooks' }, permission: ['apikey.manage'], render: () => <WebhooksTab /> },
];

export default function AdminPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { query } = useLocation();
  const tabs = TABS.filter((x) => can(x.permission));
  const wanted = query.get('tab');
  const active = tabs.find((x) => x.id === wanted) ?? tabs[0];
  const refs = useRef(new Map<string, HTMLButtonElement>());

  const select = (id: string, focus = false) => {
    navigate(`/admin?tab=${id}`, { replace: true });
    if (focus) refs.current.get(id)?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!active) return;
    const i = tabs.indexOf(active);
    let next: number | undefined;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next === undefined) return;
    e.preventDefault();
    select(tabs[next].id, true);
  };

  return (
    <Page title={t('nav.admin')} className="admin-page">
      {tabs.length === 0 ? <EmptyState title={t('error.noAccess')} /> : (
        <>
          <div className="admin-tabs" role="tablist" aria-label={t('nav.admin')} onKeyDown={onKey}>
            {tabs.map((x) => (
              <button key={x.id} type="button" role="tab" id={`admin-tab-${x.id}`} aria-controls={`admin-panel-${x.id}`}
                aria-selected={x === active} tabIndex={x === active ? 0 : -1} className={`admin-tab${x === active ? ' active' : ''}`}
                ref={(el) => { if (el) refs.current.set(x.id, el); else refs.current.delete(x.id); }}
                onClick={() => select(x.id)}>
                {t(x.label)}
              </button>
            ))}
          </div>
          {active && (
            <div role="tabpanel" id={`admin-panel-${active.id}`} aria-labelledby={`admin-tab-${active.id}`} className="admin-panel" key={active.id}>
              {active.render()}
            </div>
          )}
        </>
      )}
    </Page>
  );
}
