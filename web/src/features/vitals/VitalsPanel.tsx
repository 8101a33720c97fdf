/**
 * The city's vital signs (城市体征, issue 11 part 7) on the big screen: each indicator with its level (normal /
 * warn / alert against its thresholds) and, for open alarms, a 24-hour sparkline. Refreshes every 30 s (useVitals).
 */
import { useEffect } from 'react';
import { api, useQuery, type QueryState, type ResponseOf } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import './vitals.css';

const SCENARIO: Record<string, { zh: string; en: string }> = {
  waterlogging: { zh: '积水', en: 'Waterlogging' }, manhole: { zh: '井盖', en: 'Manholes' }, elderly_water: { zh: '独居老人', en: 'Lone elderly' },
  video: { zh: '视频AI', en: 'Video AI' }, other: { zh: '其他', en: 'Other' },
};

function Sparkline({ values }: { values: number[] }) {
  const max = Math.max(1, ...values);
  const pts = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * 100},${20 - (v / max) * 18}`).join(' ');
  return <svg className="vs-spark" viewBox="0 0 100 20" preserveAspectRatio="none" aria-hidden="true"><polyline points={pts} /></svg>;
}

export type Vitals = ResponseOf<'/api/v1/vitals', 'get'>;

/** GET /api/v1/vitals, refreshed every 30 s: one poll for the panel and the map's crowd layer (crowdLayer.ts). */
export function useVitals(): QueryState<Vitals> {
  const q = useQuery((signal) => api.GET('/api/v1/vitals', { signal }), []);
  const { reload } = q;
  useEffect(() => { const id = setInterval(reload, 30_000); return () => clearInterval(id); }, [reload]);
  return q;
}

export function VitalsPanel({ vitals: q }: { vitals: QueryState<Vitals> }) {
  const { t } = useI18n();
  // crowd_load is already in % (of capacity); the online rate is a fraction
  const fmt = (v: number | null, unit: string, key = '') => (v === null ? '—' : key === 'crowd_load' ? `${v}%`
    : unit === '%' ? `${(v * 100).toFixed(1)}%` : unit === '×' ? `${v}×` : String(v));
  const TIER: Record<string, { zh: string; en: string }> = { yellow: { zh: '黄', en: 'Y' }, orange: { zh: '橙', en: 'O' }, red: { zh: '红', en: 'R' } };
  return (
    <section className="bs-panel vs-panel" aria-label={t({ zh: '城市体征', en: 'City vital signs' })} data-testid="bs-vitals">
      <h2 className="bs-panel-title">{t({ zh: '城市体征', en: 'City vital signs' })}</h2>
      <div className="bs-panel-body vs-grid">
        {!q.data ? <p className="bs-empty">{q.error ? t({ zh: '体征暂不可用', en: 'Vital signs unavailable' }) : '…'}</p> : q.data.indicators.map((i) => (
          <div key={i.key} className={`vs-item vs-${i.level}`} data-key={i.key} data-level={i.level}>
            <div className="vs-label">{t({ zh: i.zh, en: i.en })}</div>
            <div className="vs-value" title={`${t({ zh: '警戒线', en: 'Lines' })} ${fmt(i.thresholds.warn, i.unit, i.key)} / ${fmt(i.thresholds.alert, i.unit, i.key)}`}>{fmt(i.value, i.unit, i.key)}</div>
            {i.trend && <Sparkline values={i.trend} />}
            {i.key === 'open_alarms' && i.breakdown && i.breakdown.length > 0 && (
              <div className="vs-breakdown">{i.breakdown.slice(0, 3).map((b) => `${t(SCENARIO[b.key] ?? { zh: b.key, en: b.key })} ${b.value}`).join(' · ')}</div>
            )}
            {i.key === 'crowd_load' && i.areas && i.areas.length > 0 && (
              <div className="vs-breakdown" data-testid="vs-crowd-areas">{i.areas.slice(0, 3).map((a) => `${a.name.split(' ')[0]} ${a.load}%${TIER[a.tier] ? `·${t(TIER[a.tier])}` : ''}`).join(' · ')}</div>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}
