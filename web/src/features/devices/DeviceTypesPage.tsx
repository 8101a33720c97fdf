/**
 * /devices/types — device types with their measurements, units and valid ranges (read-only here: types are written
 * over PUT /api/v1/device-types/{id} or by a scenario pack), and, for administrators, the city's reading limits
 * (settings row sensing_limits: future skew, oldest reading, batch size, flood control, retention, offline factor).
 */
import { useEffect, useState } from 'react';
import { api, isApiError, useQuery, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { Link } from '../../app/router.tsx';
import { useI18n, type Msg } from '../../app/i18n.ts';
import { Page } from '../../components/Page.tsx';
import { FormError, TextField } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { SCENARIO_LABELS } from './shared.tsx';
import './devices.css';

type Limits = ResponseOf<'/api/v1/sensing/limits', 'get'>;
type LimitKey = keyof Limits;
/** Each limit in the unit people think in (minutes, days), with the factor to the stored value. */
const LIMITS: { key: LimitKey; label: Msg; unit: Msg; factor: number }[] = [
  { key: 'maxFutureMs', label: { zh: '允许超前时间', en: 'Future skew allowed' }, unit: { zh: '分钟', en: 'minutes' }, factor: 60_000 },
  { key: 'maxAgeMs', label: { zh: '最旧读数', en: 'Oldest reading accepted' }, unit: { zh: '天', en: 'days' }, factor: 86_400_000 },
  { key: 'maxBatch', label: { zh: '每条消息最多读数', en: 'Readings per message' }, unit: { zh: '条', en: '' }, factor: 1 },
  { key: 'ratePerSecond', label: { zh: '防刷：每秒读数（每设备）', en: 'Flood: readings per second per device' }, unit: { zh: '条/秒', en: '/s' }, factor: 1 },
  { key: 'burst', label: { zh: '防刷：突发上限', en: 'Flood: burst' }, unit: { zh: '条', en: '' }, factor: 1 },
  { key: 'rawDays', label: { zh: '原始读数保留', en: 'Keep raw readings' }, unit: { zh: '天', en: 'days' }, factor: 1 },
  { key: 'minuteDays', label: { zh: '分钟汇总保留', en: 'Keep minute rollups' }, unit: { zh: '天', en: 'days' }, factor: 1 },
  { key: 'hourDays', label: { zh: '小时汇总保留', en: 'Keep hour rollups' }, unit: { zh: '天', en: 'days' }, factor: 1 },
  { key: 'offlineFactor', label: { zh: '离线判定（心跳周期倍数）', en: 'Offline after heartbeat ×' }, unit: { zh: '倍', en: '×' }, factor: 1 },
];

function LimitsForm() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const q = useQuery((signal) => api.GET('/api/v1/sensing/limits', { signal }), []);
  const [f, setF] = useState<Record<string, string>>({});
  const [err, setErr] = useState<{ field?: string; text: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (q.data) setF(Object.fromEntries(LIMITS.map((l) => [l.key, String(q.data![l.key] / l.factor)]))); }, [q.data]);
  if (q.error && !q.data) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading inline />;
  const save = async () => {
    setBusy(true); setErr(null); setSaved(false);
    const body: Partial<Limits> = {};
    for (const l of LIMITS) {
      const v = Number(f[l.key]);
      if (!f[l.key]?.trim() || !Number.isFinite(v)) { setErr({ field: `body.${l.key}`, text: t({ zh: '请填写数字', en: 'Enter a number' }) }); setBusy(false); return; }
      body[l.key] = Math.round(v * l.factor * 1000) / 1000;
    }
    try { await api.PUT('/api/v1/sensing/limits', { body }); setSaved(true); q.reload(); } catch (e) { setErr({ field: isApiError(e) ? e.field : undefined, text: errorText(e) }); } finally { setBusy(false); }
  };
  return (
    <form className="card device-limits" aria-label={t({ zh: '接入限值', en: 'Reading limits' })} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h3>{t({ zh: '接入限值', en: 'Reading limits' })}</h3>
      <p className="muted small">{t({ zh: '超出限值的读数会被拒收并按设备计数；修改立即生效。', en: 'Readings outside these limits are refused and counted per device; changes apply at once.' })}</p>
      <div className="device-form-grid">
        {LIMITS.map((l) => (
          <TextField key={l.key} name={l.key} inputMode="decimal" label={`${t(l.label)}${t(l.unit) ? `（${t(l.unit)}）` : ''}`} value={f[l.key] ?? ''}
            onChange={(e) => { const v = e.currentTarget.value; setF((o) => ({ ...o, [l.key]: v })); }} error={err?.field === `body.${l.key}` ? err.text : undefined} />
        ))}
      </div>
      <FormError>{err && !err.field?.startsWith('body.') ? err.text : undefined}</FormError>
      <button type="submit" className="primary" disabled={busy}>{t({ zh: '保存', en: 'Save' })}</button>
      {saved && <span role="status" className="ok-text"> {t({ zh: '已保存', en: 'Saved' })}</span>}
    </form>
  );
}

export default function DeviceTypesPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const q = useQuery((signal) => api.GET('/api/v1/device-types', { signal }), []);
  return (
    <Page title={t({ zh: '设备类型', en: 'Device types' })} className="device-types-page" actions={<Link to="/devices">{t({ zh: '返回设备列表', en: 'Back to devices' })}</Link>}>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading /> : (
        <div className="device-types">
          {q.data.items.length === 0 && <p className="muted">{t({ zh: '还没有设备类型。', en: 'No device types yet.' })}</p>}
          {q.data.items.map((ty) => (
            <section key={ty.id} className="card" aria-label={locale === 'en' ? ty.en : ty.zh}>
              <h3>{locale === 'en' ? ty.en : ty.zh} <span className="muted small">{ty.id}</span></h3>
              <p className="muted small">
                {t({ zh: '场景', en: 'Scenario' })}：{ty.scenario ? (SCENARIO_LABELS[ty.scenario] ? t(SCENARIO_LABELS[ty.scenario]!) : ty.scenario) : '—'} ·{' '}
                {t({ zh: '心跳 {s} 秒', en: 'heartbeat {s} s' }, { s: ty.heartbeatSeconds })}
              </p>
              <div className="table-wrap">
                <table className="device-measurements">
                  <thead><tr><th>{t({ zh: '测量项', en: 'Measurement' })}</th><th>{t({ zh: '键', en: 'Key' })}</th><th>{t({ zh: '单位', en: 'Unit' })}</th><th>{t({ zh: '有效范围', en: 'Valid range' })}</th></tr></thead>
                  <tbody>
                    {ty.measurements.map((m) => (
                      <tr key={m.key}>
                        <td>{locale === 'en' ? m.en : m.zh}</td><td><code>{m.key}</code></td><td>{m.unit || '—'}</td>
                        <td>{m.kind === 'boolean' ? t({ zh: '是/否', en: 'yes/no' }) : `${m.min ?? '−∞'} – ${m.max ?? '+∞'}`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
        </div>
      )}
      {can('device.manage') && <LimitsForm />}
    </Page>
  );
}
