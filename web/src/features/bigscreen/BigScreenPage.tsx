/**
 * /bigscreen — the command centre's big screen (1920×1080, dark theme, no shell, no scrolling at that size).
 *
 * - The city map with every grid coloured by its open / warning / overdue cases (GET /api/v1/stats/grids, polled
 *   every 5 s — the server counts at most once per 5 s for everyone), plus live increments from case.created events
 *   in between; colours change through feature state in one batch per animation frame (gridPainter.ts).
 * - New cases pulse on the map at their point and enter the ticker (time, matter, street, channel).
 * - Totals, open cases by state and by street, top overdue units, today's intake by channel
 *   (GET /api/v1/stats/overview, polled every 5 s).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import { api, type ApiError, isApiError, type ItemOf, type ResponseOf } from '../../app/api.ts';
import { useI18n, formatNumber, getCityTimeZone, type Msg, type Translate } from '../../app/i18n.ts';
import { useConsoleConfig } from '../../app/config.tsx';
import { Link } from '../../app/router.tsx';
import { useLiveEvents, type LiveEvent } from '../../app/sse.ts';
import { MapView, type MapLibreMap } from '../../components/MapView.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { useErrorText } from '../../components/States.tsx';
import { GridPainter, LEGEND, type GridCounts } from './gridPainter.ts';
import './bigscreen.css';
import './bigscreen-narrow.css';
import { useResourceLayers } from '../resources/resources.ts';
import { useAuth } from '../../app/auth.tsx';
import { DrillPanel, useDrillDown } from './DrillDown.tsx';
import { useUrgentPulses } from './urgentPulses.ts';
import { useHotspotLayer } from '../decide/hotspotLayer.ts';
import { VitalsPanel, useVitals } from '../vitals/VitalsPanel.tsx';
import { useCrowdLayer } from '../vitals/crowdLayer.ts';

// ---- API shapes (from the generated schema) ---------------------------------------------------------------

type Overview = ResponseOf<'/api/v1/stats/overview', 'get'>;
type GridRef = ItemOf<ResponseOf<'/api/v1/grids', 'get'>>;

/** A label in both languages (the server's labels, and the fallback table below). */
type Label = Msg;
interface TickerItem { caseId: string; at: string; matter: string; street: string; channel: string; fresh: boolean }

const POLL_MS = 5_000;
const TICKER_MAX = 30;
const PULSE_MS = 3_000;
const PULSE_MAX = 60;

const CHANNEL_FALLBACK: Record<string, Label> = {
  hotline: { zh: '12345热线', en: 'Hotline' }, patrol: { zh: '巡查上报', en: 'Patrol' }, open311: { zh: '市民上报', en: 'Open311' },
  app: { zh: '移动应用', en: 'App' }, iot: { zh: '物联感知', en: 'IoT' }, video: { zh: '视频智能', en: 'Video AI' },
  department: { zh: '部门推送', en: 'Department' }, superior: { zh: '上级交办', en: 'Superior' }, media: { zh: '媒体曝光', en: 'Media' },
  petition: { zh: '信访转办', en: 'Petition' }, other: { zh: '其他', en: 'Other' },
};

/** Polls `load` every `ms` while mounted (no overlap; keeps the last good answer on a failure). */
function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, ms: number): { data: T | undefined; error: ApiError | undefined } {
  const [state, setState] = useState<{ data?: T; error?: ApiError }>({});
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const data = await loadRef.current(ac.signal);
        if (!ac.signal.aborted) setState({ data });
      } catch (e) {
        if (ac.signal.aborted) return;
        setState((s) => ({ data: s.data, error: isApiError(e) ? e : undefined }));
      }
      if (!ac.signal.aborted) timer = setTimeout(tick, ms);
    };
    void tick();
    return () => { ac.abort(); clearTimeout(timer); };
  }, [ms]);
  return { data: state.data, error: state.error };
}

/** Reference lookups for the ticker: grid → street, matter code → name. Loaded once. */
function useLookups() {
  const [grids, setGrids] = useState<Map<string, GridRef>>(new Map());
  const [matters, setMatters] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    const ac = new AbortController();
    void (async () => {
      const all: GridRef[] = [];
      try {
        for (let offset = 0; ; offset += 2000) {
          const page = await api.GET('/api/v1/grids', { params: { query: { limit: 2000, offset } }, signal: ac.signal });
          all.push(...page.items);
          if (all.length >= page.total || page.items.length === 0) break;
        }
        setGrids(new Map(all.map((g) => [g.id, g])));
      } catch { /* the ticker then shows grid ids; the map still works */ }
    })();
    api.GET('/api/v1/catalog/matters', { signal: ac.signal })
      .then((r) => setMatters(new Map(r.items.map((m) => [m.code, m.name]))), () => {});
    return () => ac.abort();
  }, []);
  return { grids, matters };
}

function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

function Clock({ timeZone, locale }: { timeZone: string; locale: string }) {
  const now = useClock();
  const f = useMemo(() => {
    try {
      return {
        time: new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
        date: new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }),
      };
    } catch {
      return {
        time: new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
        date: new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }),
      };
    }
  }, [locale, timeZone]);
  return (
    <div className="bs-clock" aria-label="clock">
      <time className="bs-clock-time" dateTime={now.toISOString()} data-testid="bs-clock">{f.time.format(now)}</time>
      <span className="bs-clock-date">{f.date.format(now)}</span>
    </div>
  );
}

// Formatters are costly to build: one per locale and zone, reused for every ticker row.
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const timeOnly = (iso: string, locale: string) => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const k = `${locale}|${getCityTimeZone()}`;
  let f = timeFormats.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: getCityTimeZone(), hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    timeFormats.set(k, f);
  }
  return f.format(d);
};

function Totals({ o, t }: { o: Overview | undefined; t: Translate }) {
  const cells: { key: keyof Overview['totals']; label: string; tone?: string }[] = [
    { key: 'open', label: t({ zh: '在办案件', en: 'Open' }) },
    { key: 'todayIntake', label: t({ zh: '今日受理', en: 'Reported today' }) },
    { key: 'todayClosed', label: t({ zh: '今日结案', en: 'Closed today' }), tone: 'ok' },
    { key: 'warning', label: t({ zh: '预警', en: 'Warning' }), tone: 'warn' },
    { key: 'overdue', label: t({ zh: '超期', en: 'Overdue' }), tone: 'bad' },
    { key: 'hung', label: t({ zh: '挂账', en: 'Hung' }) },
  ];
  return (
    <div className="bs-totals">
      {cells.map((c) => (
        <div key={c.key} className={`bs-total${c.tone ? ` bs-${c.tone}` : ''}`}>
          <div className="bs-total-label">{c.label}</div>
          <div className="bs-total-value" data-testid={`bs-total-${c.key}`}>{o ? formatNumber(o.totals[c.key]) : '—'}</div>
        </div>
      ))}
    </div>
  );
}

function Panel({ title, children, className }: { title: string; children: React.ReactNode; className?: string }) {
  return (
    <section className={`bs-panel${className ? ` ${className}` : ''}`} aria-label={title}>
      <h2 className="bs-panel-title">{title}</h2>
      <div className="bs-panel-body">{children}</div>
    </section>
  );
}

const AXIS_TEXT = { color: '#b7cde3', fontSize: 16 };

export default function BigScreenPage() {
  const { t, locale } = useI18n();
  const { cityName, timeZone } = useConsoleConfig();
  const errorText = useErrorText();
  const L = (l: Label) => (locale === 'en' ? l.en : l.zh);

  const overview = usePoll((signal) => api.GET('/api/v1/stats/overview', { signal }), POLL_MS);
  const gridStats = usePoll((signal) => api.GET('/api/v1/stats/grids', { signal }), POLL_MS);
  const { grids, matters } = useLookups();

  // ---- the map: colours and pulses ----
  const painter = useMemo(() => new GridPainter(), []);
  const mapRef = useRef<MapLibreMap | undefined>(undefined);
  const [mapReady, setMapReady] = useState(false);
  const [readyMap, setReadyMap] = useState<MapLibreMap | undefined>();
  const [coloured, setColoured] = useState(0);
  /** Live increments since the last counting: caseId → [gridId, at ms, overdue?]. */
  const liveAdds = useRef(new Map<string, { gridId: string; at: number }>());
  const counts = useRef(new Map<string, GridCounts>());
  const pulses = useRef<{ marker: maplibregl.Marker; timer: ReturnType<typeof setTimeout> }[]>([]);
  const [pulseCount, setPulseCount] = useState(0);

  useEffect(() => {
    painter.onFlush = setColoured;
    return () => {
      painter.dispose();
      pulses.current.forEach((p) => { clearTimeout(p.timer); p.marker.remove(); });
      pulses.current = [];
    };
  }, [painter]);

  const resourceLayers = useResourceLayers(useAuth().can); // field resources on duty (issue 9 §4), polled
  // Hotspot hexagons of the last 90 days (issue 10 part 5), on demand: for those who may read the analyses.
  const mayHotspots = useAuth().can('decide.read');
  const [showHotspots, setShowHotspots] = useState(false);
  const hotspots = useHotspotLayer(showHotspots, { resolution: 8 }, 0.5);
  const onMapReady = useCallback((map: MapLibreMap) => {
    mapRef.current = map;
    (window as unknown as { cityopsMap?: MapLibreMap }).cityopsMap = map;
    painter.attach(map);
    setMapReady(true);
    setReadyMap(map);
  }, [painter]);

  // A new counting replaces the counts; live additions not yet in it are added on top.
  useEffect(() => {
    const g = gridStats.data;
    if (!g) return;
    const at = Date.parse(g.generatedAt);
    const next = new Map<string, GridCounts>(g.items.map(([id, open, overdue, warning]) => [id, [open, overdue, warning]]));
    for (const [caseId, a] of liveAdds.current) {
      if (a.at <= at) { liveAdds.current.delete(caseId); continue; }
      const c = next.get(a.gridId) ?? [0, 0, 0];
      next.set(a.gridId, [c[0] + 1, c[1], c[2]]);
    }
    counts.current = next;
    painter.setAll(next);
  }, [gridStats.data, painter, mapReady]);

  const pulse = useCallback((lon: number, lat: number) => {
    const map = mapRef.current;
    if (!map) return;
    // The marker positions its element with a transform; the animation runs on an inner element.
    const el = document.createElement('div');
    el.className = 'bs-pulse-at';
    el.setAttribute('aria-hidden', 'true');
    el.appendChild(document.createElement('div')).className = 'bs-pulse';
    const marker = new maplibregl.Marker({ element: el }).setLngLat([lon, lat]).addTo(map);
    const entry = { marker, timer: setTimeout(() => {
      marker.remove();
      pulses.current = pulses.current.filter((p) => p !== entry);
      setPulseCount(pulses.current.length);
    }, PULSE_MS) };
    pulses.current.push(entry);
    while (pulses.current.length > PULSE_MAX) { const old = pulses.current.shift()!; clearTimeout(old.timer); old.marker.remove(); }
  }, []);

  // ---- the ticker ----
  const [ticker, setTicker] = useState<TickerItem[]>([]);
  const [tickerError, setTickerError] = useState<ApiError | undefined>();
  const lookups = useRef({ grids, matters });
  lookups.current = { grids, matters };

  useEffect(() => {
    const ac = new AbortController();
    api.GET('/api/v1/cases', { params: { query: { limit: 20 } }, signal: ac.signal }).then((r) => {
      const items = r.items.map<TickerItem>((c) => ({
        caseId: String(c.id), at: c.createdAt, matter: c.matter.name, street: c.street?.name ?? '', channel: c.channel, fresh: false,
      }));
      setTicker((cur) => {
        const have = new Set(cur.map((x) => x.caseId));
        return [...cur, ...items.filter((x) => !have.has(x.caseId))].slice(0, TICKER_MAX);
      });
    }, (e: unknown) => { if (!ac.signal.aborted && isApiError(e)) setTickerError(e); });
    return () => ac.abort();
  }, []);

  // Events are queued and applied once per animation frame: a burst costs one render, one ticker update.
  const queue = useRef<LiveEvent[]>([]);
  const queueFrame = useRef(0);
  const applyQueue = useCallback(() => {
    queueFrame.current = 0;
    const events = queue.current;
    queue.current = [];
    const { grids: g, matters: m } = lookups.current;
    const items: TickerItem[] = [];
    for (const e of events) {
      const d = e.data;
      const caseId = d.caseId ? String(d.caseId) : e.id;
      const gridId = typeof d.gridId === 'string' ? d.gridId : undefined;
      const at = typeof d.at === 'string' ? d.at : new Date().toISOString();
      if (gridId && !liveAdds.current.has(caseId)) {
        liveAdds.current.set(caseId, { gridId, at: Date.parse(at) });
        const c = counts.current.get(gridId) ?? [0, 0, 0];
        const next: GridCounts = [c[0] + 1, c[1], c[2]];
        counts.current.set(gridId, next);
        painter.set(gridId, next);
      }
      if (typeof d.lon === 'number' && typeof d.lat === 'number') pulse(d.lon, d.lat);
      const code = typeof d.matterCode === 'string' ? d.matterCode : '';
      items.unshift({
        caseId, at, matter: m.get(code) ?? code, street: (gridId && g.get(gridId)?.street?.name) || '',
        channel: typeof d.channel === 'string' ? d.channel : '', fresh: true,
      });
    }
    if (items.length === 0) return;
    const ids = new Set(items.map((x) => x.caseId));
    setTicker((cur) => [...items, ...cur.filter((x) => !ids.has(x.caseId))].slice(0, TICKER_MAX));
    setPulseCount(pulses.current.length);
  }, [painter, pulse]);
  useEffect(() => () => cancelAnimationFrame(queueFrame.current), []);

  const onEvent = useCallback((e: LiveEvent) => {
    queue.current.push(e);
    if (!queueFrame.current) queueFrame.current = requestAnimationFrame(applyQueue);
  }, [applyQueue]);

  const live = useLiveEvents(onEvent, ['case.created']);

  // ---- charts ----
  const o = overview.data;
  // A new counting with the same numbers must not redraw (and re-animate) the charts.
  const stateKey = o ? JSON.stringify(o.byState) : '';
  const streetKey = o ? JSON.stringify(o.byStreet) : '';
  const intakeKey = o ? JSON.stringify(o.todayIntake) : '';
  const channelLabel = useCallback((c: string) => {
    const fromServer = o?.todayIntake.find((x) => x.channel === c)?.label;
    const l = fromServer ?? CHANNEL_FALLBACK[c];
    return l ? L(l) : c;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [o, locale]);

  const stateOption = useMemo<ChartOption | undefined>(() => o && {
    grid: { left: 130, right: 50, top: 8, bottom: 8 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', axisLabel: { show: false }, splitLine: { lineStyle: { color: '#16324d' } } },
    yAxis: { type: 'category', inverse: true, data: o.byState.map((s) => L(s.label)), axisLabel: AXIS_TEXT },
    series: [{
      type: 'bar', data: o.byState.map((s) => s.count), barMaxWidth: 18,
      itemStyle: { color: '#42a5f5', borderRadius: [0, 4, 4, 0] },
      label: { show: true, position: 'right', color: '#e3eef9', fontSize: 16 },
    }],
    animationDurationUpdate: 400,
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stateKey, locale]);

  const streetOption = useMemo<ChartOption | undefined>(() => o && {
    grid: { left: 50, right: 16, top: 36, bottom: 70 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { color: '#b7cde3', fontSize: 15 } },
    xAxis: { type: 'category', data: o.byStreet.map((s) => s.name), axisLabel: { ...AXIS_TEXT, fontSize: 14, rotate: 35, interval: 0 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: AXIS_TEXT, splitLine: { lineStyle: { color: '#16324d' } } },
    series: [
      { name: t({ zh: '正常', en: 'On time' }), type: 'bar', stack: 's', data: o.byStreet.map((s) => Math.max(0, s.open - s.warning - s.overdue)), itemStyle: { color: '#1e88e5' } },
      { name: t({ zh: '预警', en: 'Warning' }), type: 'bar', stack: 's', data: o.byStreet.map((s) => s.warning), itemStyle: { color: '#ffa726' } },
      { name: t({ zh: '超期', en: 'Overdue' }), type: 'bar', stack: 's', data: o.byStreet.map((s) => s.overdue), itemStyle: { color: '#ef5350' } },
    ],
    animationDurationUpdate: 400,
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [streetKey, locale]);

  const intake = o?.todayIntake.filter((c) => c.count > 0) ?? [];
  const intakeOption = useMemo<ChartOption | undefined>(() => o && {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { orient: 'vertical', right: 4, top: 'middle', textStyle: { color: '#b7cde3', fontSize: 15 } },
    series: [{
      type: 'pie', radius: ['45%', '75%'], center: ['35%', '50%'],
      data: o.todayIntake.filter((c) => c.count > 0).map((c) => ({ name: L(c.label), value: c.count })),
      label: { color: '#e3eef9', fontSize: 15, formatter: '{c}' },
    }],
    animationDurationUpdate: 400,
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [intakeKey, locale]);

  // ---- drill-down (click a street, then a grid) and urgent cases (DrillDown.tsx, urgentPulses.ts) ----
  const drill = useDrillDown(readyMap, grids);
  const urgentCount = useUrgentPulses(readyMap, gridStats.data?.generatedAt, (m) => `${t({ zh: '非常紧急', en: 'Very urgent' })} · ${m}`);
  const vitals = useVitals(); // one poll for the vital-signs panel and the crowd layer
  const crowdLayer = useCrowdLayer(vitals.data); // 大客流: crowd areas coloured by tier (issue 11 §6)
  const mapLayers = useMemo(() => [...(hotspots.layer ? [hotspots.layer] : []), ...(crowdLayer ? [crowdLayer] : []), ...resourceLayers, ...drill.layers],
    [hotspots.layer, crowdLayer, resourceLayers, drill.layers]);

  const liveText = live === 'open' ? t('live.connected') : t('live.reconnecting');
  const statsError = overview.error ?? gridStats.error;

  return (
    <div className="bigscreen bs" data-testid="bigscreen">
      <header className="bs-head">
        <Link to="/" className="bigscreen-back" aria-label={t('nav.home')}>←</Link>
        <h1 className="bs-title">{cityName} · {t({ zh: '城市运行一网统管', en: 'City operations' })}</h1>
        <span className={`bs-live${live === 'open' ? ' bs-live-on' : ''}`} role="status">{liveText}</span>
        <Clock timeZone={timeZone} locale={locale} />
      </header>

      {statsError && (
        <div className="bs-error" role="alert">
          {t({ zh: '统计数据暂时无法更新', en: 'Statistics could not be updated' })}: {errorText(statsError)} <code>({statsError.code})</code>
        </div>
      )}

      <div className="bs-body">
        <div className="bs-col bs-left">
          <Totals o={o} t={t} />
          <Panel title={t({ zh: '在办案件 · 按状态', en: 'Open cases by state' })} className="bs-grow">
            {stateOption ? <Chart option={stateOption} theme="dark" height="100%" aria-label={t({ zh: '按状态统计', en: 'Open cases by state' })} />
              : <Placeholder error={overview.error} />}
          </Panel>
          <Panel title={t({ zh: '今日受理 · 按渠道', en: 'Reported today by channel' })} className="bs-intake">
            {!o ? <Placeholder error={overview.error} />
              : intake.length === 0 ? <p className="bs-empty">{t({ zh: '今日暂无受理', en: 'Nothing reported today yet' })}</p>
                : <Chart option={intakeOption!} theme="dark" height="100%" notMerge aria-label={t({ zh: '今日受理渠道', en: 'Intake by channel' })} />}
          </Panel>
        </div>

        <div className="bs-col bs-centre">
          <div className="bs-map" data-testid="bs-map" data-map-ready={mapReady ? 'true' : 'false'} data-coloured-grids={coloured}
            data-grid-count={grids.size} data-pulses={pulseCount} data-urgent={urgentCount}>
            <MapView dark height="100%" show={{ districts: true, streets: true, communities: false, grids: true }} onReady={onMapReady} layers={mapLayers}
              onClick={drill.onMapClick}
              aria-label={t({ zh: '城市网格地图：按在办与超期案件着色', en: 'City grid map coloured by open and overdue cases' })} />
            <div className="bs-legend" aria-label={t({ zh: '图例', en: 'Legend' })}>
              {LEGEND.map((l) => <span key={l.color}><i style={{ background: l.color }} />{t(l)}</span>)}
              {urgentCount > 0 && <span className="bs-legend-urgent"><i style={{ background: '#ff1744', borderRadius: '50%' }} />{t({ zh: '非常紧急', en: 'Very urgent' })} {urgentCount}</span>}
              <span className="muted">{t({ zh: '着色网格', en: 'coloured grids' })} {coloured}{grids.size ? ` / ${grids.size}` : ''}</span>
              {!drill.focus && <span className="muted">{t({ zh: '点击街镇查看详情', en: 'Click a street or town for details' })}</span>}
              {mayHotspots ? (
                <button type="button" className="bs-toggle" aria-pressed={showHotspots} data-testid="bs-hotspots" data-cells={hotspots.data?.features.length ?? 0}
                  onClick={() => setShowHotspots((v) => !v)}>{t({ zh: '热点图层', en: 'Hotspots' })}</button>
              ) : null}
            </div>
            {drill.focus && <DrillPanel focus={drill.focus} back={drill.back} grids={grids} gridRows={gridStats.data?.items} refreshKey={gridStats.data?.generatedAt} />}
          </div>
          <section className="bs-ticker" aria-label={t({ zh: '实时事件', en: 'Live events' })}>
            <h2 className="bs-panel-title">{t({ zh: '实时事件', en: 'Live events' })}</h2>
            {tickerError && ticker.length === 0 ? <p className="bs-empty" role="alert">{errorText(tickerError)}</p>
              : ticker.length === 0 ? <p className="bs-empty">{t({ zh: '等待新的上报…', en: 'Waiting for new reports…' })}</p>
                : (
                  <ol className="bs-ticker-list" data-testid="bs-ticker">
                    {ticker.map((x) => (
                      <li key={x.caseId} className={x.fresh ? 'bs-fresh' : undefined} data-case-id={x.caseId}>
                        <time>{timeOnly(x.at, locale)}</time>
                        <span className="bs-tk-matter">{x.matter}</span>
                        <span className="bs-tk-street">{x.street}</span>
                        <span className="bs-tk-channel">{channelLabel(x.channel)}</span>
                      </li>
                    ))}
                  </ol>
                )}
          </section>
        </div>

        <div className="bs-col bs-right">
          <VitalsPanel vitals={vitals} />
          <Panel title={t({ zh: '各街镇在办案件', en: 'Open cases by street or town' })} className="bs-grow">
            {streetOption ? <Chart option={streetOption} theme="dark" height="100%" aria-label={t({ zh: '按街镇统计', en: 'Open cases by street or town' })} />
              : <Placeholder error={overview.error} />}
          </Panel>
          <Panel title={t({ zh: '超期案件最多的单位', en: 'Units with the most overdue cases' })} className="bs-units">
            {!o ? <Placeholder error={overview.error} />
              : o.topOverdueUnits.length === 0 ? <p className="bs-empty">{t({ zh: '暂无超期案件', en: 'No overdue cases' })}</p>
                : (
                  <table className="bs-table" data-testid="bs-top-units">
                    <thead><tr><th>#</th><th>{t({ zh: '单位', en: 'Unit' })}</th><th>{t({ zh: '超期', en: 'Overdue' })}</th><th>{t({ zh: '在办', en: 'Open' })}</th></tr></thead>
                    <tbody>
                      {o.topOverdueUnits.slice(0, 8).map((u, i) => (
                        <tr key={u.id}><td>{i + 1}</td><td>{u.name}</td><td className="bs-bad">{u.overdue}</td><td>{u.open}</td></tr>
                      ))}
                    </tbody>
                  </table>
                )}
          </Panel>
          {o && <p className="bs-foot muted">{t({ zh: '统计时间', en: 'Counted at' })} {timeOnly(o.generatedAt, locale)} · {t({ zh: '每 5 秒刷新', en: 'refreshed every 5 s' })}</p>}
        </div>
      </div>
    </div>
  );
}

function Placeholder({ error }: { error: ApiError | undefined }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  return error ? <p className="bs-empty" role="alert">{errorText(error)}</p> : <p className="bs-empty">{t('common.loading')}</p>;
}
