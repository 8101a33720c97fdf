/**
 * 联勤联动 · 吹哨报到 · 层级流转 — the coordination indicators of the period beside the case indicators: per unit, its
 * assisting tasks and its answers to summons; per street or district platform, the transfers it received from other
 * levels and refused (GET /api/v1/assessment/coordination). Each column's definition is its header's tooltip and is
 * listed below; rows without any record in the period are folded into one line, so the active ones stand out.
 */
import { api, useQuery } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import type { PeriodQuery } from './model.ts';

type CoordinationDim = 'unit' | 'street' | 'district';
export const hasCoordination = (dim: string): dim is CoordinationDim => dim === 'unit' || dim === 'street' || dim === 'district';

export function CoordinationPanel({ dim, period }: { dim: CoordinationDim; period: PeriodQuery }) {
  const { t } = useI18n();
  const key = JSON.stringify(period);
  const q = useQuery((signal) => api.GET('/api/v1/assessment/coordination', { params: { query: { dim, ...period } }, signal }), [dim, key]);
  const title = dim === 'unit' ? t({ zh: '联勤联动与吹哨报到', en: 'Joint action and summons' }) : t({ zh: '层级流转（上报 / 下派）', en: 'Transfers between levels' });
  const fmt = (kind: string, v: number | null | undefined) => (v === null || v === undefined ? '—' : kind === 'rate' ? `${(v * 100).toFixed(1)}%` : kind === 'average' ? v.toFixed(2) : String(v));
  return (
    <section className="card assess-coordination" aria-label={title}>
      <h2>{title}</h2>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading /> : (() => {
        const defs = q.data.definitions;
        const counts = defs.filter((d) => d.kind === 'count');
        const active = q.data.rows.filter((r) => counts.some((d) => (r.values[d.id] ?? 0) > 0));
        const quiet = q.data.rows.length - active.length;
        return (
          <>
            <div className="table-wrap">
              <table className="assess-table" data-testid="coordination-table">
                <thead>
                  <tr>
                    <th>{t({ zh: '名称', en: 'Name' })}</th>
                    {defs.map((d) => <th key={d.id} title={t(d.formula)} data-def={d.id}>{t(d.name)}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {active.map((r) => (
                    <tr key={r.key} data-key={r.key}>
                      <th scope="row">{r.name}</th>
                      {defs.map((d) => <td key={d.id} className="num" data-def={d.id}>{fmt(d.kind, r.values[d.id])}</td>)}
                    </tr>
                  ))}
                  {active.length === 0 && <tr><td colSpan={defs.length + 1} className="muted">{t({ zh: '本期没有协同记录。', en: 'No coordination records in this period.' })}</td></tr>}
                </tbody>
              </table>
            </div>
            {quiet > 0 && <p className="muted small">{t({ zh: `另有 ${quiet} 个${dim === 'unit' ? '单位' : '平台'}本期没有记录。`, en: `${quiet} more ${dim === 'unit' ? 'units' : 'platforms'} have no records in this period.` })}</p>}
            <details className="assess-legend">
              <summary>{t({ zh: '协同指标口径', en: 'Definitions' })}</summary>
              <dl>{defs.map((d) => <div key={d.id}><dt>{t(d.name)}</dt><dd>{t(d.formula)}</dd></div>)}</dl>
            </details>
          </>
        );
      })()}
    </section>
  );
}
