/** The cases behind one number, with why each counted (GET /assessment/cases), page by page. */
import { useEffect, useState } from 'react';
import { api } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import type { Definition, Drill } from './model.ts';

export interface DrillTarget { dim: string; key: string; name: string; indicator: string; def?: Definition }

export function DrillPanel({ target, period, onClose }: { target: DrillTarget; period: { period: string; value?: string; from?: string; to?: string }; onClose: () => void }) {
  const { t } = useI18n();
  const [pages, setPages] = useState<Drill[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const load = async (after?: string) => {
    setLoading(true);
    try {
      const data = await api.GET('/api/v1/assessment/cases', { params: { query: { dim: target.dim, key: target.key, indicator: target.indicator, ...period, ...(after ? { after } : {}), limit: '50' } } });
      setPages((p) => (after ? [...p, data] : [data]));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => { setPages([]); setError(null); void load(); }, [target.dim, target.key, target.indicator, JSON.stringify(period)]); // eslint-disable-line react-hooks/exhaustive-deps
  const cases = pages.flatMap((p) => p.cases);
  const next = pages.length ? pages[pages.length - 1].next : null;
  const def = target.def;
  return (
    <section className="card assess-drill" aria-label={t({ zh: '下钻明细', en: 'Drill-down' })}>
      <header className="assess-drill-head">
        <h2>{target.name} · {def ? t(def.name) : target.indicator}</h2>
        <button type="button" onClick={onClose}>{t({ zh: '关闭', en: 'Close' })}</button>
      </header>
      {def && <p className="muted small assess-def">{t(def.formula)}{def.kind === 'rate' && def.numeratorText ? ` — ${t({ zh: '下列为分子：', en: 'listed: the numerator, ' })}${t(def.numeratorText)}` : ''}</p>}
      {error ? <ErrorState error={error} onRetry={() => void load()} /> : (
        <div className="table-wrap">
          <table className="assess-drill-table">
            <thead><tr><th>{t({ zh: '案件编号', en: 'Case' })}</th><th>{t({ zh: '上报日', en: 'Reported' })}</th><th>{t({ zh: '事项', en: 'Matter' })}</th><th>{t({ zh: '状态', en: 'State' })}</th><th>{t({ zh: '计入原因', en: 'Why it counts' })}</th></tr></thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id}>
                  <td><Link to={`/cases/${c.id}`}>{c.caseNo}</Link></td><td>{c.day}</td><td>{c.matterCode}</td><td>{c.state}</td><td className="assess-reason">{t(c.reason)}</td>
                </tr>
              ))}
              {!loading && cases.length === 0 && <tr><td colSpan={5} className="muted">{t({ zh: '没有案件。', en: 'No cases.' })}</td></tr>}
            </tbody>
          </table>
        </div>
      )}
      {loading && <Loading inline />}
      {next && !loading && <button type="button" onClick={() => void load(next)}>{t({ zh: '更多', en: 'More' })}</button>}
    </section>
  );
}
