/**
 * /scenarios — the scenario console (issue 11 part 6; docs/issue-11/scenarios.md): the eight scenario packs as cards,
 * the shop-sign registry with the wind-warning form, and (for administrators) the vital-sign lines.
 */
import { useState } from 'react';
import { useAuth } from '../../app/auth.tsx';
import { useI18n } from '../../app/i18n.ts';
import { Page } from '../../components/Page.tsx';
import { ScenarioCards } from './ScenarioCards.tsx';
import { ShopSignsTab } from './ShopSignsTab.tsx';
import { VitalSettingsForm } from './VitalSettingsForm.tsx';
import './scenarios.css';

type Tab = 'packs' | 'signs' | 'vitals';

export default function ScenariosPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [tab, setTab] = useState<Tab>('packs');
  const tabs: [Tab, string][] = [
    ['packs', t({ zh: '场景', en: 'Scenarios' })], ['signs', t({ zh: '店招店牌', en: 'Shop signs' })],
    ...(can('rule.manage') ? [['vitals', t({ zh: '体征阈值', en: 'Vital lines' })]] as [Tab, string][] : []),
  ];
  return (
    <Page title={t({ zh: '场景', en: 'Scenarios' })} className="scenarios-page">
      <div className="scen-tabs" role="tablist">
        {tabs.map(([k, name]) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={`scen-tab${tab === k ? ' active' : ''}`} onClick={() => setTab(k)}>{name}</button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'packs' && <ScenarioCards />}
        {tab === 'signs' && <ShopSignsTab />}
        {tab === 'vitals' && <VitalSettingsForm />}
      </div>
    </Page>
  );
}
