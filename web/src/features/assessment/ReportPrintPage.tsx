/** /assessment/report — the daily, weekly, monthly, quarterly or custom-range assessment as one printable A4 page (Chinese typography; window.print). */
import { api, useQuery } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { useLocation } from '../../app/router.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { DIMS, PERIOD_KINDS, PERIOD_LABEL, cityDayNow, cityMonthNow, formatValue, quarterOf, type Dim, type PeriodKind, type PeriodQuery } from './model.ts';
import './assessment.css';

const COLS = ['to_handle', 'disposal_rate', 'on_time_disposal_rate', 'closure_rate', 'rework_rate', 'postpone_rate', 'overdue_pending_rate', 'buck_passing', 'satisfaction_rate'];

const dayZh = (v: string): string => { const [y, m, d] = v.split('-'); return `${y}年${Number(m)}月${Number(d)}日`; };

/** 「2026年12月」「2026年12月7日」「2026年第50周」「2026年第4季度」「2026年11月1日至2026年12月7日」 */
function reportTitle(p: PeriodQuery): string {
  if (p.period === 'custom') return `${dayZh(p.from)}至${dayZh(p.to)}`;
  const value = p.value;
  if (p.period === 'day') return dayZh(value);
  if (p.period === 'week') { const [y, w] = value.split('-W'); return `${y}年第${Number(w)}周`; }
  if (p.period === 'quarter') { const [y, q] = value.split('-Q'); return `${y}年第${Number(q)}季度`; }
  const [y, m] = value.split('-');
  return `${y}年${Number(m)}月`;
}

export default function ReportPrintPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const kindRaw = query.get('period') ?? 'month';
  const kind: PeriodKind = (PERIOD_KINDS as readonly string[]).includes(kindRaw) ? (kindRaw as PeriodKind) : 'month';
  const pq: PeriodQuery = kind === 'custom'
    ? { period: 'custom', from: query.get('from') ?? `${cityMonthNow()}-01`, to: query.get('to') ?? cityDayNow() }
    : { period: kind, value: query.get('value') ?? query.get('month') ?? (kind === 'quarter' ? quarterOf(cityDayNow()) : cityMonthNow()) };
  const pqKey = JSON.stringify(pq);
  const dimRaw = query.get('dim') ?? 'unit';
  const dim: Dim = (DIMS as readonly string[]).includes(dimRaw) ? (dimRaw as Dim) : 'unit';
  const q = useQuery((signal) => api.GET('/api/v1/assessment/indicators', { params: { query: { dim, ...pq } }, signal }), [dim, pqKey]);
  if (q.error && !q.data) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading />;
  const defs = new Map(q.data.definitions.map((d) => [d.id, d]));
  return (
    <div className="print-page assess-print">
      <div className="print-tools no-print"><button type="button" onClick={() => window.print()}>{t({ zh: '打印', en: 'Print' })}</button></div>
      <article className="assess-sheet" lang="zh-CN">
        <h1>{reportTitle(pq)} 城市运行综合考核{PERIOD_LABEL[kind].report}</h1>
        <p className="assess-sub">计分公式：{q.data.formula.text.zh}（自 {q.data.formula.effectiveFrom} 起执行）</p>
        <table className="assess-print-table">
          <thead><tr><th>序号</th><th>名称</th>{q.data.ranking && <th>名次</th>}<th>得分</th>{q.data.previousMonth && <th>上月得分</th>}{COLS.map((c) => <th key={c}>{defs.get(c)?.name.zh ?? c}</th>)}</tr></thead>
          <tbody>
            {q.data.rows.map((r, i) => (
              <tr key={r.key}><td>{i + 1}</td><td className="name">{r.name}</td>{q.data!.ranking && <td>{r.rank ?? '—'}</td>}<td>{r.score.noData ? '—' : r.score.value.toFixed(1)}</td>{q.data!.previousMonth && <td>{r.previousScore === null || r.previousScore === undefined ? '—' : r.previousScore.toFixed(1)}</td>}{COLS.map((c) => <td key={c}>{formatValue(defs.get(c), r.indicators[c])}</td>)}</tr>
            ))}
          </tbody>
        </table>
        <section className="assess-notes">
          <h2>指标口径</h2>
          <ol>{COLS.map((c) => defs.get(c)).filter((d) => !!d).map((d) => <li key={d!.id}>{d!.formula.zh}{d!.kind === 'rate' && d!.numeratorText ? `；分子：${d!.numeratorText.zh}；分母：${d!.denominatorText?.zh ?? ''}` : ''}</li>)}</ol>
          <p>{q.data.ranking ? '按得分排列名次。' : `按名称排列，不作排名；各行与自身上月（${q.data.previousMonth ?? '—'}）比较。`}说明：案件计入其上报日所在月份；挂账案件不计入应处置与超期；经批准的无理诉求与特殊结案不计分；申诉成立的案件不计入该单位。</p>
        </section>
      </article>
    </div>
  );
}
