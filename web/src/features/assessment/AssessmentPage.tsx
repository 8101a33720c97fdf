/**
 * /assessment — the day's, week's, month's, quarter's or a custom range's assessment (issue 10 parts 6–7): units, streets, communities, grids and people with their
 * indicators and the score by the formula in force; sortable; every number opens the cases behind it with why each
 * counted; a row's own past months as a trend (the national rule prefers comparing a unit with itself); a printable
 * A4 report. Each column's definition is shown beside it (hover and the legend below the table).
 */
import { useMemo, useState } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { useAuth } from '../../app/auth.tsx';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { OwnTrend } from './OwnTrend.tsx';
import { DrillPanel, type DrillTarget } from './DrillPanel.tsx';
import { CoordinationPanel, hasCoordination } from './CoordinationPanel.tsx';
import {
  DIMS, DIM_LABEL, MAX_CUSTOM_DAYS, PERIOD_KINDS, PERIOD_LABEL, PERSON_COLUMNS, TABLE_COLUMNS, addDays, cityDayNow, cityMonthNow, daysBetween, drillable, formatValue, isoWeekOf,
  periodEndMonth, quarterLabel, quarterOf, recentQuarters, type Dim, type PeriodKind, type PeriodQuery, type Row,
} from './model.ts';
import './assessment.css';

/** A row against its own previous month: the change in points (▲ up, ▼ down), the previous score in the tooltip. */
function Change({ now, before }: { now: number | null; before: number | null }) {
  const { t } = useI18n();
  if (now === null || before === null) return <span className="muted" title={t({ zh: '上月无数据', en: 'No data last month' })}>—</span>;
  const d = Math.round((now - before) * 10) / 10;
  return <span className={d > 0 ? 'assess-up' : d < 0 ? 'assess-down' : undefined} title={`${before.toFixed(1)} → ${now.toFixed(1)}`}>{d > 0 ? `▲ ${d}` : d < 0 ? `▼ ${-d}` : '0'}</span>;
}

export default function AssessmentPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const [dim, setDim] = useState<Dim>('unit');
  const [month, setMonth] = useState(cityMonthNow);
  const [kind, setKind] = useState<PeriodKind>('month');
  const [day, setDay] = useState(cityDayNow);
  const [week, setWeek] = useState(() => isoWeekOf(cityDayNow()));
  const [quarter, setQuarter] = useState(() => quarterOf(cityDayNow()));
  const [from, setFrom] = useState(() => `${cityMonthNow()}-01`);
  const [to, setTo] = useState(cityDayNow);
  // the period as the API takes it: a value, or (custom) a range of days [from, to] of at most MAX_CUSTOM_DAYS
  const pq: PeriodQuery = kind === 'custom' ? { period: 'custom', from, to }
    : { period: kind, value: kind === 'month' ? month : kind === 'day' ? day : kind === 'week' ? week : quarter };
  const pqKey = JSON.stringify(pq);
  const rangeDays = daysBetween(from, to);
  const trendMonth = periodEndMonth(pq);
  const exportHref = (format: 'csv' | 'xlsx') => `/api/v1/assessment/export?${new URLSearchParams({ format, dim, ...pq, lang: locale.startsWith('zh') ? 'zh' : 'en' })}`;
  // null: the server's order — by score when the city shows rankings, otherwise by name
  const [sort, setSort] = useState<{ col: string; desc: boolean } | null>(null);
  const settings = useQuery((signal) => api.GET('/api/v1/assessment/settings', { signal }), []);
  const [savingRank, setSavingRank] = useState(false);
  const [rankShown, setRankShown] = useState<boolean | null>(null);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const [trendRow, setTrendRow] = useState<Row | null>(null);
  const q = useQuery((signal) => api.GET('/api/v1/assessment/indicators', { params: { query: { dim, ...pq } }, signal }), [dim, pqKey]);
  const defs = useMemo(() => new Map((q.data?.definitions ?? []).map((d) => [d.id, d])), [q.data]);
  const cols = dim === 'person' ? PERSON_COLUMNS : TABLE_COLUMNS;
  const rows = useMemo(() => {
    const rs = [...(q.data?.rows ?? [])];
    if (!sort) return rs;
    const val = (r: Row) => (sort.col === 'score' ? (r.score.noData ? -1 : r.score.value) : sort.col === 'name' ? r.name : r.indicators[sort.col] ?? -1);
    rs.sort((a, b) => { const x = val(a), y = val(b); const c = typeof x === 'string' ? x.localeCompare(String(y)) : (x as number) - (y as number); return sort.desc ? -c : c; });
    return rs;
  }, [q.data, sort]);
  const head = (col: string, label: string, title?: string) => (
    <th key={col} title={title} aria-sort={sort?.col === col ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="assess-sort" onClick={() => setSort((s) => ({ col, desc: s?.col === col ? !s.desc : true }))}>{label}{sort?.col === col ? (sort.desc ? ' ▼' : ' ▲') : ''}</button>
    </th>
  );
  return (
    <Page title={t({ zh: '考核评价', en: 'Assessment' })} actions={<>
      {can('assessment.formula') && <Link to="/assessment/formulas" className="button">{t({ zh: '计分公式', en: 'Score formula' })}</Link>}
      <a className="button" href={exportHref('xlsx')} download>{t({ zh: '导出 Excel', en: 'Export XLSX' })}</a>
      <a className="button" href={exportHref('csv')} download>{t({ zh: '导出 CSV', en: 'Export CSV' })}</a>
      <Link to={`/assessment/report?${new URLSearchParams({ ...pq, dim })}`} className="button">{t({ zh: `打印${PERIOD_LABEL[kind].report}`, en: 'Print report' })}</Link>
    </>}>
      <div className="assess-tools">
        <div role="tablist" className="assess-dims">
          {DIMS.map((d) => <button key={d} type="button" role="tab" aria-selected={dim === d} onClick={() => { setDim(d); setDrill(null); setTrendRow(null); }}>{t(DIM_LABEL[d])}</button>)}
        </div>
        <div role="radiogroup" aria-label={t({ zh: '周期', en: 'Period' })} className="assess-dims">
          {PERIOD_KINDS.map((k) => <button key={k} type="button" role="radio" aria-checked={kind === k} aria-selected={kind === k} onClick={() => { setKind(k); setDrill(null); }}>{t(PERIOD_LABEL[k])}</button>)}
        </div>
        {kind === 'month' && <label>{t({ zh: '月份', en: 'Month' })} <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} /></label>}
        {kind === 'day' && <label>{t({ zh: '日期', en: 'Day' })} <input type="date" value={day} onChange={(e) => e.target.value && setDay(e.target.value)} /></label>}
        {kind === 'week' && <label>{t({ zh: '周', en: 'Week' })} <input type="week" value={week} onChange={(e) => e.target.value && setWeek(e.target.value)} /></label>}
        {kind === 'quarter' && (
          <label>{t({ zh: '季度', en: 'Quarter' })} <select aria-label={t({ zh: '季度', en: 'Quarter' })} value={quarter} onChange={(e) => setQuarter(e.target.value)}>
            {recentQuarters(cityDayNow()).map((v) => <option key={v} value={v}>{t(quarterLabel(v))}</option>)}
          </select></label>
        )}
        {kind === 'custom' && (
          <span className="assess-range" title={t({ zh: `自定义区间最长 ${MAX_CUSTOM_DAYS} 天`, en: `A custom range is at most ${MAX_CUSTOM_DAYS} days` })}>
            <label>{t({ zh: '开始日期', en: 'From' })} <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} /></label>
            {' '}<label>{t({ zh: '结束日期', en: 'To' })} <input type="date" value={to} min={from} max={addDays(from, MAX_CUSTOM_DAYS - 1)} onChange={(e) => e.target.value && setTo(e.target.value)} /></label>
            {' '}<span className={rangeDays < 1 || rangeDays > MAX_CUSTOM_DAYS ? 'assess-down small' : 'muted small'} role={rangeDays < 1 || rangeDays > MAX_CUSTOM_DAYS ? 'alert' : undefined}>
              {rangeDays < 1 ? t({ zh: '结束日期早于开始日期', en: 'To is before from' })
                : rangeDays > MAX_CUSTOM_DAYS ? t({ zh: `共 ${rangeDays} 天，最长 ${MAX_CUSTOM_DAYS} 天`, en: `${rangeDays} days; at most ${MAX_CUSTOM_DAYS}` })
                  : t({ zh: `共 ${rangeDays} 天`, en: `${rangeDays} days` })}
            </span>
          </span>
        )}
        {can('assessment.formula') && settings.data && (
          <label title={t({ zh: '国家规范倡导与本单位历史月份比较，排名默认不公开', en: 'The national rule prefers comparing a unit with its own past months; rankings are off by default' })}>
            <input type="checkbox" checked={rankShown ?? settings.data.showRanking} disabled={savingRank} onChange={async (e) => {
              // optimistic: the box shows the choice at once; a refused save puts it back
              const want = e.target.checked;
              setRankShown(want);
              setSavingRank(true);
              try {
                await api.PUT('/api/v1/assessment/settings', { body: { showRanking: want } });
                settings.reload(); q.reload();
              } catch { setRankShown(null); } finally { setSavingRank(false); }
            }} /> {t({ zh: '显示排名', en: 'Show rankings' })}
          </label>
        )}
        {q.data && <span className="muted small" title={t(q.data.formula.text)}>{t({ zh: '计分公式', en: 'Formula' })}：{t(q.data.formula.text)}（{t({ zh: '自', en: 'from' })} {q.data.formula.effectiveFrom}）</span>}
      </div>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading /> : (
        <>
          <div className="table-wrap">
            <table className="assess-table">
              <thead>
                <tr>
                  {head('name', t({ zh: '名称', en: 'Name' }))}
                  {q.data.ranking && <th>{t({ zh: '名次', en: 'Rank' })}</th>}
                  {head('score', t({ zh: '得分', en: 'Score' }), t(q.data.formula.text))}
                  {q.data.previousMonth && <th title={t({ zh: '本行自身上月的得分（按当月公式）', en: 'The row\'s own score the month before (by that month\'s formula)' })}>{t({ zh: '较上月', en: 'vs last month' })}</th>}
                  {cols.map((c) => { const d = defs.get(c); return head(c, d ? t(d.name) : c, d ? t(d.formula) : undefined); })}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key} className={trendRow?.key === r.key ? 'selected' : undefined}>
                    <th scope="row"><button type="button" className="linklike" title={t({ zh: '查看历史趋势', en: 'Show own past months' })} onClick={() => setTrendRow(r)}>{r.name}</button></th>
                    {q.data!.ranking && <td className="num assess-rank">{r.rank ?? '—'}</td>}
                    <td className="num" title={r.score.terms.map((x) => `${x.indicator} ${x.points}`).join(' + ')}>{r.score.noData ? '—' : r.score.value.toFixed(1)}</td>
                    {q.data!.previousMonth && <td className="num"><Change now={r.score.noData ? null : r.score.value} before={r.previousScore ?? null} /></td>}
                    {cols.map((c) => {
                      const d = defs.get(c);
                      const v = formatValue(d, r.indicators[c]);
                      return (
                        <td key={c} className="num">
                          {drillable(d) && r.indicators[c] !== null
                            ? <button type="button" className="linklike" data-indicator={c} onClick={() => setDrill({ dim, key: r.key, name: r.name, indicator: c, def: d })}>{v}</button>
                            : v}
                        </td>
                      );
                    })}
                  </tr>
                ))}
                {rows.length === 0 && <tr><td colSpan={cols.length + 4} className="muted">{t({ zh: '本期没有可查看的数据。', en: 'Nothing to show for this period.' })}</td></tr>}
              </tbody>
            </table>
          </div>
          {drill && <DrillPanel target={drill} period={pq} onClose={() => setDrill(null)} />}
          {trendRow && <OwnTrend dim={dim} rowKey={trendRow.key} name={trendRow.name} month={trendMonth} />}
          {hasCoordination(dim) && <CoordinationPanel dim={dim} period={pq} />}
          <details className="card assess-legend">
            <summary>{t({ zh: '指标口径', en: 'Definitions' })}</summary>
            <dl>{q.data.definitions.filter((d) => d.kind !== 'duration' || d.stage === 'handle').map((d) => <div key={d.id}><dt>{t(d.name)}</dt><dd>{t(d.formula)}</dd></div>)}</dl>
          </details>
        </>
      )}
    </Page>
  );
}
