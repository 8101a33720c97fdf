/**
 * /assessment/formulas — the score formula editor (issue 10 part 2; leaders and admins): the formula in force and
 * every adopted version; a new version's terms (rate, weight, rate or 1 − rate) and the month it takes effect from
 * (the current month or later: past months keep their scores); a "what if" preview scoring past months with the new
 * formula side by side with the formula each month had; adopt. The server checks everything again (weights add up to
 * 100, known rates) and its error names the field.
 */
import { useMemo, useState } from 'react';
import { api, isApiError, useQuery } from '../../app/api.ts';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { Chart } from '../../components/Chart.tsx';
import type { ResponseOf } from '../../app/api.ts';
import './assessment.css';

type Preview = ResponseOf<'/api/v1/assessment/formulas/preview', 'post'>;
interface Term { indicator: string; weight: number; use: string }

export default function FormulaEditorPage() {
  const { t } = useI18n();
  const formulas = useQuery((signal) => api.GET('/api/v1/assessment/formulas', { signal }), []);
  const defsQ = useQuery((signal) => api.GET('/api/v1/assessment/definitions', { signal }), []);
  const rates = useMemo(() => (defsQ.data?.definitions ?? []).filter((d) => d.kind === 'rate'), [defsQ.data]);
  const [terms, setTerms] = useState<Term[] | null>(null);
  const [effectiveFrom, setEffectiveFrom] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [dim, setDim] = useState('unit');
  const [months, setMonths] = useState(3);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [adopted, setAdopted] = useState<string | null>(null);
  if ((formulas.error && !formulas.data) || (defsQ.error && !defsQ.data)) return <Page title={t({ zh: '计分公式', en: 'Score formula' })}><ErrorState error={formulas.error ?? defsQ.error} onRetry={() => { formulas.reload(); defsQ.reload(); }} /></Page>;
  if (!formulas.data || !defsQ.data) return <Page title={t({ zh: '计分公式', en: 'Score formula' })}><Loading /></Page>;
  const f = formulas.data;
  const draft = terms ?? f.current.terms.map((x) => ({ ...x }));
  const month = effectiveFrom ?? f.currentMonth;
  const total = Math.round(draft.reduce((s, x) => s + (Number.isFinite(x.weight) ? x.weight : 0), 0) * 1000) / 1000;
  const nameOf = (id: string) => { const d = rates.find((r) => r.id === id); return d ? t(d.name) : id; };
  const edit = (i: number, patch: Partial<Term>) => { setTerms(draft.map((x, j) => (j === i ? { ...x, ...patch } : x))); setPreview(null); setAdopted(null); };
  const unused = rates.filter((r) => !draft.some((x) => x.indicator === r.id));
  const fail = (e: unknown) => setError(isApiError(e) ? { field: e.field, message: e.message } : { message: String(e) });
  const runPreview = async () => {
    setBusy(true); setError(null);
    try { setPreview(await api.POST('/api/v1/assessment/formulas/preview', { body: { terms: draft, dim, months } })); } catch (e) { fail(e); } finally { setBusy(false); }
  };
  const adopt = async () => {
    setBusy(true); setError(null);
    try {
      const v = await api.POST('/api/v1/assessment/formulas', { body: { effectiveFrom: month, terms: draft, ...(note.trim() ? { note: note.trim() } : {}) } });
      setAdopted(v.effectiveFrom); setTerms(null); setPreview(null); setNote(''); formulas.reload();
    } catch (e) { fail(e); } finally { setBusy(false); }
  };
  const fieldError = (field: string) => (error?.field === field ? <span role="alert" className="assess-field-error">{error.message}</span> : null);
  return (
    <Page title={t({ zh: '计分公式', en: 'Score formula' })} actions={<Link to="/assessment" className="button">{t({ zh: '返回考核', en: 'Back to assessment' })}</Link>}>
      <section className="card" aria-label={t({ zh: '现行公式', en: 'Formula in force' })}>
        <h2>{t({ zh: '现行公式', en: 'In force' })}（{f.currentMonth}）</h2>
        <p className="assess-formula-text">{t(f.current.text)}</p>
        <p className="muted small">{t({ zh: '每个月按当月生效的公式计分；新版本只能从本月或以后生效，过去月份的得分不会改写。', en: 'Each month is scored by the formula in force that month; a new version takes effect from the current month or later, so past scores never change.' })}</p>
        <table className="assess-versions">
          <thead><tr><th>{t({ zh: '生效月份', en: 'From' })}</th><th>{t({ zh: '公式', en: 'Formula' })}</th><th>{t({ zh: '说明', en: 'Note' })}</th><th>{t({ zh: '通过', en: 'Adopted' })}</th></tr></thead>
          <tbody>
            {f.versions.length === 0 && <tr><td colSpan={4} className="muted">{t({ zh: '尚未通过新版本，使用默认公式（成都金牛）。', en: 'No version adopted yet: the default (Chengdu Jinniu) applies.' })}</td></tr>}
            {[...f.versions].reverse().map((v) => (
              <tr key={v.id}><td>{v.effectiveFrom}</td><td>{t(v.text)}</td><td>{v.note ?? '—'}</td><td>{v.createdBy ?? '—'} {v.createdAt ? formatDateTime(v.createdAt) : ''}</td></tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-label={t({ zh: '新版本', en: 'New version' })}>
        <h2>{t({ zh: '编辑新版本', en: 'New version' })}</h2>
        <table className="assess-terms">
          <thead><tr><th>{t({ zh: '指标', en: 'Indicator' })}</th><th>{t({ zh: '计分方式', en: 'Scored as' })}</th><th>{t({ zh: '权重', en: 'Weight' })}</th><th /></tr></thead>
          <tbody>
            {draft.map((x, i) => (
              <tr key={i} data-term={x.indicator}>
                <td>
                  <select aria-label={t({ zh: `第 ${i + 1} 项指标`, en: `Term ${i + 1} indicator` })} value={x.indicator} onChange={(e) => edit(i, { indicator: e.target.value })}>
                    {rates.filter((r) => r.id === x.indicator || !draft.some((y) => y.indicator === r.id)).map((r) => <option key={r.id} value={r.id}>{t(r.name)}</option>)}
                  </select>
                  {fieldError(`terms[${i}].indicator`)}
                </td>
                <td>
                  <select aria-label={t({ zh: `第 ${i + 1} 项计分方式`, en: `Term ${i + 1} scored as` })} value={x.use} onChange={(e) => edit(i, { use: e.target.value })}>
                    <option value="rate">{t({ zh: '权重 × 比率', en: 'weight × rate' })}</option>
                    <option value="one_minus_rate">{t({ zh: '权重 × (1 − 比率)', en: 'weight × (1 − rate)' })}</option>
                  </select>
                </td>
                <td>
                  <input type="number" min={0} max={100} step="any" className="assess-weight" aria-label={t({ zh: `第 ${i + 1} 项权重`, en: `Term ${i + 1} weight` })}
                    value={Number.isFinite(x.weight) ? x.weight : ''} onChange={(e) => edit(i, { weight: e.target.value === '' ? NaN : Number(e.target.value) })} />
                  {fieldError(`terms[${i}].weight`)}
                </td>
                <td><button type="button" onClick={() => { setTerms(draft.filter((_, j) => j !== i)); setPreview(null); }} disabled={draft.length <= 1}>{t({ zh: '删除', en: 'Remove' })}</button></td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td colSpan={2}>
                {unused.length > 0 && <button type="button" onClick={() => { setTerms([...draft, { indicator: unused[0].id, weight: 0, use: unused[0].higherIsBetter === false ? 'one_minus_rate' : 'rate' }]); setPreview(null); }}>{t({ zh: '添加指标', en: 'Add indicator' })}</button>}
              </td>
              <td data-testid="weight-total" className={total === 100 ? 'assess-total ok' : 'assess-total bad'}>{t({ zh: '合计', en: 'Total' })} {total}{total === 100 ? '' : t({ zh: '（须为 100）', en: ' (must be 100)' })}</td>
              <td />
            </tr>
          </tfoot>
        </table>
        {fieldError('terms')}
        <p className="assess-formula-text" data-testid="draft-text">{draft.map((x) => `${x.use === 'one_minus_rate' ? `(1−${nameOf(x.indicator)})` : nameOf(x.indicator)}×${Number.isFinite(x.weight) ? x.weight : '?'}`).join(' + ')}</p>
        <div className="assess-tools">
          <label>{t({ zh: '生效月份', en: 'Effective from' })} <input type="month" min={f.currentMonth} value={month} onChange={(e) => setEffectiveFrom(e.target.value)} /></label>
          {fieldError('effectiveFrom')}
          <label className="assess-note">{t({ zh: '说明', en: 'Note' })} <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} placeholder={t({ zh: '例如：按区考核办通知调整', en: 'e.g. per the district\'s notice' })} /></label>
        </div>
        <div className="assess-tools">
          <label>{t({ zh: '预览对象', en: 'Preview on' })} <select value={dim} onChange={(e) => { setDim(e.target.value); setPreview(null); }}>
            <option value="unit">{t({ zh: '处置单位', en: 'Units' })}</option><option value="street">{t({ zh: '街道', en: 'Streets' })}</option><option value="community">{t({ zh: '社区', en: 'Communities' })}</option>
          </select></label>
          <label>{t({ zh: '过去月数', en: 'Past months' })} <select value={months} onChange={(e) => { setMonths(Number(e.target.value)); setPreview(null); }}>{[1, 3, 6, 12].map((n) => <option key={n} value={n}>{n}</option>)}</select></label>
          <button type="button" onClick={() => void runPreview()} disabled={busy}>{t({ zh: '预览（不保存）', en: 'Preview (saves nothing)' })}</button>
          <button type="button" className="primary" onClick={() => void adopt()} disabled={busy || total !== 100}>{t({ zh: `通过，自 ${month} 起生效`, en: `Adopt from ${month}` })}</button>
        </div>
        {error && !error.field?.startsWith('terms') && error.field !== 'effectiveFrom' && <p role="alert" className="assess-field-error">{error.message}</p>}
        {adopted && <p role="status" className="assess-adopted">{t({ zh: `已通过：自 ${adopted} 起按新公式计分。`, en: `Adopted: months from ${adopted} are scored by the new formula.` })}</p>}
      </section>

      {preview && <PreviewView preview={preview} />}
    </Page>
  );
}

/** Each past month: every row's score by the formula it had, beside the proposed one (table + chart of the latest). */
function PreviewView({ preview }: { preview: Preview }) {
  const { t } = useI18n();
  const latest = preview.months[preview.months.length - 1];
  return (
    <section className="card" aria-label={t({ zh: '预览结果', en: 'Preview' })}>
      <h2>{t({ zh: '新旧公式对比（过去月份）', en: 'Current vs proposed formula on past months' })}</h2>
      <p className="muted small">{t(preview.text)}</p>
      {latest && latest.rows.length > 0 && (
        <Chart height={260} aria-label="preview" option={{
          tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 40, right: 16, bottom: 80 },
          xAxis: { type: 'category', data: latest.rows.map((r) => r.name), axisLabel: { rotate: 30, interval: 0 } },
          yAxis: { type: 'value', max: 100 },
          series: [
            { name: t({ zh: `${latest.month} 现行公式`, en: `${latest.month} current` }), type: 'bar', data: latest.rows.map((r) => r.score) },
            { name: t({ zh: `${latest.month} 新公式`, en: `${latest.month} proposed` }), type: 'bar', data: latest.rows.map((r) => r.proposed) },
          ],
        }} />
      )}
      <div className="assess-preview-months">
        {preview.months.map((m) => (
          <div key={m.month} className="table-wrap">
            <table className="assess-preview" data-month={m.month}>
              <caption>{m.month}</caption>
              <thead><tr><th>{t({ zh: '名称', en: 'Name' })}</th><th>{t({ zh: '现行', en: 'Current' })}</th><th>{t({ zh: '新公式', en: 'Proposed' })}</th><th>{t({ zh: '变化', en: 'Change' })}</th></tr></thead>
              <tbody>
                {m.rows.map((r) => (
                  <tr key={r.key}><th scope="row">{r.name}</th><td className="num">{r.score.toFixed(1)}</td><td className="num">{r.proposed.toFixed(1)}</td>
                    <td className={`num ${r.change > 0 ? 'up' : r.change < 0 ? 'down' : ''}`}>{r.change > 0 ? '+' : ''}{r.change.toFixed(1)}</td></tr>
                ))}
                {m.rows.length === 0 && <tr><td colSpan={4} className="muted">{t({ zh: '该月没有数据。', en: 'No data that month.' })}</td></tr>}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </section>
  );
}
