/**
 * Where the problem is: an address geocoded by the local gazetteer (GET /geocode; an ambiguous address lists its
 * candidates to choose from), or a click on the map. The chosen point is located on the grid (GET /locate).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { api, isApiError, useQuery } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { MapView, type MapLibreMap } from '../../components/MapView.tsx';
import { Loading, useErrorText } from '../../components/States.tsx';
import type { GeoCandidate, GeocodeResult, Located } from './types.ts';

export interface Point { lon: number; lat: number; source: 'map' | 'address'; label?: string }

export function useLocated(point: Point | undefined) {
  return useQuery<Located | undefined>(
    (signal) => (point ? api.GET('/api/v1/locate', { params: { query: { lon: point.lon, lat: point.lat } }, signal }) : Promise.resolve(undefined)),
    [point?.lon, point?.lat],
  );
}

export function placeText(l: Located | undefined, locale: string): string {
  if (!l || l.outcome !== 'inside') return '';
  const parts = [l.district?.name, l.street?.name, l.community?.name, l.grid ? `${l.grid.name}（${l.grid.code}）` : undefined].filter(Boolean);
  return parts.join(locale === 'en' ? ' › ' : ' / ');
}

export function LocationPicker({ point, onPoint, address, onAddress, error }: {
  point: Point | undefined; onPoint: (p: Point | undefined) => void; address: string; onAddress: (a: string) => void; error?: string;
}) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const [geo, setGeo] = useState<{ loading: boolean; result?: GeocodeResult; error?: unknown }>({ loading: false });
  const located = useLocated(point);
  const mapRef = useRef<MapLibreMap | undefined>(undefined);
  const placeholder = usePlaceholder();

  // Keep the chosen point in view when it comes from the address.
  useEffect(() => {
    if (point && point.source === 'address' && mapRef.current) mapRef.current.jumpTo({ center: [point.lon, point.lat], zoom: Math.max(mapRef.current.getZoom(), 14) });
  }, [point]);

  const geocode = async () => {
    const q = address.trim();
    if (!q) return;
    setGeo({ loading: true });
    try {
      const result = await api.GET('/api/v1/geocode', { params: { query: { q, limit: 6 } } });
      setGeo({ loading: false, result });
      // only an exact answer is taken as it is: an approximate one (another road of similar name, a number
      // guessed, a whole town) is the seat's to confirm, or to correct on the map
      if (result.outcome === 'exact' && result.candidates[0]) choose(result.candidates[0]);
      else if (point?.source === 'address') onPoint(undefined);
    } catch (e) {
      setGeo({ loading: false, error: e });
    }
  };
  const choose = (c: GeoCandidate) => onPoint({ lon: c.lon, lat: c.lat, source: 'address', label: c.address ?? c.name });

  const layers = useMemo(() => {
    if (!point) return [];
    const data: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [point.lon, point.lat] } }] };
    return [{ id: 'intake-point', type: 'circle' as const, data, paint: { 'circle-color': '#d32f2f', 'circle-radius': 8, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } }];
  }, [point]);

  const r = geo.result;
  return (
    <div className="location-picker">
      <div className={`field${error ? ' field-invalid' : ''}`}>
        <label htmlFor="intake-address">{t({ zh: '地址', en: 'Address' })}</label>
        <div className="input-row">
          <input id="intake-address" value={address} maxLength={500} autoComplete="off"
            placeholder={placeholder ? t({ zh: `如：${placeholder}`, en: `e.g. ${placeholder}` }) : t({ zh: '路名门牌号、小区名或地标', en: 'road and number, compound or landmark' })}
            onChange={(e) => onAddress(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void geocode(); } }}
            aria-describedby="intake-address-hint" aria-invalid={error ? true : undefined} />
          <button type="button" className="btn" onClick={() => void geocode()} disabled={!address.trim() || geo.loading}>
            {geo.loading ? t('common.loading') : t({ zh: '定位', en: 'Locate' })}
          </button>
        </div>
        <div id="intake-address-hint" className="field-hint">{t({ zh: '回车或点“定位”查找地址；也可以直接在地图上点选位置。', en: 'Press Enter or Locate; or click the map.' })}</div>
        {error && <div className="field-error" role="alert">{error}</div>}
      </div>

      {geo.error !== undefined && <p className="intake-note intake-warn" role="alert">{errorText(geo.error)}</p>}
      {r && r.outcome === 'none' && <p className="intake-note intake-warn" role="status">{t({ zh: '地址库中未找到该地址，请在地图上点选位置。', en: 'Address not found: click the map.' })}</p>}
      {r && (r.outcome === 'ambiguous' || r.outcome === 'approximate') && r.candidates.length > 0 && (
        <fieldset className="candidates" data-testid="geocode-candidates">
          <legend>{r.outcome === 'ambiguous'
            ? t({ zh: '地址有多个可能，请选择：', en: 'Several places match; choose one:' })
            : t({ zh: '没有完全一致的地址，最接近的是（请确认或在地图上点选）：', en: 'No exact match. Closest (confirm one, or click the map):' })}</legend>
          {r.candidates.map((c, i) => (
            <button key={i} type="button" className={`candidate${point && point.lon === c.lon && point.lat === c.lat ? ' chip-on' : ''}`} onClick={() => choose(c)}>
              <strong>{c.name}</strong>
              {c.address && c.address !== c.name && <span className="muted"> {c.address}</span>}
              {c.location && <span className="muted small"> · {[c.location.street?.name, c.location.community.name].filter(Boolean).join(' ')}</span>}
              <span className="muted small"> · {methodText(c.method, t)} {Math.round(c.score * 100)}%</span>
            </button>
          ))}
        </fieldset>
      )}

      <MapView height={380} layers={layers} aria-label={t({ zh: '地图：点击选择位置', en: 'Map: click to choose the place' })}
        onReady={(m) => { mapRef.current = m; }}
        onClick={(e) => onPoint({ lon: e.lngLat.lng, lat: e.lngLat.lat, source: 'map' })} />

      <div className="located" aria-live="polite">
        {!point ? <span className="muted">{t({ zh: '尚未选择位置', en: 'No place chosen yet' })}</span>
          : located.loading && !located.data ? <Loading inline />
            : located.error ? <span className="intake-warn">{errorText(located.error)}</span>
              : located.data?.outcome === 'outside'
                ? <span className="intake-warn">{t({ zh: '该点不在本市任何网格内，请重新选择。', en: 'This point is outside every grid; choose another.' })}</span>
                : located.data && (
                  <span data-testid="located">
                    <strong>{t({ zh: '所在网格：', en: 'Grid: ' })}</strong>{placeText(located.data, locale)}
                    {point.label && <span className="muted"> · {point.label}</span>}
                    <span className="muted small"> ({point.lon.toFixed(5)}, {point.lat.toFixed(5)})</span>
                  </span>
                )}
        {point && <button type="button" className="btn-link" onClick={() => onPoint(undefined)}>{t({ zh: '清除位置', en: 'Clear' })}</button>}
      </div>
    </div>
  );
}

/** How a candidate was matched, in the seat's words (see the geocoder's MatchMethod). */
function methodText(method: string, t: ReturnType<typeof useI18n>['t']): string {
  switch (method) {
    case 'exact': return t({ zh: '完全一致', en: 'exact' });
    case 'variant': return t({ zh: '同义写法', en: 'other form' });
    case 'fuzzy': return t({ zh: '近似（有字不同）', en: 'similar name' });
    case 'interpolated': return t({ zh: '门牌推算', en: 'number interpolated' });
    case 'nearest': return t({ zh: '最近门牌', en: 'nearest number' });
    case 'road': return t({ zh: '仅匹配到道路', en: 'road only' });
    case 'intersection': return t({ zh: '路口', en: 'crossing' });
    case 'region': return t({ zh: '街镇/社区范围，请在地图上点选具体位置', en: 'a whole area: click the exact place' });
    default: return method;
  }
}

/** Real names from the gazetteer for the address field's example (the demo city's, or the city's own). */
function usePlaceholder(): string | undefined {
  const examples = useQuery(async (signal) => {
    const one = (kind: 'road' | 'compound' | 'landmark') =>
      api.GET('/api/v1/gazetteer', { params: { query: { kind, limit: 1 } }, signal }).then((p) => p.items[0]?.name).catch(() => undefined);
    return Promise.all([one('road'), one('compound'), one('landmark')]);
  }, []);
  const [road, compound, landmark] = examples.data ?? [];
  if (!road || !compound || !landmark) return undefined;
  return `${road}12号、${compound}、${landmark}对面`;
}

export const isOutOfGrid = (e: unknown) => isApiError(e) && e.code === 'OUT_OF_GRID';
