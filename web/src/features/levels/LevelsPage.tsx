/**
 * /levels — the levels of platform at a glance: links to my platform's queue (cases my platform handles, escalations
 * and assignments waiting for it, those it sent), and escalations / assignments down / refusals per platform and
 * period (GET /api/v1/levels/stats): the "两层皮" made visible. Live: any transfer refreshes the counts.
 */
import { useMemo, useState } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatNumber, useI18n, type Msg } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { useLiveEvents } from '../../app/sse.ts';
import { Page } from '../../components/Page.tsx';
import { Select } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/States.tsx';
import { LEVEL_MSG, LEVEL_TOPICS } from './model.ts';
import './levels.css';

const PERIODS: { value: string; label: Msg; days: number | null }[] = [
  { value: '1', label: { zh: '近 24 小时', en: 'Last 24 hours' }, days: 1 },
  { value: '7', label: { zh: '近 7 天', en: 'Last 7 days' }, days: 7 },
  { value: '30', label: { zh: '近 30 天', en: 'Last 30 days' }, days: 30 },
  { value: 'all', label: { zh: '全部', en: 'All time' }, days: null },
];

const COLUMNS: { key: string; label: Msg; hot?: boolean }[] = [
  { key: 'escalationsSent', label: { zh: '上报', en: 'Escalated' } },
  { key: 'escalationsSentRefused', label: { zh: '上报被退回', en: 'Escalations refused above' } },
  { key: 'escalationsReceived', label: { zh: '收到上报', en: 'Escalations received' } },
  { key: 'escalationsRefused', label: { zh: '退回上报', en: 'Escalations refused' }, hot: true },
  { key: 'assignmentsSent', label: { zh: '下派', en: 'Assigned down' } },
  { key: 'assignmentsSentRefused', label: { zh: '下派被拒收', en: 'Assignments refused below' } },
  { key: 'assignmentsReceived', label: { zh: '收到下派', en: 'Assignments received' } },
  { key: 'assignmentsRefused', label: { zh: '拒收下派', en: 'Assignments refused' }, hot: true },
  { key: 'pending', label: { zh: '待接收', en: 'Waiting' } },
  { key: 'refusals', label: { zh: '拒收合计', en: 'Refusals' }, hot: true },
];

export default function LevelsPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const [period, setPeriod] = useState('30');
  const [tick, setTick] = useState(0);
  const from = useMemo(() => {
    const days = PERIODS.find((p) => p.value === period)?.days ?? null;
    return days === null ? undefined : new Date(Date.now() - days * 86_400_000).toISOString();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period, tick]);
  const stats = useQuery((signal) => api.GET('/api/v1/levels/stats', { params: { query: { from } }, signal }), [from]);
  useLiveEvents(() => setTick((n) => n + 1), LEVEL_TOPICS, can('events.read'));
  const items = stats.data?.items ?? [];
  return (
    <Page title={t({ zh: '层级平台', en: 'Platforms' })} className="levels-page">
      <section className="card" aria-labelledby="queue-h">
        <h2 id="queue-h">{t({ zh: '我的平台', en: 'My platform' })}</h2>
        <p className="muted">{t({
          zh: '“本平台队列”是本级平台正在处理的案件和等待本级接收的上报、下派；可查看的范围（本辖区）更大，见案件队列。',
          en: 'My platform\'s queue: the cases my platform handles now, and escalations and assignments waiting for it. What I may see (my area) is wider: see the case queue.',
        })}</p>
        <div className="level-links">
          <Link to="/cases?sort=due&platform=mine" className="btn btn-strong">{t({ zh: '本平台队列', en: 'My platform\'s queue' })}</Link>
          <Link to="/cases?sort=due&platform=incoming" className="btn">{t({ zh: '待我接收', en: 'Waiting for me' })}</Link>
          <Link to="/cases?sort=due&platform=outgoing" className="btn">{t({ zh: '我发出待接收', en: 'Sent, waiting' })}</Link>
        </div>
      </section>
      <section className="card" aria-labelledby="stats-h">
        <h2 id="stats-h">{t({ zh: '上报、下派与退回统计', en: 'Escalations, assignments and refusals' })}</h2>
        <Select label={t({ zh: '时段', en: 'Period' })} value={period} options={PERIODS.map((p) => ({ value: p.value, label: t(p.label) }))}
          onChange={(e) => setPeriod(e.target.value)} />
        {stats.error && !stats.data ? <ErrorState error={stats.error} onRetry={stats.reload} />
          : !stats.data ? <Loading inline />
          : items.length === 0 ? <EmptyState title={t({ zh: '该时段没有上报或下派', en: 'No escalations or assignments in this period' })} />
          : (
            <div className="level-stats-wrap">
              <table className="level-stats" data-testid="level-stats">
                <thead>
                  <tr>
                    <th scope="col">{t({ zh: '平台', en: 'Platform' })}</th>
                    {COLUMNS.map((c) => <th key={c.key} scope="col">{t(c.label)}</th>)}
                    <th scope="col">{t({ zh: '拒收率', en: 'Refusal rate' })}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((row) => (
                    <tr key={row.platform.id} data-platform={row.platform.id}>
                      <th scope="row"><span className={`level-badge lv-${row.platform.level}`}>{t(LEVEL_MSG[row.platform.level] ?? row.platform.levelLabel)}</span> {row.platform.name}</th>
                      {COLUMNS.map((c) => {
                        const n = (row as unknown as Record<string, number>)[c.key];
                        return <td key={c.key} data-col={c.key} className={c.hot && n > 0 ? 'hot' : undefined}>{formatNumber(n, locale)}</td>;
                      })}
                      <td>{row.refusalRate === null ? '—' : `${Math.round(row.refusalRate * 100)}%`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      </section>
    </Page>
  );
}
