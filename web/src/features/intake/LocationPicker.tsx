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
      if ((result.outcome === 'exact' || result.outcome === 'approximate') && result.candidates[0]) choose(result.candidates[0]);
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
            placeholder={t({ zh: '如：望江路128号、锦绣花园、人民医院对面', en: 'e.g. road and number, compound, landmark' })}
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
      {r && r.outcome === 'ambiguous' && (
        <fieldset className="candidates">
          <legend>{t({ zh: '地址有多个可能，请选择：', en: 'Several places match; choose one:' })}</legend>
          {r.candidates.map((c, i) => (
            <button key={i} type="button" className={`candidate${point && point.lon === c.lon && point.lat === c.lat ? ' chip-on' : ''}`} onClick={() => choose(c)}>
              <strong>{c.name}</strong>
              {c.address && c.address !== c.name && <span className="muted"> {c.address}</span>}
              {c.location && <span className="muted small"> · {[c.location.street?.name, c.location.community.name].filter(Boolean).join(' ')}</span>}
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

export const isOutOfGrid = (e: unknown) => isApiError(e) && e.code === 'OUT_OF_GRID';
