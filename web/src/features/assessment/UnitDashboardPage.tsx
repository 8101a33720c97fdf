/**
 * /assessment/unit — a unit leader's own month, live: the numbers so far, the score by this month's formula, and the
 * open cases that will hurt next (overdue, due within 24 h, returned awaiting the ruling, in rework), each linking to
 * its case page (where the appeal button lives); and the unit's own past months (score and rates month by month), the
 * comparison the national rule prefers to rankings.
 */
import { useState } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { useAuth } from '../../app/auth.tsx';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { DrillPanel, type DrillTarget } from './DrillPanel.tsx';
import { OwnTrend } from './OwnTrend.tsx';
import { drillable, formatValue, TABLE_COLUMNS } from './model.ts';
import './assessment.css';

export default function UnitDashboardPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const units = user?.unitIds ?? [];
  const [unitId, setUnitId] = useState<string | undefined>(units[0]);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const q = useQuery((signal) => api.GET('/api/v1/assessment/live', { params: { query: unitId ? { unitId } : {} }, signal }), [unitId]);
  if (q.error && !q.data) return <Page title={t({ zh: '本单位考核', en: 'My unit\'s assessment' })}><ErrorState error={q.error} onRetry={q.reload} /></Page>;
  if (!q.data) return <Page title={t({ zh: '本单位考核', en: 'My unit\'s assessment' })}><Loading /></Page>;
  const d = q.data;
  const defs = new Map(d.definitions.map((x) => [x.id, x]));
  return (
    <Page title={`${d.unit.name} · ${t({ zh: '本月考核（实时）', en: 'this month, live' })}`}>
      {units.length > 1 && <label>{t({ zh: '单位', en: 'Unit' })} <select value={unitId} onChange={(e) => setUnitId(e.target.value)}>{units.map((u) => <option key={u} value={u}>{u}</option>)}</select></label>}
      <section className="assess-tiles" aria-label={t({ zh: '本月指标', en: 'This month' })}>
        <div className="assess-tile score"><span>{t({ zh: '得分', en: 'Score' })}</span><strong>{d.row.score.noData ? '—' : d.row.score.value.toFixed(1)}</strong><small>{t(d.formula.text)}</small></div>
        {TABLE_COLUMNS.map((c) => {
          const def = defs.get(c);
          const v = d.row.indicators[c];
          return (
            <div key={c} className="assess-tile" title={def ? t(def.formula) : undefined}>
              <span>{def ? t(def.name) : c}</span>
              {drillable(def) && v !== null
                ? <button type="button" className="linklike" onClick={() => setDrill({ dim: 'unit', key: d.unit.id, name: d.unit.name, indicator: c, def })}><strong>{formatValue(def, v)}</strong></button>
                : <strong>{formatValue(def, v)}</strong>}
              {def && <small>{t(def.formula)}</small>}
            </div>
          );
        })}
      </section>
      {drill && <DrillPanel target={drill} period={{ period: 'month', value: d.month }} onClose={() => setDrill(null)} />}
      <OwnTrend dim="unit" rowKey={d.unit.id} name={d.unit.name} month={d.month} />
      <section className="card">
        <h2>{t({ zh: '即将影响考核的案件', en: 'Cases that will hurt next' })}</h2>
        <div className="table-wrap">
          <table className="assess-hurt">
            <thead><tr><th>{t({ zh: '案件编号', en: 'Case' })}</th><th>{t({ zh: '事项', en: 'Matter' })}</th><th>{t({ zh: '状态', en: 'State' })}</th><th>{t({ zh: '处置时限', en: 'Deadline' })}</th><th>{t({ zh: '原因', en: 'Why' })}</th></tr></thead>
            <tbody>
              {d.hurting.map((h) => (
                <tr key={`${h.id}-${h.reason}`} className={`hurt-${h.reason}`}>
                  <td><Link to={`/cases/${h.id}`}>{h.caseNo}</Link></td><td>{h.matterCode}</td><td>{h.state}</td><td>{h.handleDueAt ? formatDateTime(h.handleDueAt) : '—'}</td><td>{t(h.why)}</td>
                </tr>
              ))}
              {d.hurting.length === 0 && <tr><td colSpan={5} className="muted">{t({ zh: '暂无。', en: 'None right now.' })}</td></tr>}
            </tbody>
          </table>
        </div>
      </section>
    </Page>
  );
}
