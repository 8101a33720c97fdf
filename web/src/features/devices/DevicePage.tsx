/**
 * /devices/:id — one device (issue 11 part 1): its attributes and attachment, its place on the map, last seen and
 * ingestion counts, a readings chart per measurement (raw readings for 1 h; minute rollups for 24 h and 7 d; hour
 * rollups for 30 d — the server's `resolution=auto`), its state history, its alarms (with their cases) and the rules
 * that watch it.
 */
import { useMemo, useState } from 'react';
import { api, useQuery, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { Link, useParams } from '../../app/router.tsx';
import { formatDateTime, useI18n, type Msg } from '../../app/i18n.ts';
import { Page } from '../../components/Page.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { MapView, type MapLayer, type MapLibreMap } from '../../components/MapView.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { ATTACHMENT_LABELS, DeviceActions, SCENARIO_LABELS, SecretNotice, STATE_LABELS, StateBadge, type Device, type DeviceType } from './shared.tsx';
import './devices.css';

type Readings = ResponseOf<'/api/v1/devices/{id}/readings', 'get'>;
const RANGES: { id: string; ms: number; label: Msg }[] = [
  { id: '1h', ms: 3_600_000, label: { zh: '1 小时', en: '1 h' } }, { id: '24h', ms: 86_400_000, label: { zh: '24 小时', en: '24 h' } },
  { id: '7d', ms: 7 * 86_400_000, label: { zh: '7 天', en: '7 d' } }, { id: '30d', ms: 30 * 86_400_000, label: { zh: '30 天', en: '30 d' } },
];
const RESOLUTION: Record<string, Msg> = { raw: { zh: '原始读数', en: 'raw readings' }, minute: { zh: '分钟汇总（均值、最小、最大）', en: 'minute rollups (mean, min, max)' }, hour: { zh: '小时汇总（均值、最小、最大）', en: 'hour rollups (mean, min, max)' } };
const HISTORY: Record<string, Msg> = { created: { zh: '登记', en: 'Registered' }, updated: { zh: '修改', en: 'Edited' }, credential: { zh: '密钥', en: 'Credential' }, state: { zh: '状态变化', en: 'State change' }, imported: { zh: '导入', en: 'Imported' } };
const SOURCE: Record<string, Msg> = { reading: { zh: '读数', en: 'reading' }, status: { zh: '设备上报', en: 'device status' }, heartbeat: { zh: '心跳超时', en: 'heartbeat loss' }, operator: { zh: '人工', en: 'operator' } };

function DeviceMap({ d }: { d: Device }) {
  const { t } = useI18n();
  const layers = useMemo<MapLayer[]>(() => (d.lon !== null && d.lat !== null ? [{
    id: 'device-point', type: 'circle',
    data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [d.lon, d.lat] } }] },
    paint: { 'circle-color': '#1565c0', 'circle-radius': 8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  }] : []), [d.lon, d.lat]);
  if (d.lon === null || d.lat === null) return <p className="muted">{t({ zh: '未登记位置', en: 'No position registered' })}</p>;
  const onReady = (map: MapLibreMap) => { map.jumpTo({ center: [d.lon!, d.lat!], zoom: 16 }); };
  return <MapView height={280} layers={layers} onReady={onReady} show={{ districts: false, streets: true, communities: true, grids: true }} aria-label={t({ zh: '设备位置地图', en: 'Map of the device' })} />;
}

function ReadingsCharts({ id, type }: { id: string; type: DeviceType | null }) {
  const { t, locale } = useI18n();
  const [range, setRange] = useState(RANGES[0]!);
  const [to, setTo] = useState(() => Date.now());
  const q = useQuery((signal) => api.GET('/api/v1/devices/{id}/readings', {
    params: { path: { id }, query: { from: new Date(to - range.ms).toISOString(), to: new Date(to).toISOString() } }, signal,
  }), [id, range, to]);
  const data: Readings | undefined = q.data;
  const keys = useMemo(() => {
    const fromType = type?.measurements.map((m) => m.key) ?? [];
    return [...fromType, ...(data?.series.map((s) => s.key).filter((k) => !fromType.includes(k)) ?? [])];
  }, [type, data]);
  return (
    <section className="card device-readings" aria-label={t({ zh: '读数曲线', en: 'Readings' })}>
      <div className="device-readings-head">
        <h3>{t({ zh: '读数曲线', en: 'Readings' })}</h3>
        <div className="tabs" role="tablist" aria-label={t({ zh: '时间范围', en: 'Range' })}>
          {RANGES.map((r) => (
            <button key={r.id} type="button" role="tab" aria-selected={range.id === r.id} className={`tab${range.id === r.id ? ' active' : ''}`}
              onClick={() => { setRange(r); setTo(Date.now()); }}>{t(r.label)}</button>
          ))}
        </div>
        <button type="button" className="btn small" onClick={() => setTo(Date.now())}>{t({ zh: '刷新', en: 'Refresh' })}</button>
      </div>
      {q.error && !data ? <ErrorState error={q.error} onRetry={q.reload} /> : !data ? <Loading inline /> : (
        <>
          <p className="muted small" data-testid="readings-resolution" data-resolution={data.resolution}>
            {t(RESOLUTION[data.resolution]!)}{data.resolution !== 'raw' ? t({ zh: '；汇总每分钟折算，最新一两分钟可能尚未计入', en: '; rollups are folded every minute, the newest minute or two may be missing' }) : ''}
          </p>
          <div className="device-charts">
            {keys.map((k) => {
              const m = type?.measurements.find((x) => x.key === k);
              const name = m ? `${locale === 'en' ? m.en : m.zh}${m.unit ? ` (${m.unit})` : ''}` : k;
              const points = data.series.find((s) => s.key === k)?.points ?? [];
              return <MeasurementChart key={k} name={name} points={points} min={m?.min} max={m?.max} rollup={data.resolution !== 'raw'} range={[to - range.ms, to]} />;
            })}
          </div>
        </>
      )}
    </section>
  );
}

function MeasurementChart({ name, points, min, max, rollup, range }: {
  name: string; points: Readings['series'][number]['points']; min?: number; max?: number; rollup: boolean; range: [number, number];
}) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(() => ({
    grid: { left: 48, right: 16, top: 28, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: rollup ? { top: 0, right: 0 } : undefined,
    xAxis: { type: 'time', min: range[0], max: range[1], axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', scale: true },
    series: [
      { name: rollup ? t({ zh: '均值', en: 'mean' }) : name, type: 'line', showSymbol: points.length < 60, data: points.map((p) => [p.at, p.value]),
        markLine: max !== undefined || min !== undefined ? { silent: true, symbol: 'none', lineStyle: { type: 'dotted', color: '#999' },
          data: [...(min !== undefined ? [{ yAxis: min }] : []), ...(max !== undefined ? [{ yAxis: max }] : [])] } : undefined },
      ...(rollup ? [
        { name: t({ zh: '最大', en: 'max' }), type: 'line', showSymbol: false, lineStyle: { width: 1, type: 'dashed' }, data: points.map((p) => [p.at, p.max ?? p.value]) },
        { name: t({ zh: '最小', en: 'min' }), type: 'line', showSymbol: false, lineStyle: { width: 1, type: 'dashed' }, data: points.map((p) => [p.at, p.min ?? p.value]) },
      ] : []),
    ],
  }), [name, points, min, max, rollup, range, t]);
  return (
    <figure className="device-chart" data-points={points.length}>
      <figcaption>{name} <span className="muted small">{t({ zh: '{n} 个点', en: '{n} points' }, { n: points.length })}</span></figcaption>
      {points.length === 0 ? <p className="muted">{t({ zh: '此范围内没有读数', en: 'No readings in this range' })}</p>
        : <Chart option={option} height={220} notMerge aria-label={t({ zh: '{m} 读数曲线', en: 'Readings of {m}' }, { m: name })} />}
    </figure>
  );
}

function History({ id, stamp }: { id: string; stamp: string }) {
  const { t, locale } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/devices/{id}/history', { params: { path: { id } }, signal }), [id, stamp]);
  return (
    <section className="card" aria-label={t({ zh: '状态历史', en: 'State history' })}>
      <h3>{t({ zh: '状态历史', en: 'State history' })}</h3>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading inline /> : q.data.items.length === 0 ? <p className="muted">—</p> : (
        <ol className="device-history">
          {q.data.items.map((h, i) => (
            <li key={i} data-kind={h.kind}>
              <span className="muted small">{formatDateTime(h.at, locale, true)}</span>{' '}
              <strong>{t(HISTORY[h.kind] ?? { zh: h.kind, en: h.kind })}</strong>
              {h.state && <> → <StateBadge state={h.state as Device['state']} /></>}
              {h.source && <span className="muted small"> （{t(SOURCE[h.source] ?? { zh: h.source, en: h.source })}）</span>}
              {h.detail && h.detail !== h.source && <span className="muted small"> {h.detail}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Alarms({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/alarms', { params: { query: { deviceId: id, limit: 50 } }, signal }), [id]);
  return (
    <section className="card" aria-label={t({ zh: '设备告警', en: 'Alarms of the device' })}>
      <h3>{t({ zh: '告警', en: 'Alarms' })} <Link to="/alarms" className="small">{t({ zh: '告警中心', en: 'All alarms' })}</Link></h3>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading inline /> : q.data.items.length === 0 ? <p className="muted">{t({ zh: '没有告警', en: 'No alarms' })}</p> : (
        <div className="table-wrap">
          <table className="device-alarms">
            <thead><tr><th>{t({ zh: '告警', en: 'Alarm' })}</th><th>{t({ zh: '状态', en: 'State' })}</th><th>{t({ zh: '发生时间', en: 'Raised' })}</th><th>{t({ zh: '案件', en: 'Case' })}</th></tr></thead>
            <tbody>
              {q.data.items.map((a) => (
                <tr key={a.id} data-alarm={a.id}>
                  <td>{a.title}{a.falseAlarm ? <span className="badge warn">{t({ zh: '误报', en: 'False' })}</span> : null}</td>
                  <td>{a.state === 'raised' ? t({ zh: '告警中', en: 'Raised' }) : t({ zh: '已恢复', en: 'Cleared' })}</td>
                  <td>{formatDateTime(a.raisedAt, locale)}</td>
                  <td>{a.caseId ? <Link to={`/cases/${a.caseId}`}>#{a.caseId}</Link> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Rules({ d }: { d: Device }) {
  const { t } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/sensing/rules', { signal }), []);
  const mine = (q.data?.items ?? []).filter((r) => (r.scope.kind === 'device' && r.scope.id === d.id) || (r.scope.kind === 'type' && r.scope.id === d.typeId)
    || (r.scope.kind === 'scenario' && r.scope.id === d.scenario));
  return (
    <section className="card" aria-label={t({ zh: '适用规则', en: 'Rules that apply' })}>
      <h3>{t({ zh: '适用规则', en: 'Rules that apply' })} <Link to="/rules" className="small">{t({ zh: '规则管理', en: 'All rules' })}</Link></h3>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading inline /> : mine.length === 0 ? <p className="muted">{t({ zh: '没有规则', en: 'No rules' })}</p> : (
        <ul className="device-rules">
          {mine.map((r) => <li key={r.id}><strong>{r.name}</strong> <span className="muted small">v{r.version} · {r.description} · {r.enabled ? t({ zh: '已启用', en: 'enabled' }) : t({ zh: '未启用', en: 'disabled' })}</span></li>)}
        </ul>
      )}
    </section>
  );
}

export default function DevicePage() {
  const { id = '' } = useParams();
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const q = useQuery((signal) => api.GET('/api/v1/devices/{id}', { params: { path: { id } }, signal }), [id]);
  const [secret, setSecret] = useState<string | null>(null);
  if (q.error && !q.data) return <Page title={t({ zh: '设备', en: 'Device' })}><ErrorState error={q.error} onRetry={q.reload} /></Page>;
  if (!q.data) return <Page title={t({ zh: '设备', en: 'Device' })}><Loading /></Page>;
  const { device: d, deviceType: ty, ingest, latest } = q.data;
  const place = [d.district?.name, d.street?.name, d.community?.name, d.grid?.name].filter(Boolean).join(' / ') || '—';
  const row = (label: Msg, value: React.ReactNode) => <div className="device-attr"><dt>{t(label)}</dt><dd>{value}</dd></div>;
  return (
    <Page title={<>{d.name} <span className="muted small">{d.id}</span> <StateBadge state={d.state} /></>} className="device-page"
      actions={<Link to="/devices">{t({ zh: '返回设备列表', en: 'Back to devices' })}</Link>}>
      {secret && <SecretNotice deviceId={d.id} secret={secret} onClose={() => setSecret(null)} />}
      <div className="device-top">
        <section className="card" aria-label={t({ zh: '设备信息', en: 'Device details' })}>
          <dl className="device-attrs">
            {row({ zh: '类型', en: 'Type' }, ty ? (locale === 'en' ? ty.en : ty.zh) : d.typeId)}
            {row({ zh: '状态', en: 'State' }, t(STATE_LABELS[d.state]))}
            {row({ zh: '最后上报', en: 'Last seen' }, d.lastSeenAt ? formatDateTime(d.lastSeenAt, locale, true) : '—')}
            {row({ zh: '厂商 / 型号', en: 'Vendor / model' }, `${d.vendor ?? '—'} / ${d.model ?? '—'}`)}
            {row({ zh: '挂接', en: 'Attached to' }, d.attachmentKind ? `${t(ATTACHMENT_LABELS[d.attachmentKind]!)} ${d.attachmentId ?? ''}` : '—')}
            {row({ zh: '场景', en: 'Scenario' }, d.scenario ? (SCENARIO_LABELS[d.scenario] ? t(SCENARIO_LABELS[d.scenario]!) : d.scenario) : '—')}
            {row({ zh: '权属单位', en: 'Owner unit' }, d.ownerUnit?.name ?? '—')}
            {row({ zh: '所在区域', en: 'Place' }, place)}
            {row({ zh: '坐标', en: 'Position' }, d.lon !== null && d.lat !== null ? `${d.lon.toFixed(6)}, ${d.lat.toFixed(6)}` : '—')}
            {row({ zh: '接入密钥', en: 'Credential' }, d.hasCredential ? t({ zh: '已颁发', en: 'issued' }) : t({ zh: '未颁发', en: 'none' }))}
            {row({ zh: '24 小时接收', en: 'Accepted (24 h)' }, ingest.accepted)}
            {row({ zh: '拒收', en: 'Refused' }, ingest.rejected ? `${ingest.rejected} (${Object.entries(ingest.byReason).map(([k, n]) => `${k} ${n}`).join(', ')})` : 0)}
            {ingest.last && row({ zh: '最近拒收', en: 'Last refusal' }, `${formatDateTime(ingest.last.at, locale)} ${ingest.last.reason}${ingest.last.field ? ` · ${ingest.last.field}` : ''}`)}
            {latest && row({ zh: '最新读数', en: 'Latest reading' }, <span data-testid="device-latest">{Object.entries(latest.values).map(([k, v]) => {
              const m = ty?.measurements.find((x) => x.key === k);
              return `${m ? (locale === 'en' ? m.en : m.zh) : k} ${v}${m?.unit ?? ''}`;
            }).join('，')} <span className="muted small">{formatDateTime(latest.at, locale, true)}</span></span>)}
          </dl>
          {q.data.canManage && <DeviceActions d={d} onChanged={q.reload} onSecret={(_id, s) => setSecret(s)} />}
        </section>
        <section className="card device-map" aria-label={t({ zh: '位置', en: 'Location' })}><DeviceMap d={d} /></section>
      </div>
      <ReadingsCharts id={d.id} type={ty} />
      <div className="device-bottom">
        <History id={d.id} stamp={`${d.state}|${d.updatedAt}|${d.hasCredential}`} />
        {can('case.read') && <Alarms id={d.id} />}
        {can('rule.manage') && <Rules d={d} />}
      </div>
    </Page>
  );
}
