/** The matter catalogue (searchable, by class) and one matter's time limits, editable as a table. */
import { useEffect, useMemo, useState } from 'react';
import { api, useQuery, isApiError, type ApiError, type BodyOf, type ResponseOf } from '../../app/api.ts';
import type { ElementOf } from '../../api/types.ts';
import { useI18n } from '../../app/i18n.ts';
import { FormError, Select, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import {
  LIMIT_UNIT_LABELS, LIMIT_UNITS, Pager, STAGE_LABELS, STAGES, URGENCIES, URGENCY_LABELS, usePaged, useLabel,
} from './shared.tsx';
import { HotlineLimitsCard } from './HotlineLimitsCard.tsx';

type LimitRow = ElementOf<ResponseOf<'/api/v1/catalog/matters/{code}', 'get'>['limits']>;
/** One row as PUT …/limits takes it (stage, urgency and unit are the schema's enums). */
type LimitInput = ElementOf<BodyOf<'/api/v1/catalog/matters/{code}/limits', 'put'>['limits']>;
/** A row being edited (form state: text fields as typed). */
interface EditRow { key: number; stage: string; urgency: string; areaClass: string; amount: string; unit: string; basis: string }

let keySeq = 0;

/** "limits.2.amount: must be > 0" → "第 3 行：limits.2.amount: must be > 0". */
function limitsErrorText(e: ApiError | undefined, text: string, row: (n: number) => string): string {
  const m = e?.field ? /^limits[.[](\d+)/.exec(e.field) : null;
  return m ? `${row(Number(m[1]) + 1)}：${e!.message}` : text;
}
const toEdit = (l: LimitRow): EditRow => ({
  key: ++keySeq, stage: l.stage, urgency: l.urgency, areaClass: l.areaClass ?? '', amount: String(l.amount), unit: l.unit, basis: l.basis ?? '',
});

export function CatalogTab() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [classCode, setClassCode] = useState('');
  const all = useQuery((signal) => api.GET('/api/v1/catalog/matters', { signal }), []);
  const classes = useMemo(() => {
    const m = new Map<string, string>();
    for (const x of all.data?.items ?? []) m.set(x.classCode, x.className);
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  }, [all.data]);
  const query = q.trim();
  const list = useQuery((signal) => api.GET('/api/v1/catalog/matters', { signal, params: { query: { q: query || undefined, classCode: classCode || undefined } } }), [query, classCode]);
  const items = list.data?.items ?? [];
  const paged = usePaged(items, 15, `${query}|${classCode}`);
  const [selected, setSelected] = useState<string | undefined>();

  return (
    <div className="admin-grid">
      <section className="card" aria-labelledby="matters-h">
        <h2 id="matters-h">{t({ zh: '事项目录', en: 'Matter catalogue' })}</h2>
        <div className="form-cols">
          <TextField label={t({ zh: '搜索（名称或编码）', en: 'Search (name or code)' })} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maxLength={50} />
          <Select label={t({ zh: '大类', en: 'Class' })} value={classCode} onChange={(e) => setClassCode(e.currentTarget.value)} placeholder={t({ zh: '全部大类', en: 'All classes' })}
            options={classes.map(([c, n]) => ({ value: c, label: `${c} ${n}` }))} />
        </div>
        {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : !list.data ? <Loading /> : items.length === 0 ? <EmptyState /> : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="matters-table">
                <thead><tr><th>{t({ zh: '编码', en: 'Code' })}</th><th>{t({ zh: '名称', en: 'Name' })}</th><th>{t({ zh: '大类', en: 'Class' })}</th><th /></tr></thead>
                <tbody>
                  {paged.rows.map((m) => (
                    <tr key={m.code} className={selected === m.code ? 'selected' : undefined}>
                      <td><code>{m.code}</code></td>
                      <td>{m.name}{m.local && <span className="tag">{t({ zh: '本地', en: 'local' })}</span>}</td>
                      <td>{m.classCode} {m.className}</td>
                      <td><button type="button" className="btn btn-small" onClick={() => setSelected(m.code)} aria-label={t({ zh: '{code} 的时限', en: 'Limits of {code}' }, { code: m.code })}>{t({ zh: '时限', en: 'Limits' })}</button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager {...paged} label={t({ zh: '事项分页', en: 'Matter pages' })} />
          </>
        )}
      </section>
      {selected ? <LimitsEditor code={selected} key={selected} /> : (
        <section className="card"><EmptyState title={t({ zh: '选择一个事项查看和修改时限', en: 'Choose a matter to see and change its time limits' })} /></section>
      )}
      <HotlineLimitsCard />
    </div>
  );
}

function LimitsEditor({ code }: { code: string }) {
  const { t } = useI18n();
  const label = useLabel();
  const errorText = useErrorText();
  const q = useQuery((signal) => api.GET('/api/v1/catalog/matters/{code}', { signal, params: { path: { code } } }), [code]);
  const [rows, setRows] = useState<EditRow[] | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [saved, setSaved] = useState<number | undefined>();
  useEffect(() => { if (q.data && !rows) setRows(q.data.limits.filter((l) => l.appliesTo === 'matter').map(toEdit)); }, [q.data, rows]);

  if (q.error) return <section className="card"><ErrorState error={q.error} onRetry={q.reload} /></section>;
  if (!q.data || !rows) return <section className="card"><Loading /></section>;
  const m = q.data;
  const inherited = m.limits.filter((l) => l.appliesTo !== 'matter');
  const update = (key: number, patch: Partial<EditRow>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const apiErr = isApiError(error) ? error : undefined;
  const rowError = (i: number, f: string) => (apiErr?.field === `limits[${i}].${f}` || apiErr?.field === `limits.${i}.${f}` ? apiErr.message : undefined);

  const save = async () => {
    setBusy(true); setError(undefined); setSaved(undefined);
    try {
      // The selects offer the schema's values; rows read back from the server are sent as they came (it checks them).
      const limits = rows.map((r): LimitInput => ({
        stage: r.stage as LimitInput['stage'], urgency: r.urgency as LimitInput['urgency'], areaClass: r.areaClass.trim() || null,
        amount: Number(r.amount), unit: r.unit as LimitInput['unit'], basis: r.basis.trim() || null,
      }));
      const res = await api.PUT('/api/v1/catalog/matters/{code}/limits', { params: { path: { code } }, body: { limits } });
      setSaved(res.rows);
      // Show what the server now has (the rows come back in its order).
      const fresh = await api.GET('/api/v1/catalog/matters/{code}', { params: { path: { code } } });
      setRows(fresh.limits.filter((l) => l.appliesTo === 'matter').map(toEdit));
      q.reload();
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };

  return (
    <section className="card" aria-labelledby="limits-h">
      <h2 id="limits-h">{t({ zh: '时限：{code} {name}', en: 'Time limits: {code} {name}' }, { code: m.code, name: m.name })}</h2>
      {m.registrationCondition && <p className="muted"><strong>{t({ zh: '立案条件', en: 'Registration' })}：</strong>{m.registrationCondition}</p>}
      {m.closureCondition && <p className="muted"><strong>{t({ zh: '结案条件', en: 'Closure' })}：</strong>{m.closureCondition}</p>}
      <h3>{t({ zh: '本事项的时限', en: 'Limits of this matter' })}</h3>
      <p className="muted">{t({ zh: '区域类别留空表示适用于所有区域；工作时间按工作日历计算。', en: 'Leave the area class empty for every area; work time follows the work calendar.' })}</p>
      <FormError>{error ? limitsErrorText(apiErr, errorText(error), (n) => t({ zh: '第 {n} 行', en: 'Row {n}' }, { n })) : undefined}</FormError>
      {saved !== undefined && <div className="notice notice-ok" role="status">{t({ zh: '已保存，{n} 条时限生效。', en: 'Saved: {n} rows in force.' }, { n: saved })}</div>}
      {rows.length === 0 ? <p className="muted">{t({ zh: '本事项没有单独的时限，使用下方的默认时限。', en: 'No rows of its own: the defaults below apply.' })}</p> : (
        <div className="table-wrap">
          <table className="table table-edit" data-testid="limits-table">
            <thead>
              <tr>
                <th>{t({ zh: '环节', en: 'Stage' })}</th><th>{t({ zh: '紧急程度', en: 'Urgency' })}</th><th>{t({ zh: '区域类别', en: 'Area class' })}</th>
                <th>{t({ zh: '时长', en: 'Amount' })}</th><th>{t({ zh: '单位', en: 'Unit' })}</th><th>{t({ zh: '依据', en: 'Basis' })}</th><th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => {
                const n = i + 1;
                return (
                  <tr key={r.key}>
                    <td><select aria-label={t({ zh: '第 {n} 行 环节', en: 'Row {n} stage' }, { n })} value={r.stage} onChange={(e) => update(r.key, { stage: e.currentTarget.value })}>
                      {STAGES.map((s) => <option key={s} value={s}>{label(STAGE_LABELS, s)}</option>)}</select></td>
                    <td><select aria-label={t({ zh: '第 {n} 行 紧急程度', en: 'Row {n} urgency' }, { n })} value={r.urgency} onChange={(e) => update(r.key, { urgency: e.currentTarget.value })}>
                      {URGENCIES.map((s) => <option key={s} value={s}>{label(URGENCY_LABELS, s)}</option>)}</select></td>
                    <td><input aria-label={t({ zh: '第 {n} 行 区域类别', en: 'Row {n} area class' }, { n })} className="input-narrow" value={r.areaClass} maxLength={8}
                      placeholder={t({ zh: '全部', en: 'all' })} onChange={(e) => update(r.key, { areaClass: e.currentTarget.value })} /></td>
                    <td><input aria-label={t({ zh: '第 {n} 行 时长', en: 'Row {n} amount' }, { n })} className="input-narrow" type="number" min={0} step="any" required value={r.amount}
                      aria-invalid={rowError(i, 'amount') ? true : undefined} onChange={(e) => update(r.key, { amount: e.currentTarget.value })} /></td>
                    <td><select aria-label={t({ zh: '第 {n} 行 单位', en: 'Row {n} unit' }, { n })} value={r.unit} onChange={(e) => update(r.key, { unit: e.currentTarget.value })}>
                      {LIMIT_UNITS.map((s) => <option key={s} value={s}>{label(LIMIT_UNIT_LABELS, s)}</option>)}</select></td>
                    <td><input aria-label={t({ zh: '第 {n} 行 依据', en: 'Row {n} basis' }, { n })} value={r.basis} maxLength={500} onChange={(e) => update(r.key, { basis: e.currentTarget.value })} /></td>
                    <td><button type="button" className="btn btn-small" onClick={() => setRows(rows.filter((x) => x.key !== r.key))}
                      aria-label={t({ zh: '删除第 {n} 行', en: 'Remove row {n}' }, { n })}>{t({ zh: '删除', en: 'Remove' })}</button></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => setRows([...rows, toEdit({ stage: 'handle', urgency: 'normal', areaClass: null, amount: 1, unit: 'work_days', basis: null, appliesTo: 'matter', default: false })])}>
          {t({ zh: '添加一行', en: 'Add a row' })}
        </button>
        <button type="button" className="btn btn-primary" onClick={save} disabled={busy || rows.some((r) => !(Number(r.amount) > 0))}>
          {busy ? t({ zh: '正在保存…', en: 'Saving…' }) : t({ zh: '保存时限', en: 'Save limits' })}
        </button>
      </div>
      {inherited.length > 0 && (
        <>
          <h3>{t({ zh: '未单独设置时适用的时限', en: 'Limits that apply where none of its own is set' })}</h3>
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th>{t({ zh: '环节', en: 'Stage' })}</th><th>{t({ zh: '紧急程度', en: 'Urgency' })}</th><th>{t({ zh: '时限', en: 'Limit' })}</th><th>{t({ zh: '来源', en: 'From' })}</th><th /></tr></thead>
              <tbody>
                {inherited.map((l) => (
                  <tr key={`${l.stage}|${l.urgency}|${l.areaClass ?? ''}`}>
                    <td>{label(STAGE_LABELS, l.stage)}</td><td>{label(URGENCY_LABELS, l.urgency)}</td>
                    <td>{l.amount} {label(LIMIT_UNIT_LABELS, l.unit)}</td>
                    <td>{l.appliesTo === 'all' ? t({ zh: '全部事项', en: 'All matters' }) : t({ zh: '系统默认', en: 'Default' })}</td>
                    <td><button type="button" className="btn btn-small" onClick={() => setRows([...rows, toEdit(l)])}>{t({ zh: '改为本事项时限', en: 'Override' })}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
