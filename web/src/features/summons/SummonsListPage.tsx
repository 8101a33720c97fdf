/**
 * /summons — the summons desk: "waiting for my unit" (summonses a department must still report to, with the
 * countdown and the report buttons: a department's staff often cannot open the case itself), the street's
 * summonses (open / closed), and the assessment summary per department for a period.
 */
import { useEffect, useState } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { useI18n } from '../../app/i18n.ts';
import { useLiveEvents } from '../../app/sse.ts';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { SummonsCard } from './SummonsCard.tsx';
import { SummonsSettingsCard } from './SummonsSettingsCard.tsx';
import { SUMMONS_TOPICS, type Summons } from './model.ts';
import './summons.css';

type Tab = 'waiting' | 'open' | 'closed' | 'summary' | 'settings';

function Summary() {
  const { t } = useI18n();
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const [y, m] = month.split('-').map(Number);
  // Months in China Standard Time (UTC+8, every Chinese city's clock).
  const from = new Date(Date.UTC(y, m - 1, 1) - 8 * 3_600_000).toISOString();
  const to = new Date(Date.UTC(y, m, 1) - 8 * 3_600_000).toISOString();
  const q = useQuery((signal) => api.GET('/api/v1/summons/summary', { params: { query: { from, to } }, signal }), [from, to]);
  return (
    <section className="card">
      <label className="summons-month">{t({ zh: '月份', en: 'Month' })} <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} /></label>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading inline /> : q.data.items.length === 0
        ? <p className="muted">{t({ zh: '本期没有吹哨。', en: 'No summons in this period.' })}</p>
        : (
          <div className="table-wrap">
            <table className="summons-summary">
              <thead>
                <tr>
                  <th>{t({ zh: '部门', en: 'Department' })}</th><th>{t({ zh: '被吹哨', en: 'Summoned' })}</th><th>{t({ zh: '按时报到', en: 'On time' })}</th>
                  <th>{t({ zh: '迟到', en: 'Late' })}</th><th>{t({ zh: '缺席', en: 'Absent' })}</th><th>{t({ zh: '待报到', en: 'Waiting' })}</th>
                  <th>{t({ zh: '平均评分', en: 'Avg. rating' })}</th>
                </tr>
              </thead>
              <tbody>
                {q.data.items.map((r) => (
                  <tr key={r.unit.id}>
                    <td>{r.unit.name}</td><td>{r.received}</td><td>{r.reportedOnTime}</td><td>{r.reportedLate}</td><td>{r.absent}</td><td>{r.waiting}</td>
                    <td>{r.averageRating ?? '—'}{r.rated ? <span className="muted small">（{r.rated}）</span> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}

export default function SummonsListPage() {
  const { t } = useI18n();
  const { user, can } = useAuth();
  const hasUnits = (user?.unitIds?.length ?? 0) > 0;
  const [tab, setTab] = useState<Tab>(hasUnits ? 'waiting' : 'open');
  const [fresh, setFresh] = useState<Record<number, Summons>>({});
  const q = useQuery((signal) => (tab === 'summary' || tab === 'settings' ? Promise.resolve({ items: [], nextBeforeId: null })
    : api.GET('/api/v1/summons', { params: { query: tab === 'waiting' ? { waiting: true } : { state: tab } }, signal })), [tab]);
  const reload = q.reload;
  // A summons the user just acted on stays in view with its new state, even when the reloaded list no longer
  // holds it (a department that reported is no longer "waiting"); the list's own copy replaces it once it has one.
  useEffect(() => {
    const listed = new Set((q.data?.items ?? []).map((s) => s.id));
    setFresh((f) => Object.fromEntries(Object.entries(f).filter(([id]) => !listed.has(Number(id)))));
  }, [q.data]);
  useLiveEvents(() => reload(), SUMMONS_TOPICS, can('events.read') && tab !== 'summary' && tab !== 'settings');
  const tabs: [Tab, string][] = [
    ...(hasUnits ? [['waiting', t({ zh: '待我单位报到', en: 'Waiting for my unit' })] as [Tab, string]] : []),
    ['open', t({ zh: '进行中', en: 'Open' })], ['closed', t({ zh: '已结束', en: 'Closed' })], ['summary', t({ zh: '报到考核', en: 'Assessment' })],
    ...(can('rule.manage') ? [['settings', t({ zh: '设置', en: 'Settings' })] as [Tab, string]] : []),
  ];
  const listed = (q.data?.items ?? []) as Summons[];
  const items = [...listed.map((s) => fresh[s.id] ?? s), ...Object.values(fresh).filter((f) => !listed.some((s) => s.id === f.id))].sort((a, b) => b.id - a.id);
  return (
    <Page title={t({ zh: '吹哨报到', en: 'Summons' })} className="summons-page">
      <div className="tabs" role="tablist">
        {tabs.map(([k, name]) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={`tab${tab === k ? ' active' : ''}`} onClick={() => { setFresh({}); setTab(k); }}>{name}</button>
        ))}
      </div>
      {tab === 'summary' ? <Summary />
        : tab === 'settings' ? <SummonsSettingsCard />
        : q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} />
        : !q.data ? <Loading />
        : items.length === 0 ? <p className="muted card">{tab === 'waiting' ? t({ zh: '没有等待本单位报到的吹哨。', en: 'Nothing waiting for your unit.' }) : t({ zh: '没有吹哨。', en: 'No summons.' })}</p>
        : <div className="summons-list">{items.map((s) => <SummonsCard key={s.id} s={s} showCase onChanged={(n) => setFresh((x) => ({ ...x, [n.id]: n }))} />)}</div>}
    </Page>
  );
}
