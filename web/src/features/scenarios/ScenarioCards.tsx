/**
 * The 场景 tab: one card per scenario pack — its name, installed or an install button (rule.manage), devices by
 * state, open alarms (linking to the alarm desk) and key readings (the values of its newest raised alarms, linking
 * to their cases). The crowd card lists each counted area with its load % coloured by the settings' tiers.
 */
import { useState } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { Link } from '../../app/router.tsx';
import { useI18n } from '../../app/i18n.ts';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { STATES, StateBadge } from '../devices/shared.tsx';
import { TIER_LABELS, URGENCY_LABELS, fmtTime, type CrowdArea, type Scenario, type VitalSettings } from './shared.ts';

function CrowdAreas({ areas, tiers }: { areas: readonly CrowdArea[]; tiers: VitalSettings['crowdTiers'] | undefined }) {
  const { t } = useI18n();
  const sorted = [...areas].sort((a, b) => b.load - a.load);
  return (
    <div className="scen-crowd" aria-label={t({ zh: '区域客流', en: 'Crowd by area' })}>
      {tiers && (
        <p className="muted small scen-tier-legend">
          <span className="scen-tier scen-tier-yellow">{t(TIER_LABELS.yellow)} ≥ {tiers.yellow}%</span>{' '}
          <span className="scen-tier scen-tier-orange">{t(TIER_LABELS.orange)} ≥ {tiers.orange}%</span>{' '}
          <span className="scen-tier scen-tier-red">{t(TIER_LABELS.red)} ≥ {tiers.red}%</span>
        </p>
      )}
      {sorted.length === 0 ? <p className="muted small">{t({ zh: '暂无客流读数。', en: 'No crowd readings yet.' })}</p> : (
        <ul className="scen-areas">
          {sorted.slice(0, 8).map((a) => (
            <li key={a.id} data-tier={a.tier}>
              <span className="scen-area-name">{a.name}</span>
              <span className={`scen-tier scen-tier-${a.tier}`} title={t(TIER_LABELS[a.tier])}>{Math.round(a.load)}%</span>
              <span className="muted small">{a.count}/{a.capacity}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ScenarioCard({ s, areas, tiers, onChanged }: { s: Scenario; areas: readonly CrowdArea[]; tiers?: VitalSettings['crowdTiers']; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const name = locale === 'en' ? s.en : s.zh;
  const unitOf = (key: string) => s.types.flatMap((ty) => ty.measurements).find((m) => m.key === key);
  const install = async () => {
    setBusy(true); setErr(null);
    try {
      const r = await api.POST('/api/v1/scenarios/{id}/install', { params: { path: { id: s.id } } });
      setAdded(t({ zh: '已添加 {m} 个事项、{ty} 个设备类型、{r} 条规则', en: 'Added {m} matters, {ty} device types, {r} rules' },
        { m: r.matters.length, ty: r.types.length, r: r.rules.length }));
      onChanged();
    } catch (e) { setErr(errorText(e)); } finally { setBusy(false); }
  };
  const total = Object.values(s.devices).reduce((a, b) => a + b, 0);
  return (
    <section className="card scen-card" aria-label={name} data-scenario={s.id}>
      <header className="scen-card-head">
        <h3>{name} <span className="muted small">{locale === 'en' ? s.zh : s.en}</span></h3>
        {s.installed
          ? <span className="scen-installed">{t({ zh: '已安装', en: 'Installed' })}</span>
          : can('rule.manage')
            ? <button type="button" className="btn btn-primary small" disabled={busy} onClick={() => void install()}>{t({ zh: '安装', en: 'Install' })}</button>
            : <span className="muted small">{t({ zh: '未安装', en: 'Not installed' })}</span>}
      </header>
      {added && <p role="status" className="ok-text small">{added}</p>}
      {err && <p role="alert" className="error-text small">{err}</p>}
      <p className="muted small">
        {t({ zh: '{n} 类设备 · {r} 条规则', en: '{n} device types · {r} rules' }, { n: s.types.length, r: s.rules.filter((r) => r.installed).length })}
      </p>
      <div className="scen-devices" aria-label={t({ zh: '设备状态', en: 'Devices by state' })}>
        <span>{t({ zh: '设备 {n} 台', en: '{n} devices' }, { n: total })}</span>
        {STATES.filter((st) => s.devices[st]).map((st) => <span key={st} className="scen-dev"><StateBadge state={st} /> {s.devices[st]}</span>)}
      </div>
      <p className="scen-alarms">
        {s.openAlarms > 0
          ? <Link to="/alarms" className="scen-alarm-link">{t({ zh: '未处理告警 {n} 条', en: '{n} open alarms' }, { n: s.openAlarms })}</Link>
          : <span className="muted">{t({ zh: '无未处理告警', en: 'No open alarms' })}</span>}
      </p>
      {s.keyReadings.length > 0 && (
        <ul className="scen-readings" aria-label={t({ zh: '关键读数', en: 'Key readings' })}>
          {s.keyReadings.map((k) => (
            <li key={k.alarmId}>
              <span className="scen-reading-values">
                {Object.entries(k.values).map(([key, v]) => {
                  const m = unitOf(key);
                  return <span key={key}>{m ? (locale === 'en' ? m.en : m.zh) : key} {Math.round(v * 100) / 100}{m?.unit ? ` ${m.unit}` : ''}</span>;
                })}
              </span>
              <span className="muted small">
                {k.deviceId} · {URGENCY_LABELS[k.urgency] ? t(URGENCY_LABELS[k.urgency]!) : k.urgency} · {fmtTime(k.raisedAt, locale)}
                {k.caseId !== null && <> · <Link to={`/cases/${k.caseId}`}>{t({ zh: '案件 {id}', en: 'Case {id}' }, { id: k.caseId })}</Link></>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {s.id === 'crowd' && <CrowdAreas areas={areas} tiers={tiers} />}
    </section>
  );
}

export function ScenarioCards() {
  const { t } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/scenarios', { signal }), []);
  const vitals = useQuery((signal) => api.GET('/api/v1/vitals', { signal }), []);
  const areas = vitals.data?.indicators.find((i) => i.key === 'crowd_load')?.areas ?? [];
  if (q.error && !q.data) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading />;
  if (q.data.items.length === 0) return <p className="muted card">{t({ zh: '没有场景。', en: 'No scenarios.' })}</p>;
  return (
    <div className="scen-cards">
      {q.data.items.map((s) => <ScenarioCard key={s.id} s={s} areas={areas} tiers={vitals.data?.crowdTiers} onChanged={() => { q.reload(); vitals.reload(); }} />)}
    </div>
  );
}
