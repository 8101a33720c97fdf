/**
 * The 体征阈值 tab (rule.manage): the warn / alert lines of the city's vital signs and the crowd tiers 黄/橙/红
 * (% of capacity), saved with PUT /api/v1/vitals/settings; the server's field errors are shown beside their fields.
 */
import { useEffect, useState } from 'react';
import { api, isApiError, useQuery } from '../../app/api.ts';
import { useI18n, type Msg } from '../../app/i18n.ts';
import { FormError, TextField } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { fieldOf, type VitalSettings } from './shared.ts';

type Group = 'openAlarms' | 'waterloggingPoints' | 'onlineRate' | 'intakeRatio';
const LINES: { key: Group; label: Msg; unit: Msg }[] = [
  { key: 'openAlarms', label: { zh: '未处理告警', en: 'Open alarms' }, unit: { zh: '条', en: '' } },
  { key: 'waterloggingPoints', label: { zh: '积水点位', en: 'Waterlogging points' }, unit: { zh: '个', en: '' } },
  { key: 'onlineRate', label: { zh: '设备在线率（越低越差）', en: 'Devices online (lower is worse)' }, unit: { zh: '%', en: '%' } },
  { key: 'intakeRatio', label: { zh: '今日受理量 / 常态', en: 'Intake today / usual' }, unit: { zh: '倍', en: '×' } },
];
const TIERS: { key: keyof VitalSettings['crowdTiers']; label: Msg }[] = [
  { key: 'yellow', label: { zh: '黄色', en: 'Yellow' } }, { key: 'orange', label: { zh: '橙色', en: 'Orange' } }, { key: 'red', label: { zh: '红色', en: 'Red' } },
];
const FIELDS = [...LINES.flatMap((l) => [`${l.key}.warn`, `${l.key}.alert`]), ...TIERS.map((x) => `crowdTiers.${x.key}`)];

const flatten = (v: VitalSettings): Record<string, string> => Object.fromEntries([
  ...LINES.flatMap((l) => [[`${l.key}.warn`, String(v[l.key].warn)], [`${l.key}.alert`, String(v[l.key].alert)]]),
  ...TIERS.map((x) => [`crowdTiers.${x.key}`, String(v.crowdTiers[x.key])]),
]);

export function VitalSettingsForm() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const q = useQuery((signal) => api.GET('/api/v1/vitals/settings', { signal }), []);
  const [f, setF] = useState<Record<string, string>>({});
  const [err, setErr] = useState<{ field?: string; text: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (q.data) setF(flatten(q.data)); }, [q.data]);
  if (q.error && !q.data) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading inline />;
  const save = async () => {
    setErr(null); setSaved(false);
    const n: Record<string, number> = {};
    for (const k of FIELDS) {
      const v = Number(f[k]);
      if (!f[k]?.trim() || !Number.isFinite(v)) { setErr({ field: k, text: t({ zh: '请填写数字', en: 'Enter a number' }) }); return; }
      n[k] = v;
    }
    const pair = (g: Group) => ({ warn: n[`${g}.warn`]!, alert: n[`${g}.alert`]! });
    const body: VitalSettings = {
      openAlarms: pair('openAlarms'), waterloggingPoints: pair('waterloggingPoints'), onlineRate: pair('onlineRate'), intakeRatio: pair('intakeRatio'),
      crowdTiers: { yellow: n['crowdTiers.yellow']!, orange: n['crowdTiers.orange']!, red: n['crowdTiers.red']! },
    };
    setBusy(true);
    try { await api.PUT('/api/v1/vitals/settings', { body }); setSaved(true); q.reload(); } catch (e) {
      setErr({ field: isApiError(e) ? fieldOf(e.field) : undefined, text: errorText(e) });
    } finally { setBusy(false); }
  };
  const field = (k: string, label: string) => (
    <TextField key={k} name={k} inputMode="decimal" label={label} value={f[k] ?? ''}
      onChange={(e) => { const v = e.currentTarget.value; setF((o) => ({ ...o, [k]: v })); setSaved(false); }} error={err?.field === k ? err.text : undefined} />
  );
  const title = t({ zh: '体征阈值', en: 'Vital-sign lines' });
  return (
    <form className="card scen-vitals" aria-label={title} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <h3>{title}</h3>
      <p className="muted small">{t({ zh: '大屏城市体征按这些线显示黄色（预警）与红色（告警）；客流分级按容量百分比。', en: 'The big screen shows each vital sign amber (warn) or red (alert) by these lines; crowd tiers are % of capacity.' })}</p>
      {LINES.map((l) => {
        const unit = t(l.unit) ? `（${t(l.unit)}）` : '';
        return (
          <fieldset key={l.key} className="scen-fieldset">
            <legend>{t(l.label)}</legend>
            <div className="scen-form-grid">
              {field(`${l.key}.warn`, `${t({ zh: '预警线', en: 'Warn line' })}${unit}`)}
              {field(`${l.key}.alert`, `${t({ zh: '告警线', en: 'Alert line' })}${unit}`)}
            </div>
          </fieldset>
        );
      })}
      <fieldset className="scen-fieldset">
        <legend>{t({ zh: '客流分级（容量 %）', en: 'Crowd tiers (% of capacity)' })}</legend>
        <div className="scen-form-grid">{TIERS.map((x) => field(`crowdTiers.${x.key}`, `${t(x.label)} ≥ %`))}</div>
      </fieldset>
      <FormError>{err && !FIELDS.includes(err.field ?? '') ? err.text : undefined}</FormError>
      <button type="submit" className="btn btn-primary" disabled={busy}>{t({ zh: '保存', en: 'Save' })}</button>
      {saved && <span role="status" className="ok-text"> {t({ zh: '已保存', en: 'Saved' })}</span>}
    </form>
  );
}
