/**
 * The 店招店牌 tab: the shop-sign registry (searchable, signs due for inspection first, last inspection), adding and
 * editing a sign (rule.manage; the owner's phone as the API returns it — masked without personal_data.read), and the
 * wind-warning form (case.create) that files an extra inspection for every sign in the chosen area.
 */
import { useEffect, useMemo, useState } from 'react';
import { api, isApiError, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { useI18n } from '../../app/i18n.ts';
import { FormError, Select, TextArea, TextField } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { WIND_LABELS, WIND_LEVELS, fieldOf, fmtDate, fmtTime, type ShopSign, type WindLevel } from './shared.ts';

/** Every sign the caller may see (the registry is city-sized: a few thousand rows, pages of 500). */
async function loadSigns(signal: AbortSignal): Promise<ShopSign[]> {
  const all: ShopSign[] = [];
  let afterId: string | undefined;
  for (let i = 0; i < 40; i++) {
    const r = await api.GET('/api/v1/shop-signs', { params: { query: { limit: 500, ...(afterId ? { afterId } : {}) } }, signal });
    all.push(...r.items);
    if (!r.next) break;
    afterId = r.next;
  }
  return all;
}

const FIELDS = ['id', 'name', 'ownerName', 'ownerPhone', 'address', 'lon', 'lat', 'areaM2', 'inspectEveryDays'] as const;
type Field = typeof FIELDS[number];

function SignForm({ sign, onSaved, onCancel }: { sign: ShopSign | null; onSaved: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const init = (): Record<Field, string> => ({
    id: sign?.id ?? '', name: sign?.name ?? '', ownerName: sign?.ownerName ?? '', ownerPhone: sign?.ownerPhone ?? '', address: sign?.address ?? '',
    lon: sign ? String(sign.lon) : '', lat: sign ? String(sign.lat) : '', areaM2: sign?.areaM2 !== null && sign?.areaM2 !== undefined ? String(sign.areaM2) : '',
    inspectEveryDays: String(sign?.inspectEveryDays ?? 90),
  });
  const [f, setF] = useState(init);
  const [err, setErr] = useState<{ field?: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const labels: Record<Field, string> = {
    id: t({ zh: '编号', en: 'Id' }), name: t({ zh: '店招名称', en: 'Sign name' }), ownerName: t({ zh: '责任人', en: 'Owner' }),
    ownerPhone: t({ zh: '联系电话', en: 'Phone' }), address: t({ zh: '地址', en: 'Address' }), lon: t({ zh: '经度', en: 'Longitude' }),
    lat: t({ zh: '纬度', en: 'Latitude' }), areaM2: t({ zh: '面积（㎡）', en: 'Area (m²)' }), inspectEveryDays: t({ zh: '巡查周期（天）', en: 'Inspect every (days)' }),
  };
  const save = async () => {
    setErr(null);
    const num = (k: Field) => (f[k].trim() === '' ? null : Number(f[k]));
    for (const k of ['lon', 'lat', 'areaM2', 'inspectEveryDays'] as const) {
      const v = num(k);
      if ((v === null && (k === 'lon' || k === 'lat')) || (v !== null && !Number.isFinite(v))) { setErr({ field: k, text: t({ zh: '请填写数字', en: 'Enter a number' }) }); return; }
    }
    if (f.ownerPhone.includes('*') && f.ownerPhone === (sign?.ownerPhone ?? '')) {
      setErr({ field: 'ownerPhone', text: t({ zh: '号码已脱敏，请填写完整号码', en: 'The number is masked: enter it in full' }) }); return;
    }
    setBusy(true);
    try {
      await api.PUT('/api/v1/shop-signs/{id}', {
        params: { path: { id: f.id.trim() } },
        body: {
          name: f.name.trim(), ownerName: f.ownerName.trim(), ownerPhone: f.ownerPhone.trim() || null, address: f.address.trim(),
          lon: num('lon')!, lat: num('lat')!, areaM2: num('areaM2'), inspectEveryDays: num('inspectEveryDays') ?? 90,
          ...(sign ? { version: sign.version } : {}),
        },
      });
      onSaved();
    } catch (e) { setErr({ field: isApiError(e) ? fieldOf(e.field) : undefined, text: errorText(e) }); } finally { setBusy(false); }
  };
  const title = sign ? t({ zh: '编辑店招', en: 'Edit sign' }) : t({ zh: '登记店招', en: 'Add a sign' });
  return (
    <form className="card scen-sign-form" aria-label={title} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h3>{title}</h3>
      <div className="scen-form-grid">
        {FIELDS.map((k) => (
          <TextField key={k} name={k} label={labels[k]} value={f[k]} required={['id', 'name', 'ownerName', 'address', 'lon', 'lat'].includes(k)}
            disabled={k === 'id' && !!sign} inputMode={['lon', 'lat', 'areaM2', 'inspectEveryDays'].includes(k) ? 'decimal' : undefined}
            onChange={(e) => { const v = e.currentTarget.value; setF((o) => ({ ...o, [k]: v })); }} error={err?.field === k ? err.text : undefined} />
        ))}
      </div>
      <FormError>{err && !FIELDS.includes(err.field as Field) ? err.text : undefined}</FormError>
      <div className="scen-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{t({ zh: '保存', en: 'Save' })}</button>
        <button type="button" className="btn" onClick={onCancel}>{t({ zh: '取消', en: 'Cancel' })}</button>
      </div>
    </form>
  );
}

function WindWarningForm({ onFiled }: { onFiled: () => void }) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const regions = useQuery((signal) => api.GET('/api/v1/regions', { signal }), []);
  const recent = useQuery((signal) => api.GET('/api/v1/wind-warnings', { signal }), []);
  const [level, setLevel] = useState<WindLevel>('orange');
  const [regionId, setRegionId] = useState('');
  const [note, setNote] = useState('');
  const [err, setErr] = useState<{ field?: string; text: string } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const options = (regions.data?.items ?? []).filter((r) => r.level !== 'community').map((r) => ({ value: r.id, label: r.name }));
  useEffect(() => { if (!regionId && options[0]) setRegionId(options[0].value); }, [options, regionId]);
  const submit = async () => {
    setBusy(true); setErr(null); setResult(null);
    try {
      const r = await api.POST('/api/v1/wind-warnings', { body: { level, regionId, note: note.trim() || null } });
      const unfiled = r.inspections.filter((i) => i.outcome === 'unfiled').length;
      setResult(t({ zh: '已生成 {n} 个店招巡查任务', en: '{n} sign inspections filed' }, { n: r.inspections.length })
        + (unfiled ? t({ zh: '（{m} 个未能立案）', en: ' ({m} could not be filed)' }, { m: unfiled }) : ''));
      setNote(''); recent.reload(); onFiled();
    } catch (e) { setErr({ field: isApiError(e) ? fieldOf(e.field) : undefined, text: errorText(e) }); } finally { setBusy(false); }
  };
  const title = t({ zh: '风力预警', en: 'Wind warning' });
  return (
    <form className="card scen-wind" aria-label={title} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h3>{title}</h3>
      <p className="muted small">{t({ zh: '为所选区域内每块店招生成一次巡查（橙色及以上为紧急）。', en: 'Files an inspection for every sign in the area (urgent from orange up).' })}</p>
      <div className="scen-form-grid">
        <Select name="level" label={t({ zh: '预警级别', en: 'Level' })} value={level} onChange={(e) => setLevel(e.currentTarget.value as WindLevel)}
          options={WIND_LEVELS.map((l) => ({ value: l, label: t(WIND_LABELS[l]) }))} error={err?.field === 'level' ? err.text : undefined} />
        <Select name="regionId" label={t({ zh: '区域', en: 'Area' })} value={regionId} onChange={(e) => setRegionId(e.currentTarget.value)}
          options={options} error={err?.field === 'regionId' ? err.text : undefined} />
        <TextArea name="note" label={t({ zh: '备注', en: 'Note' })} value={note} rows={2} onChange={(e) => setNote(e.currentTarget.value)}
          error={err?.field === 'note' ? err.text : undefined} />
      </div>
      <FormError>{err && !['level', 'regionId', 'note'].includes(err.field ?? '') ? err.text : undefined}</FormError>
      <button type="submit" className="btn btn-primary" disabled={busy || !regionId}>{t({ zh: '发布预警', en: 'Enter warning' })}</button>
      {result && <span role="status" className="ok-text" data-testid="wind-result"> {result}</span>}
      {recent.data && recent.data.items.length > 0 && (
        <ul className="scen-wind-list small">
          {recent.data.items.slice(0, 5).map((w) => (
            <li key={w.id}>{fmtTime(w.createdAt, locale)} · {WIND_LABELS[w.level as WindLevel] ? t(WIND_LABELS[w.level as WindLevel]) : w.level} ·{' '}
              {regions.data?.items.find((r) => r.id === w.regionId)?.name ?? w.regionId} · {t({ zh: '{n} 块店招', en: '{n} signs' }, { n: w.signs })}{w.note ? ` · ${w.note}` : ''}</li>
          ))}
        </ul>
      )}
    </form>
  );
}

export function ShopSignsTab() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const q = useQuery((signal) => loadSigns(signal), []);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<ShopSign | 'new' | null>(null);
  const [shown, setShown] = useState(100);
  const now = Date.now();
  const rows = useMemo(() => {
    const s = search.trim().toLowerCase();
    return (q.data ?? [])
      .filter((x) => !s || [x.id, x.name, x.ownerName, x.address].some((v) => v.toLowerCase().includes(s)))
      .sort((a, b) => Date.parse(a.nextDueAt) - Date.parse(b.nextDueAt) || a.id.localeCompare(b.id));
  }, [q.data, search]);
  const due = rows.filter((x) => Date.parse(x.nextDueAt) <= now).length;
  return (
    <div className="scen-signs">
      {can('case.create') && <WindWarningForm onFiled={q.reload} />}
      {editing && <SignForm key={editing === 'new' ? 'new' : editing.id} sign={editing === 'new' ? null : editing} onCancel={() => setEditing(null)}
        onSaved={() => { setEditing(null); q.reload(); }} />}
      <section className="card" aria-label={t({ zh: '店招台账', en: 'Sign registry' })}>
        <div className="scen-signs-head">
          <h3>{t({ zh: '店招台账', en: 'Sign registry' })}</h3>
          <label className="scen-search">
            <span className="sr-only">{t({ zh: '搜索', en: 'Search' })}</span>
            <input type="search" placeholder={t({ zh: '搜索名称、责任人、地址', en: 'Search name, owner, address' })} value={search}
              aria-label={t({ zh: '搜索', en: 'Search' })} onChange={(e) => { setSearch(e.currentTarget.value); setShown(100); }} />
          </label>
          {can('rule.manage') && <button type="button" className="btn" onClick={() => setEditing('new')}>{t({ zh: '登记店招', en: 'Add a sign' })}</button>}
        </div>
        {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading inline /> : (
          <>
            <p className="muted small">{t({ zh: '共 {n} 块，{d} 块待巡查（排在前面）', en: '{n} signs, {d} due for inspection (listed first)' }, { n: rows.length, d: due })}</p>
            <div className="table-wrap">
              <table className="scen-sign-table">
                <thead><tr>
                  <th>{t({ zh: '店招', en: 'Sign' })}</th><th>{t({ zh: '责任人', en: 'Owner' })}</th><th>{t({ zh: '地址', en: 'Address' })}</th>
                  <th>{t({ zh: '上次巡查', en: 'Last inspection' })}</th><th>{t({ zh: '下次巡查', en: 'Next due' })}</th><th />
                </tr></thead>
                <tbody>
                  {rows.slice(0, shown).map((x) => {
                    const isDue = Date.parse(x.nextDueAt) <= now;
                    return (
                      <tr key={x.id} data-sign={x.id} className={isDue ? 'scen-due' : undefined}>
                        <td>{x.name} <span className="muted small">{x.id}</span></td>
                        <td>{x.ownerName} <span className="muted small">{x.ownerPhone ?? ''}</span></td>
                        <td>{x.address}</td>
                        <td>{fmtDate(x.lastInspectedAt, locale)}</td>
                        <td>{isDue ? <span className="scen-due-badge">{t({ zh: '待巡查', en: 'Due' })}</span> : fmtDate(x.nextDueAt, locale)}</td>
                        <td>{can('rule.manage') && <button type="button" className="btn small" onClick={() => setEditing(x)}>{t({ zh: '编辑', en: 'Edit' })}</button>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {rows.length > shown && <button type="button" className="btn" onClick={() => setShown((n) => n + 100)}>{t({ zh: '显示更多', en: 'Show more' })}</button>}
          </>
        )}
      </section>
    </div>
  );
}
