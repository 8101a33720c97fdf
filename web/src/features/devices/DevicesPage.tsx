/**
 * /devices — 设备管理 (issue 11 part 1): the device list with server-side filters (type, scenario, state, owner unit,
 * words), counts per state and paging; registering one device (its credential shown once); bulk import of CSV/XLSX
 * with the per-row report; setting a device's state (maintenance, fault, back online) and issuing a new credential.
 */
import { useMemo, useState } from 'react';
import { api, isApiError, useQuery, type BodyOf, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { Link } from '../../app/router.tsx';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Page } from '../../components/Page.tsx';
import { FileInput } from '../../components/FileInput.tsx';
import { FormError, Select, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { DeviceActions, SCENARIO_LABELS, SecretNotice, STATE_LABELS, STATES, StateBadge, typeName, type DeviceState, type DeviceType } from './shared.tsx';
import './devices.css';

const PAGE = 50;
type Filters = { q: string; typeId: string; scenario: string; ownerUnitId: string; state: '' | DeviceState };
type Report = ResponseOf<'/api/v1/devices/import', 'post'>;

function useUnits() {
  const { can } = useAuth();
  return useQuery((signal) => (can('unit.manage') ? api.GET('/api/v1/units', { signal }) : Promise.resolve({ items: [] as { id: string; name: string }[] })), []);
}

function RegisterForm({ types, onDone }: { types: readonly DeviceType[]; onDone: (deviceId: string, secret: string) => void }) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const empty = { id: '', typeId: types[0]?.id ?? '', name: '', vendor: '', model: '', lon: '', lat: '', attachmentKind: '', attachmentId: '', scenario: '', ownerUnitId: '' };
  const [f, setF] = useState(empty);
  const [err, setErr] = useState<{ field?: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof empty) => (e: { currentTarget: { value: string } }) => { const v = e.currentTarget.value; setF((o) => ({ ...o, [k]: v })); };
  const fe = (k: string) => (err?.field === k ? err.text : undefined);
  const submit = async () => {
    setBusy(true); setErr(null);
    const opt = (v: string) => (v.trim() ? v.trim() : null);
    const body: BodyOf<'/api/v1/devices', 'post'> = {
      id: f.id.trim(), typeId: f.typeId, name: f.name.trim(), vendor: opt(f.vendor), model: opt(f.model),
      lon: f.lon.trim() ? Number(f.lon) : null, lat: f.lat.trim() ? Number(f.lat) : null,
      attachmentKind: (opt(f.attachmentKind) as 'part' | 'place' | 'scenario' | null), attachmentId: opt(f.attachmentId), scenario: opt(f.scenario), ownerUnitId: opt(f.ownerUnitId),
    };
    try {
      const r = await api.POST('/api/v1/devices', { body });
      setF(empty);
      onDone(r.device.id, r.secret);
    } catch (e) { setErr({ field: isApiError(e) ? e.field : undefined, text: errorText(e) }); } finally { setBusy(false); }
  };
  return (
    <form className="card device-register" aria-label={t({ zh: '登记设备', en: 'Register a device' })} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h3>{t({ zh: '登记设备', en: 'Register a device' })}</h3>
      <div className="device-form-grid">
        <TextField name="id" label={t({ zh: '设备编号', en: 'Device id' })} required value={f.id} onChange={set('id')} error={fe('id')} hint={t({ zh: '字母、数字、_ . -（即 MQTT 用户名）', en: 'Letters, digits, _ . - (the MQTT user name)' })} />
        <Select name="typeId" label={t({ zh: '设备类型', en: 'Device type' })} required value={f.typeId} onChange={set('typeId')} error={fe('typeId')}
          options={types.map((ty) => ({ value: ty.id, label: locale === 'en' ? ty.en : ty.zh }))} />
        <TextField name="name" label={t({ zh: '名称', en: 'Name' })} required value={f.name} onChange={set('name')} error={fe('name')} />
        <TextField name="vendor" label={t({ zh: '厂商', en: 'Vendor' })} value={f.vendor} onChange={set('vendor')} error={fe('vendor')} />
        <TextField name="model" label={t({ zh: '型号', en: 'Model' })} value={f.model} onChange={set('model')} error={fe('model')} />
        <TextField name="lon" label={t({ zh: '经度', en: 'Longitude' })} inputMode="decimal" value={f.lon} onChange={set('lon')} error={fe('lon')} />
        <TextField name="lat" label={t({ zh: '纬度', en: 'Latitude' })} inputMode="decimal" value={f.lat} onChange={set('lat')} error={fe('lat')} />
        <Select name="attachmentKind" label={t({ zh: '挂接类型', en: 'Attached to' })} value={f.attachmentKind} onChange={set('attachmentKind')} error={fe('attachmentKind')} placeholder={t({ zh: '无', en: 'Nothing' })}
          options={[{ value: 'part', label: t({ zh: '部件', en: 'Part' }) }, { value: 'place', label: t({ zh: '场所', en: 'Place' }) }, { value: 'scenario', label: t({ zh: '场景', en: 'Scenario' }) }]} />
        <TextField name="attachmentId" label={t({ zh: '挂接对象', en: 'Attachment id' })} value={f.attachmentId} onChange={set('attachmentId')} error={fe('attachmentId')} />
        <TextField name="scenario" label={t({ zh: '场景', en: 'Scenario' })} value={f.scenario} onChange={set('scenario')} error={fe('scenario')} list="device-scenarios" />
        <TextField name="ownerUnitId" label={t({ zh: '权属单位', en: 'Owner unit' })} value={f.ownerUnitId} onChange={set('ownerUnitId')} error={fe('ownerUnitId')} list="device-units" />
      </div>
      <FormError>{err && !err.field ? err.text : undefined}</FormError>
      <button type="submit" className="primary" disabled={busy}>{t({ zh: '登记', en: 'Register' })}</button>
    </form>
  );
}

function ImportForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!file) return;
    setBusy(true); setErr(null); setReport(null);
    const fd = new FormData();
    fd.append('file', file, file.name);
    try { setReport(await api.upload('/api/v1/devices/import', fd)); onDone(); } catch (e) { setErr(errorText(e)); } finally { setBusy(false); }
  };
  return (
    <section className="card device-import" aria-label={t({ zh: '批量导入', en: 'Bulk import' })}>
      <h3>{t({ zh: '批量导入（CSV / XLSX）', en: 'Bulk import (CSV / XLSX)' })}</h3>
      <p className="muted small">{t({ zh: '表头：设备编号, 设备类型, 名称, 厂商, 型号, 经度, 纬度, 挂接类型, 挂接对象, 场景, 权属单位（或英文 id, typeId, name …）。导入的设备没有密钥，请逐个颁发。',
        en: 'Header: id, typeId, name, vendor, model, lon, lat, attachmentKind, attachmentId, scenario, ownerUnitId (or the Chinese names). Imported devices get no credential: issue one per device.' })}</p>
      <div className="device-import-row">
        <FileInput name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" label={t({ zh: '导入文件', en: 'File to import' })} onFiles={(fs) => setFile(fs[0] ?? null)} />
        <button type="button" className="primary" disabled={!file || busy} onClick={() => void submit()}>{t({ zh: '导入', en: 'Import' })}</button>
      </div>
      {err && <p className="error-text" role="alert">{err}</p>}
      {report && (
        <div role="status" className="device-import-report">
          <p>{t({ zh: '读取 {rows} 行：新增 {created}，更新 {updated}，拒绝 {rejected}。', en: '{rows} rows read: {created} new, {updated} updated, {rejected} refused.' },
            { rows: report.rows, created: report.created, updated: report.updated, rejected: report.rejected })}</p>
          {report.errors.length > 0 && (
            <div className="table-wrap">
              <table className="device-import-errors">
                <thead><tr><th>{t({ zh: '行', en: 'Row' })}</th><th>{t({ zh: '列', en: 'Column' })}</th><th>{t({ zh: '问题', en: 'Problem' })}</th></tr></thead>
                <tbody>{report.errors.map((e, i) => <tr key={i}><td>{e.row}</td><td>{e.field}</td><td>{e.message}</td></tr>)}</tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

export default function DevicesPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const canManage = can('device.manage');
  const [f, setF] = useState<Filters>({ q: '', typeId: '', scenario: '', ownerUnitId: '', state: '' });
  const [words, setWords] = useState('');
  const [offset, setOffset] = useState(0);
  const [panel, setPanel] = useState<'' | 'register' | 'import'>('');
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const types = useQuery((signal) => api.GET('/api/v1/device-types', { signal }), []);
  const units = useUnits();
  const list = useQuery((signal) => api.GET('/api/v1/devices', {
    params: { query: { ...(f.q ? { q: f.q } : {}), ...(f.typeId ? { typeId: f.typeId } : {}), ...(f.scenario ? { scenario: f.scenario } : {}),
      ...(f.ownerUnitId ? { ownerUnitId: f.ownerUnitId } : {}), ...(f.state ? { state: f.state } : {}), limit: PAGE, offset } }, signal,
  }), [f, offset]);
  const change = (patch: Partial<Filters>) => { setF((o) => ({ ...o, ...patch })); setOffset(0); };
  const scenarios = useMemo(() => [...new Set([...Object.keys(SCENARIO_LABELS), ...(types.data?.items ?? []).map((ty) => ty.scenario).filter((s): s is string => !!s)])], [types.data]);
  const counts = list.data?.byState ?? {};
  const all = STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const total = list.data?.total ?? 0;
  return (
    <Page title={t({ zh: '设备管理', en: 'Devices' })} className="devices-page"
      actions={<>
        <Link to="/devices/types">{t({ zh: '设备类型', en: 'Device types' })}</Link>
        {canManage && <button type="button" className={panel === 'register' ? 'primary' : 'btn'} onClick={() => setPanel(panel === 'register' ? '' : 'register')}>{t({ zh: '登记设备', en: 'Register' })}</button>}
        {canManage && <button type="button" className={panel === 'import' ? 'primary' : 'btn'} onClick={() => setPanel(panel === 'import' ? '' : 'import')}>{t({ zh: '批量导入', en: 'Import' })}</button>}
      </>}>
      <datalist id="device-scenarios">{scenarios.map((s) => <option key={s} value={s}>{SCENARIO_LABELS[s] ? t(SCENARIO_LABELS[s]) : s}</option>)}</datalist>
      <datalist id="device-units">{(units.data?.items ?? []).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}</datalist>
      {secret && <SecretNotice deviceId={secret.id} secret={secret.secret} onClose={() => setSecret(null)} />}
      {panel === 'register' && types.data && <RegisterForm types={types.data.items} onDone={(id, s) => { setSecret({ id, secret: s }); list.reload(); }} />}
      {panel === 'import' && <ImportForm onDone={list.reload} />}
      <div className="tabs device-state-tabs" role="tablist" aria-label={t({ zh: '按状态', en: 'By state' })}>
        <button type="button" role="tab" aria-selected={f.state === ''} className={`tab${f.state === '' ? ' active' : ''}`} onClick={() => change({ state: '' })}>
          {t({ zh: '全部', en: 'All' })} <span className="count" data-state="all">{all}</span>
        </button>
        {STATES.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={f.state === s} className={`tab${f.state === s ? ' active' : ''}`} onClick={() => change({ state: s })}>
            {t(STATE_LABELS[s])} <span className="count" data-state={s}>{counts[s] ?? 0}</span>
          </button>
        ))}
      </div>
      <form className="device-filters" role="search" onSubmit={(e) => { e.preventDefault(); change({ q: words.trim() }); }}>
        <label>{t({ zh: '关键词', en: 'Words' })} <input name="q" value={words} onChange={(e) => setWords(e.currentTarget.value)} placeholder={t({ zh: '编号或名称', en: 'Id or name' })} /></label>
        <label>{t({ zh: '类型', en: 'Type' })}{' '}
          <select name="typeId" value={f.typeId} onChange={(e) => change({ typeId: e.currentTarget.value })}>
            <option value="">{t({ zh: '全部', en: 'All' })}</option>
            {(types.data?.items ?? []).map((ty) => <option key={ty.id} value={ty.id}>{locale === 'en' ? ty.en : ty.zh}</option>)}
          </select>
        </label>
        <label>{t({ zh: '场景', en: 'Scenario' })}{' '}
          <select name="scenario" value={f.scenario} onChange={(e) => change({ scenario: e.currentTarget.value })}>
            <option value="">{t({ zh: '全部', en: 'All' })}</option>
            {scenarios.map((s) => <option key={s} value={s}>{SCENARIO_LABELS[s] ? t(SCENARIO_LABELS[s]) : s}</option>)}
          </select>
        </label>
        <label>{t({ zh: '权属单位', en: 'Owner unit' })}{' '}
          {units.data?.items.length
            ? <select name="ownerUnitId" value={f.ownerUnitId} onChange={(e) => change({ ownerUnitId: e.currentTarget.value })}>
              <option value="">{t({ zh: '全部', en: 'All' })}</option>
              {units.data.items.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
            </select>
            : <input name="ownerUnitId" value={f.ownerUnitId} onChange={(e) => change({ ownerUnitId: e.currentTarget.value.trim() })} placeholder={t({ zh: '单位编号', en: 'Unit id' })} />}
        </label>
        <button type="submit" className="btn">{t({ zh: '查询', en: 'Search' })}</button>
      </form>
      {list.error && !list.data ? <ErrorState error={list.error} onRetry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? (
        <EmptyState title={t({ zh: '没有符合条件的设备', en: 'No devices match' })} />
      ) : (
        <>
          <div className="table-wrap">
            <table className="device-table">
              <thead><tr>
                <th>{t({ zh: '设备编号', en: 'Id' })}</th><th>{t({ zh: '名称', en: 'Name' })}</th><th>{t({ zh: '类型', en: 'Type' })}</th><th>{t({ zh: '状态', en: 'State' })}</th>
                <th>{t({ zh: '位置', en: 'Place' })}</th><th>{t({ zh: '权属单位', en: 'Owner unit' })}</th><th>{t({ zh: '最后上报', en: 'Last seen' })}</th>{canManage && <th>{t({ zh: '操作', en: 'Actions' })}</th>}
              </tr></thead>
              <tbody>
                {list.data.items.map((d) => (
                  <tr key={d.id} data-device={d.id}>
                    <td><Link to={`/devices/${encodeURIComponent(d.id)}`}>{d.id}</Link></td>
                    <td>{d.name}</td><td>{d.type?.name ?? typeName(types.data?.items, d.typeId, locale)}</td><td><StateBadge state={d.state} /></td>
                    <td>{[d.street?.name, d.community?.name].filter(Boolean).join(' · ') || '—'}</td>
                    <td>{d.ownerUnit?.name ?? '—'}</td>
                    <td>{d.lastSeenAt ? formatDateTime(d.lastSeenAt, locale) : '—'}</td>
                    {canManage && <td><DeviceActions d={d} onChanged={list.reload} onSecret={(id, s) => setSecret({ id, secret: s })} /></td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label={t({ zh: '翻页', en: 'Pages' })}>
            <button type="button" className="btn" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t({ zh: '上一页', en: 'Previous' })}</button>
            <span data-testid="device-total">{t({ zh: '第 {a}–{b} 条，共 {n} 条', en: '{a}–{b} of {n}' }, { a: offset + 1, b: Math.min(offset + PAGE, total), n: total })}</span>
            <button type="button" className="btn" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>{t({ zh: '下一页', en: 'Next' })}</button>
          </nav>
        </>
      )}
    </Page>
  );
}
