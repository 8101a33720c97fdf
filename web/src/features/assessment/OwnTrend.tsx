/**
 * A row's own past months (GET /assessment/trend): the score (each month by its own formula) and the disposal rates,
 * month by month — the comparison the national rule prefers to public rankings. Used by the assessment table (a
 * clicked row) and by the unit leader's dashboard (their own unit, always shown).
 */
import { api, useQuery } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { Chart } from '../../components/Chart.tsx';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);

export function OwnTrend({ dim, rowKey, name, month, months = 6 }: { dim: string; rowKey: string; name: string; month: string; months?: number }) {
  const { t } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/assessment/trend', { params: { query: { dim, key: rowKey, end: month, months: String(months) } }, signal }), [dim, rowKey, month, months]);
  if (q.error && !q.data) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading inline />;
  const ms = q.data.months;
  const last = ms[ms.length - 1];
  const prev = ms.length > 1 ? ms[ms.length - 2] : undefined;
  const change = last && prev && !last.score.noData && !prev.score.noData ? Math.round((last.score.value - prev.score.value) * 10) / 10 : null;
  return (
    <section className="card" aria-label={t({ zh: '本单位历史对比', en: 'Own past months' })}>
      <h2>{name} · {t({ zh: '与自身历史月份对比', en: 'compared with its own past months' })}</h2>
      {change !== null && (
        <p className="muted small" data-testid="own-change">
          {t({ zh: `${last.month} 得分较上月 ${change > 0 ? '上升' : change < 0 ? '下降' : '持平'} ${Math.abs(change)} 分`, en: `${last.month}: ${change > 0 ? 'up' : change < 0 ? 'down' : 'level'} ${Math.abs(change)} points on the month before` })}
        </p>
      )}
      <Chart height={240} aria-label="trend" option={{
        tooltip: { trigger: 'axis' }, legend: { top: 0 },
        xAxis: { type: 'category', data: ms.map((m) => m.month) },
        yAxis: [{ type: 'value', max: 100, name: t({ zh: '得分', en: 'Score' }) }, { type: 'value', max: 100, name: '%' }],
        series: [
          { name: t({ zh: '得分', en: 'Score' }), type: 'bar', data: ms.map((m) => (m.score.noData ? null : m.score.value)) },
          { name: t({ zh: '处置率', en: 'Disposal rate' }), type: 'line', yAxisIndex: 1, data: ms.map((m) => pct(m.indicators.disposal_rate)) },
          { name: t({ zh: '按期处置率', en: 'On-time disposal' }), type: 'line', yAxisIndex: 1, data: ms.map((m) => pct(m.indicators.on_time_disposal_rate)) },
          { name: t({ zh: '超期待处置率', en: 'Overdue pending' }), type: 'line', yAxisIndex: 1, data: ms.map((m) => pct(m.indicators.overdue_pending_rate)) },
        ],
      }} />
    </section>
  );
}
