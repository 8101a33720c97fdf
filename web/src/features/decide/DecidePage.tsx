/**
 * /decide — a leader's analysis page (issue 10 part 5): the hotspot map (unit grids coloured by reports, or H3
 * hexagons whose size follows the zoom), the monthly trend with this month against last month and the same month
 * last year, the recurring problems (a click shows their reports on the map), 每月一题 and 未诉先办 with their
 * actions. Offline: our own GeoJSON layers only.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { formatDate, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { MapView, type MapLayer, type MapLibreMap } from '../../components/MapView.tsx';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { HEAT, type HotspotQuery, useHotspotLayer } from './hotspotLayer.ts';
import { ProactiveList, TopicList } from './DecisionLists.tsx';
import './decide.css';

type PeriodChoice = '90d' | 'week' | 'month' | 'quarter';
const PERIODS: { value: PeriodChoice; zh: string; en: string }[] = [
  { value: '90d', zh: '近90天', en: 'Last 90 days' }, { value: 'week', zh: '本周', en: 'This week' },
  { value: 'month', zh: '本月', en: 'This month' }, { value: 'quarter', zh: '本季度', en: 'This quarter' },
];
const pct = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${Math.round(x * 100)}%`);

export default function DecidePage() {
  const { t, locale } = useI18n();
  const [period, setPeriod] = useState<PeriodChoice>('90d');
  const [layer, setLayer] = useState<'grid' | 'h3'>('grid');
  const [zoom, setZoom] = useState(11);
  const [matter, setMatter] = useState('');
  const [problemId, setProblemId] = useState<number | undefined>();
  const query: HotspotQuery = useMemo(() => ({ ...(period === '90d' ? {} : { period }), ...(matter ? { matter } : {}) }), [period, matter]);

  const grid = useQuery((signal) => (layer === 'grid' ? api.GET('/api/v1/decide/hotspots', { params: { query: { ...query, layer: 'grid' } }, signal }) : Promise.resolve(undefined)), [layer, query]);
  const hex = useHotspotLayer(layer === 'h3', { ...query, zoom: Math.round(zoom) }, 0.65);
  const trend = useQuery((signal) => api.GET('/api/v1/decide/trends', { params: { query: matter ? { matter } : {} }, signal }), [matter]);
  const recurring = useQuery((signal) => api.GET('/api/v1/decide/recurring', { params: { query: matter ? { matter } : {} }, signal }), [matter]);
  const problem = useQuery((signal) => (problemId ? api.GET('/api/v1/decide/recurring/{id}', { params: { path: { id: String(problemId) } }, signal }) : Promise.resolve(undefined)), [problemId]);

  // Grid layer: colour the console's own grid features by count (feature state), cleared on every change.
  const mapRef = useRef<MapLibreMap | undefined>(undefined);
  const [mapReady, setMapReady] = useState(false);
  const [coloured, setColoured] = useState(0);
  const onReady = useCallback((map: MapLibreMap) => {
    mapRef.current = map;
    map.on('zoomend', () => setZoom(map.getZoom()));
    setZoom(map.getZoom());
    setMapReady(true);
  }, []);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !mapReady || !map.getSource('grids')) return;
    map.removeFeatureState({ source: 'grids' });
    let n = 0;
    if (layer === 'grid' && grid.data) {
      const max = Math.max(grid.data.max, 1);
      for (const f of grid.data.features) {
        const r = f.properties.count / max;
        map.setFeatureState({ source: 'grids', id: f.id }, { color: HEAT[Math.min(HEAT.length - 1, Math.floor(r * (HEAT.length - 1) + 0.5))], opacity: 0.75 });
        n++;
      }
    }
    setColoured(n);
  }, [grid.data, layer, mapReady]);

  const problemLayer = useMemo<MapLayer | undefined>(() => (problem.data ? {
    id: 'problem-cases', type: 'circle',
    data: { type: 'FeatureCollection', features: problem.data.cases.filter((c) => c.lon !== null && c.lat !== null).map((c) => ({ type: 'Feature', properties: { id: c.id, caseNo: c.caseNo }, geometry: { type: 'Point', coordinates: [c.lon!, c.lat!] } })) },
    paint: { 'circle-color': '#1565c0', 'circle-radius': 6, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
  } : undefined), [problem.data]);
  useEffect(() => {
    const p = problem.data?.problem.place;
    if (p && p.lon !== null && p.lat !== null) mapRef.current?.flyTo({ center: [p.lon, p.lat], zoom: Math.max(mapRef.current.getZoom(), 14) });
  }, [problem.data]);
  const layers = useMemo(() => [hex.layer, problemLayer].filter((l): l is MapLayer => !!l), [hex.layer, problemLayer]);
  const cells = layer === 'grid' ? coloured : hex.data?.features.length ?? 0;
  const total = layer === 'grid' ? grid.data?.total : hex.data?.total;

  const trendOption = useMemo<ChartOption | undefined>(() => trend.data && {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'category', data: trend.data.months.map((m) => m.month) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'line', name: t({ zh: '上报量', en: 'Reports' }), data: trend.data.months.map((m) => m.count), smooth: true, areaStyle: { opacity: 0.15 },
      markPoint: { data: [{ coord: [trend.data.current.month, trend.data.current.count], value: trend.data.current.count }] } }],
  }, [trend.data, t]);

  return (
    <Page title={t({ zh: '研判分析', en: 'Analysis' })}>
      <div className="decide-filters card" role="group" aria-label={t({ zh: '筛选', en: 'Filters' })}>
        <span className="decide-seg" role="radiogroup" aria-label={t({ zh: '时段', en: 'Period' })}>
          {PERIODS.map((p) => (
            <button key={p.value} type="button" role="radio" aria-checked={period === p.value} className={`btn m-btn-small${period === p.value ? ' btn-primary' : ''}`} onClick={() => setPeriod(p.value)}>{t(p)}</button>
          ))}
        </span>
        <span className="decide-seg" role="radiogroup" aria-label={t({ zh: '图层', en: 'Layer' })}>
          <button type="button" role="radio" aria-checked={layer === 'grid'} data-testid="layer-grid" className={`btn m-btn-small${layer === 'grid' ? ' btn-primary' : ''}`} onClick={() => setLayer('grid')}>{t({ zh: '网格', en: 'Grids' })}</button>
          <button type="button" role="radio" aria-checked={layer === 'h3'} data-testid="layer-h3" className={`btn m-btn-small${layer === 'h3' ? ' btn-primary' : ''}`} onClick={() => setLayer('h3')}>{t({ zh: '六边形热力', en: 'Hexagons' })}</button>
        </span>
        <label className="decide-matter">{t({ zh: '事项编码', en: 'Matter code' })}
          <input value={matter} onChange={(e) => setMatter(e.target.value.trim())} placeholder={t({ zh: '全部', en: 'all' })} size={8} maxLength={16} />
        </label>
        <span className="muted small">{t({ zh: '共 {n} 件上报', en: '{n} reports' }, { n: total ?? '…' })}</span>
      </div>
      {(grid.error || hex.error) ? <ErrorState error={grid.error ?? hex.error} /> : null}
      <div className="decide-layout">
        <div className="card decide-map" data-testid="decide-map" data-map-ready={mapReady ? 'true' : 'false'} data-layer={layer} data-cells={cells}
          data-problem-cases={problem.data?.cases.length ?? 0}>
          <MapView height={560} layers={layers} onReady={onReady} show={{ districts: true, streets: true, communities: false, grids: true }}
            aria-label={t({ zh: '热点地图', en: 'Hotspot map' })} />
          <div className="decide-legend" aria-label={t({ zh: '图例', en: 'Legend' })}>
            <span>{t({ zh: '少', en: 'few' })}</span>{HEAT.map((c) => <i key={c} style={{ background: c }} />)}<span>{t({ zh: '多', en: 'many' })}</span>
            {layer === 'h3' && hex.data ? <span className="muted small">H3 {hex.data.resolution}</span> : null}
          </div>
        </div>
        <div className="decide-side">
          <section className="card" aria-labelledby="trend-h">
            <h2 id="trend-h">{t({ zh: '趋势与同比', en: 'Trend and seasonality' })}</h2>
            {trend.error ? <ErrorState error={trend.error} /> : !trend.data ? <Loading inline /> : (
              <>
                <p className="decide-compare" data-testid="trend-compare">
                  {t({ zh: '本月 {n} 件', en: 'This month {n}' }, { n: trend.data.current.count })} ·{' '}
                  {t({ zh: '环比 {p}', en: 'vs last month {p}' }, { p: pct(trend.data.previousMonth.change) })} ·{' '}
                  {t({ zh: '同比（{m}）{p}', en: 'vs {m} {p}' }, { m: trend.data.sameMonthLastYear.month, p: pct(trend.data.sameMonthLastYear.change) })}
                </p>
                <Chart option={trendOption!} height={200} aria-label={t({ zh: '月度上报趋势', en: 'Reports per month' })} />
              </>
            )}
          </section>
          <section className="card" aria-labelledby="rec-h">
            <h2 id="rec-h">{t({ zh: '高频重复问题', en: 'Recurring problems' })}</h2>
            {recurring.data ? <p className="muted small">{t({ zh: '同一地点 {r} 米内、同一事项，{d} 天内 {n} 次及以上', en: 'Same matter within {r} m, {n}+ times in {d} days' }, { r: recurring.data.settings.radiusMeters, d: recurring.data.settings.windowDays, n: recurring.data.settings.minCount })}</p> : null}
            {recurring.error ? <ErrorState error={recurring.error} /> : !recurring.data ? <Loading inline /> : recurring.data.items.length === 0
              ? <p className="muted">{t({ zh: '暂无重复问题。', en: 'No recurring problems.' })}</p>
              : (
                <ul className="decide-list" data-testid="recurring-list">
                  {recurring.data.items.map((p) => (
                    <li key={p.id} className={p.id === problemId ? 'selected' : undefined}>
                      <button type="button" className="link-button" onClick={() => setProblemId(p.id)} data-problem-id={p.id}>{p.title}</button>
                      <span className="muted small">{t({ zh: '{n} 次', en: '{n} times' }, { n: p.caseCount })} · {formatDate(p.lastAt, locale)}</span>
                    </li>
                  ))}
                </ul>
              )}
            {problem.data ? (
              <div className="decide-problem" data-testid="problem-detail">
                {problem.data.pattern ? <p className="small">{t({ zh: '规律：', en: 'Rhythm: ' })}{problem.data.pattern.explain}{t({ zh: '，预计 {d}', en: ', expected {d}' }, { d: problem.data.pattern.nextDate })}</p> : null}
                <ol className="small">
                  {problem.data.cases.slice(0, 20).map((c) => <li key={c.id}><Link to={`/cases/${c.id}`}>{c.caseNo}</Link> {formatDate(c.createdAt, locale)}</li>)}
                </ol>
                {problem.data.hiddenCases > 0 ? <p className="muted small">{t({ zh: '另有 {n} 件不在您的范围内', en: '{n} more outside your scope' }, { n: problem.data.hiddenCases })}</p> : null}
              </div>
            ) : null}
          </section>
        </div>
      </div>
      <div className="decide-records">
        <TopicList />
        <ProactiveList />
      </div>
    </Page>
  );
}
