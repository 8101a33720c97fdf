/**
 * /resources — field resources on the console map (people and vehicles on duty, coloured by kind, grey when the
 * position is stale), the list beside it, and today's grid coverage (grids nobody visited). Offline: our own
 * GeoJSON layers, no tiles. The layer polls the API (positions are not on the event stream).
 */
import { useMemo, useState } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { MapView, type MapLayer } from '../../components/MapView.tsx';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { KIND_COLOR, KIND_LABEL, STALE_COLOR, useResourceLayer, useResources } from './resources.ts';
import './resources.css';

export default function ResourcesPage() {
  const { t, locale } = useI18n();
  const { data, error } = useResources();
  const [kind, setKind] = useState<string>('');
  const items = useMemo(() => (data?.items ?? []).filter((r) => !kind || r.kind === kind), [data, kind]);
  const layer = useResourceLayer(data ? items : undefined);
  // A click on a resource draws its track of today (patrol path).
  const [picked, setPicked] = useState<string | undefined>();
  const track = useQuery((signal) => (picked
    ? api.GET('/api/v1/resources/{resourceId}/track', { params: { path: { resourceId: picked } }, signal })
    : Promise.resolve(undefined)), [picked]);
  const trackLayer = useMemo<MapLayer | undefined>(() => (track.data && track.data.points.length > 1 ? {
    id: 'resource-track', type: 'line', below: false,
    data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: track.data.points.map((x) => [x.lon, x.lat]) } }] },
    paint: { 'line-color': '#d84315', 'line-width': 3 },
  } : undefined), [track.data]);
  const layers = useMemo(() => [trackLayer, layer].filter((l): l is MapLayer => !!l), [layer, trackLayer]);
  const coverage = useQuery((signal) => api.GET('/api/v1/resources/coverage', { signal }), []);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const r of data?.items ?? []) c[r.kind] = (c[r.kind] ?? 0) + 1;
    return c;
  }, [data]);
  return (
    <Page title={t({ zh: '力量分布', en: 'Field resources' })} actions={<Link to="/rosters" className="btn">{t({ zh: '值班表', en: 'Rosters' })}</Link>}>
      <div className="resources-layout">
        <div className="card" data-testid="resources-map" data-layer-points={layer?.data.features.length ?? 0}>
          <div className="page-actions" role="group" aria-label={t({ zh: '按类型筛选', en: 'Filter by kind' })}>
            <button type="button" className={`btn m-btn-small${kind === '' ? ' btn-primary' : ''}`} onClick={() => setKind('')}>
              {t({ zh: '全部', en: 'All' })} {data?.items.length ?? 0}
            </button>
            {Object.keys(KIND_LABEL).map((k) => (
              <button key={k} type="button" className={`btn m-btn-small${kind === k ? ' btn-primary' : ''}`} onClick={() => setKind(k)}>
                <span className="kind-dot" style={{ background: KIND_COLOR[k] }} aria-hidden />{t(KIND_LABEL[k])} {counts[k] ?? 0}
              </button>
            ))}
            <span className="muted small"><span className="kind-dot" style={{ background: STALE_COLOR }} aria-hidden />{t({ zh: '位置已过时', en: 'stale position' })}</span>
          </div>
          {picked && (
            <p className="small" role="status">
              {t({ zh: '今日轨迹：{n} 个定位点', en: "Today's track: {n} fix(es)" }, { n: track.data?.points.length ?? 0 })}{' '}
              <button type="button" className="btn m-btn-small" onClick={() => setPicked(undefined)}>{t({ zh: '清除轨迹', en: 'Clear track' })}</button>
            </p>
          )}
          <MapView height={620} layers={layers} onClick={(e) => { const f = e.features.find((x) => x.layer === 'resources'); if (f) setPicked(String(f.properties.id)); }} show={{ districts: true, streets: true, communities: false, grids: true }} aria-label={t({ zh: '力量分布地图', en: 'Field resources map' })} />
        </div>
        <div className="resources-side">
          <section className="card" aria-labelledby="res-list-h">
            <h2 id="res-list-h">{t({ zh: '在岗力量', en: 'On duty' })}</h2>
            {error && !data ? <ErrorState error={error} /> : !data ? <Loading inline /> : items.length === 0
              ? <p className="muted">{t({ zh: '当前没有在岗人员或车辆。', en: 'Nobody on duty right now.' })}</p>
              : (
                <table className="resource-table" data-testid="resource-table">
                  <thead><tr><th>{t({ zh: '名称', en: 'Name' })}</th><th>{t({ zh: '类型', en: 'Kind' })}</th><th>{t({ zh: '网格', en: 'Grid' })}</th><th>{t({ zh: '定位时间', en: 'Fix' })}</th></tr></thead>
                  <tbody>
                    {items.slice(0, 300).map((r) => (
                      <tr key={r.resourceId}>
                        <td><button type="button" className="link-button" onClick={() => setPicked(r.resourceId)} title={t({ zh: '查看今日轨迹', en: "Show today's track" })}>{r.label}</button></td>
                        <td>{t(KIND_LABEL[r.kind] ?? { zh: r.kind, en: r.kind })}</td>
                        <td>{r.grid?.name ?? '—'}</td>
                        <td className={r.position && !r.position.fresh ? 'muted' : undefined}>{r.position ? formatDateTime(r.position.at, locale) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
          </section>
          <section className="card" aria-labelledby="cov-h">
            <h2 id="cov-h">{t({ zh: '今日网格巡查覆盖', en: 'Grid coverage today' })}</h2>
            {coverage.error ? <ErrorState error={coverage.error} onRetry={coverage.reload} /> : !coverage.data ? <Loading inline /> : (
              <>
                <p>{t({ zh: '{v}/{n} 个网格有人到过（{p}%）', en: '{v} of {n} grids visited ({p}%)' }, {
                  v: coverage.data.gridCount - coverage.data.unvisited.length, n: coverage.data.gridCount, p: (coverage.data.coveredShare * 100).toFixed(1),
                })}</p>
                <h3 className="small">{t({ zh: '今日无人巡查的网格', en: 'Grids nobody visited today' })}</h3>
                <div className="grid-chips" data-testid="unvisited-grids">
                  {coverage.data.unvisited.slice(0, 300).map((g) => <span key={g.id} className="grid-chip" title={g.code}>{g.name}</span>)}
                  {coverage.data.unvisited.length > 300 && <span className="muted small">… +{coverage.data.unvisited.length - 300}</span>}
                </div>
                {coverage.data.byResource.length > 0 && (
                  <table className="resource-table">
                    <thead><tr><th>{t({ zh: '人员', en: 'Person' })}</th><th>{t({ zh: '到过的网格', en: 'Grids visited' })}</th></tr></thead>
                    <tbody>
                      {coverage.data.byResource.slice(0, 100).map((b) => (
                        <tr key={b.resourceId}><td>{b.label}</td><td>{b.grids.length}</td></tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </>
            )}
          </section>
        </div>
      </div>
    </Page>
  );
}
