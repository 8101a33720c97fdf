/**
 * The big screen's drill-down (issue 8): click the map on a street or town → the map zooms to it, its outline is
 * drawn, and a panel shows its open, warning and overdue cases (from the same per-grid counting that colours the
 * map) and its open cases, soonest deadline first; click a grid inside it → the same for the grid; the back
 * button (or Esc) goes up one level, to the whole city at the top. The street's kind is its own: 芦湾镇 is a town.
 *
 * Kept apart from BigScreenPage.tsx: the page passes map clicks in (`onMapClick`), draws `layers` and the `panel`.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { api, type ItemOf, type ResponseOf } from '../../app/api.ts';
import { Link } from '../../app/router.tsx';
import { formatNumber, useI18n } from '../../app/i18n.ts';
import type { MapClick, MapLayer, MapLibreMap } from '../../components/MapView.tsx';
import { REGION_KIND_LABELS, regionKind } from '../../../../src/domain/geocode/map-labels.ts';
import './drilldown.css';

type GridRef = ItemOf<ResponseOf<'/api/v1/grids', 'get'>>;
type GridRow = ResponseOf<'/api/v1/stats/grids', 'get'>['items'][number];

export interface Focus {
  level: 'street' | 'grid';
  id: string;
  name: string;
  street: { id: string; name: string };
}

type BBox = [number, number, number, number];

function bboxOf(geometry: unknown): BBox | undefined {
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  const visit = (x: unknown): void => {
    if (Array.isArray(x) && typeof x[0] === 'number') {
      const [lon, lat] = x as number[];
      a = Math.min(a, lon); b = Math.min(b, lat); c = Math.max(c, lon); d = Math.max(d, lat);
    } else if (Array.isArray(x)) x.forEach(visit);
  };
  visit((geometry as { coordinates?: unknown } | null)?.coordinates);
  return Number.isFinite(a) ? [a, b, c, d] : undefined;
}

/** Drill-down state for the big screen: what is focused, the outline layer, and the click handler for the map. */
export function useDrillDown(map: MapLibreMap | undefined, grids: Map<string, GridRef>) {
  const [focus, setFocus] = useState<Focus | undefined>();
  const [outline, setOutline] = useState<{ key: string; data: FeatureCollection } | undefined>();
  const cityView = useRef<BBox | undefined>(undefined);

  // The whole city's view, to come back to.
  useEffect(() => {
    if (!map || cityView.current) return;
    const b = map.getBounds();
    cityView.current = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }, [map]);

  // Zoom to the focused street or grid and draw its outline.
  useEffect(() => {
    if (!map) return;
    if (!focus) {
      setOutline(undefined);
      if (cityView.current) map.fitBounds(cityView.current, { padding: 0, duration: 600 });
      return;
    }
    const ac = new AbortController();
    const load = focus.level === 'street'
      ? api.GET('/api/v1/regions/{id}', { params: { path: { id: focus.id } }, signal: ac.signal }).then((r) => r.geometry)
      : api.GET('/api/v1/grids/{id}', { params: { path: { id: focus.id } }, signal: ac.signal }).then((r) => r.geometry);
    load.then((geometry) => {
      if (ac.signal.aborted || !geometry) return;
      const box = bboxOf(geometry);
      // on a wide map the panel covers its left 420 px: the street or grid is fitted to the right of it
      const padding = map.getContainer().clientWidth >= 700 ? { top: 40, bottom: 80, left: 430, right: 40 } : 30;
      if (box) map.fitBounds(box, { padding, duration: 600, maxZoom: 17 });
      setOutline({ key: focus.id, data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: geometry as never }] } });
    }, () => { /* the panel still shows the counts and cases */ });
    return () => ac.abort();
  }, [map, focus]);

  const onMapClick = useCallback((e: MapClick) => {
    const hit = e.features.find((f) => f.layer === 'grids');
    const grid = hit ? grids.get(String(hit.id)) : undefined;
    if (!grid?.street) return;
    const street = { id: grid.street.id, name: grid.street.name };
    setFocus((cur) => (cur && cur.street.id === street.id
      ? { level: 'grid', id: grid.id, name: grid.name, street }
      : { level: 'street', id: street.id, name: street.name, street }));
  }, [grids]);

  const back = useCallback(() => {
    setFocus((cur) => (cur?.level === 'grid' ? { level: 'street', id: cur.street.id, name: cur.street.name, street: cur.street } : undefined));
  }, []);

  useEffect(() => {
    if (!focus) return;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') back(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focus, back]);

  const layers = useMemo<MapLayer[]>(() => (outline && focus && outline.key === focus.id
    ? [{ id: 'bs-focus', type: 'line', data: outline.data, paint: { 'line-color': '#ffeb3b', 'line-width': 3 } }]
    : []), [outline, focus]);

  return { focus, back, onMapClick, layers, reset: () => setFocus(undefined) };
}

/** The panel over the map for the focused street or grid. `gridRows`: the per-grid counting ([id, open, overdue, warning]). */
export function DrillPanel({ focus, back, grids, gridRows, refreshKey }: {
  focus: Focus; back: () => void; grids: Map<string, GridRef>; gridRows: GridRow[] | undefined; refreshKey: string | undefined;
}) {
  const { t, locale } = useI18n();
  const L = (l: { zh: string; en: string }) => (locale === 'en' ? l.en : l.zh);
  const kind = focus.level === 'street' ? regionKind('street', focus.name) : undefined;

  const counts = useMemo(() => {
    let open = 0, overdue = 0, warning = 0, n = 0;
    for (const [id, o, od, w] of gridRows ?? []) {
      const inside = focus.level === 'grid' ? id === focus.id : grids.get(id)?.street?.id === focus.id;
      if (!inside) continue;
      open += o; overdue += od; warning += w; n++;
    }
    return { open, overdue, warning, grids: n };
  }, [gridRows, grids, focus]);

  const [cases, setCases] = useState<{ key: string; items: ResponseOf<'/api/v1/cases', 'get'>['items']; total: number | null } | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const ac = new AbortController();
    const query = focus.level === 'grid' ? { gridId: focus.id } : { regionId: focus.id };
    api.GET('/api/v1/cases', { params: { query: { ...query, sort: 'due', limit: 8 } }, signal: ac.signal }).then(
      (r) => { setCases({ key: focus.id, items: r.items, total: r.total }); setFailed(false); },
      () => { if (!ac.signal.aborted) setFailed(true); },
    );
    return () => ac.abort();
  }, [focus.id, focus.level, refreshKey]);
  const shown = cases?.key === focus.id ? cases : undefined;

  return (
    <section className="bs-drill" aria-labelledby="bs-drill-title" data-testid="bs-drill" data-level={focus.level} data-id={focus.id}>
      <header className="bs-drill-head">
        <button type="button" className="bs-drill-back" onClick={back} data-testid="bs-drill-back"
          aria-label={focus.level === 'grid' ? t({ zh: '返回{name}', en: 'Back to {name}' }, { name: focus.street.name }) : t({ zh: '返回全区', en: 'Back to the whole district' })}>
          ←
        </button>
        <nav className="bs-drill-crumbs" aria-label={t({ zh: '位置', en: 'Where' })}>
          <span>{t({ zh: '全区', en: 'District' })}</span>
          <span aria-hidden="true"> › </span>
          <span>{focus.street.name}</span>
          {focus.level === 'grid' && <><span aria-hidden="true"> › </span><span>{t({ zh: '网格', en: 'Grid' })}</span></>}
        </nav>
      </header>
      <h2 id="bs-drill-title" className="bs-drill-title">
        {focus.name}
        {kind && <span className="bs-drill-kind" data-testid="bs-drill-kind">{L(REGION_KIND_LABELS[kind])}</span>}
      </h2>
      <div className="bs-drill-counts">
        <div><span>{t({ zh: '在办', en: 'Open' })}</span><strong data-testid="bs-drill-open">{formatNumber(counts.open)}</strong></div>
        <div className="bs-warn"><span>{t({ zh: '预警', en: 'Warning' })}</span><strong>{formatNumber(counts.warning)}</strong></div>
        <div className="bs-bad"><span>{t({ zh: '超期', en: 'Overdue' })}</span><strong>{formatNumber(counts.overdue)}</strong></div>
      </div>
      <h3 className="bs-drill-sub">
        {t({ zh: '在办案件（按时限）', en: 'Open cases, soonest deadline first' })}
        {shown && shown.total !== null && <span className="muted"> · {formatNumber(shown.total)}</span>}
      </h3>
      {failed && !shown ? <p className="bs-empty" role="alert">{t({ zh: '案件暂时无法读取', en: 'Cases could not be read' })}</p>
        : !shown ? <p className="bs-empty">{t('common.loading')}</p>
          : shown.items.length === 0 ? <p className="bs-empty">{t({ zh: '暂无在办案件', en: 'No open cases' })}</p>
            : (
              <ol className="bs-drill-cases" data-testid="bs-drill-cases">
                {shown.items.map((c) => (
                  <li key={c.id} className={`bs-drill-case${c.urgency === 'very_urgent' ? ' bs-drill-urgent' : ''}`}>
                    <Link to={`/cases/${c.id}`} className="bs-drill-matter">{c.matter.name}</Link>
                    <span className="bs-drill-where">{c.address ?? c.community?.name ?? ''}</span>
                    <span className={`bs-drill-state bs-level-${c.deadlines.alertLevel}`}>{L(c.stateLabel)}</span>
                  </li>
                ))}
              </ol>
            )}
    </section>
  );
}
