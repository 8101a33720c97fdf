/** The citizen's report: what (a short list), where (map or GPS), a photo, the description, an optional phone. */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { FeatureCollection } from 'geojson';
import { api, isApiError, newIdempotencyKey, useQuery, type ApiError } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { FormError, TextArea, TextField } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { asGeoJson, MapView, type MapLibreMap } from '../../components/MapView.tsx';
import { isValidCallerPhone } from '../../../../src/domain/hotline/hotline.ts';
import { remember, type PublicReport } from './store.ts';
import { MatterPicker } from './MatterPicker.tsx';
import { AddressSearch } from './AddressSearch.tsx';

const MAX_PHOTOS = 3;
const MAX_BYTES = 10 * 1024 * 1024;

interface Point { lon: number; lat: number; street?: string; source: 'map' | 'gps' | 'address'; address?: string; approximate?: boolean }

const FIELD_OF: Record<string, string> = { matterCode: 'matter', description: 'description', phone: 'phone', location: 'location', lon: 'location', lat: 'location', photo: 'photo', address: 'location' };

function bboxOf(fc: FeatureCollection): [number, number, number, number] | undefined {
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  const visit = (x: unknown): void => {
    if (Array.isArray(x) && typeof x[0] === 'number') {
      const [lon, lat] = x as number[];
      a = Math.min(a, lon); b = Math.min(b, lat); c = Math.max(c, lon); d = Math.max(d, lat);
    } else if (Array.isArray(x)) x.forEach(visit);
  };
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) visit(f.geometry.coordinates);
  return Number.isFinite(a) ? [a, b, c, d] : undefined;
}

export function ReportForm({ onFollow }: { onFollow: (caseNo: string) => void }) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const matters = useQuery((signal) => api.GET('/api/v1/public/matters', { signal }), []);
  const outlines = useQuery((signal) => api.GET('/api/v1/public/regions.geojson', { params: { query: { level: 'street' } }, signal }).then(asGeoJson), []);
  const [matterCode, setMatterCode] = useState('');
  const [point, setPoint] = useState<Point | undefined>();
  const [photos, setPhotos] = useState<File[]>([]);
  const [description, setDescription] = useState('');
  const [phone, setPhone] = useState('');
  const [gps, setGps] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<ApiError | undefined>();
  const [saving, setSaving] = useState(false);
  const [idemKey, setIdemKey] = useState(newIdempotencyKey);
  const [done, setDone] = useState<PublicReport | undefined>();
  const mapRef = useRef<MapLibreMap | undefined>(undefined);
  const [mapReady, setMapReady] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const previews = useMemo(() => photos.map((f) => URL.createObjectURL(f)), [photos]);
  useEffect(() => () => previews.forEach((u) => URL.revokeObjectURL(u)), [previews]);

  // Fit the map to the city's streets once both are there.
  useEffect(() => {
    const box = outlines.data && bboxOf(outlines.data);
    if (mapReady && box && mapRef.current) mapRef.current.fitBounds(box, { padding: 10, animate: false });
  }, [mapReady, outlines.data]);

  const layers = useMemo(() => {
    const out = [];
    if (outlines.data) {
      out.push({ id: 'portal-streets-fill', type: 'fill' as const, data: outlines.data, paint: { 'fill-color': '#1565c0', 'fill-opacity': 0.04 } });
      out.push({ id: 'portal-streets', type: 'line' as const, data: outlines.data, paint: { 'line-color': '#1565c0', 'line-width': 1.5, 'line-opacity': 0.7 } });
    }
    if (point) {
      out.push({
        id: 'portal-point', type: 'circle' as const,
        data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [point.lon, point.lat] } }] } as FeatureCollection,
        paint: { 'circle-color': '#d32f2f', 'circle-radius': 9, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 },
      });
    }
    return out;
  }, [outlines.data, point]);

  const useMyLocation = () => {
    if (!('geolocation' in navigator)) { setGps({ busy: false, error: t({ zh: '此浏览器不支持定位，请在地图上点选。', en: 'This browser cannot locate you; tap the map.' }) }); return; }
    setGps({ busy: true });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const p = { lon: pos.coords.longitude, lat: pos.coords.latitude, source: 'gps' as const };
        setPoint(p);
        setErrors((e) => ({ ...e, location: '' }));
        setGps({ busy: false });
        mapRef.current?.jumpTo({ center: [p.lon, p.lat], zoom: Math.max(mapRef.current.getZoom(), 14) });
      },
      (err) => setGps({
        busy: false,
        error: err.code === err.PERMISSION_DENIED ? t({ zh: '未获得定位权限，请在地图上点选位置。', en: 'Location permission denied; tap the map.' })
          : t({ zh: '暂时无法定位，请在地图上点选位置。', en: 'Could not get your location; tap the map.' }),
      }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const addPhotos = (list: FileList | null) => {
    if (!list) return;
    const next = [...photos];
    let err = '';
    for (const f of Array.from(list)) {
      if (!f.type.startsWith('image/')) { err = t({ zh: '只能上传图片', en: 'Images only' }); continue; }
      if (f.size > MAX_BYTES) { err = t({ zh: '单张照片不能超过 10 MB', en: 'Each photo must be under 10 MB' }); continue; }
      if (next.length >= MAX_PHOTOS) { err = t({ zh: '最多 {n} 张照片', en: 'At most {n} photos' }, { n: MAX_PHOTOS }); break; }
      next.push(f);
    }
    setPhotos(next);
    setErrors((e) => ({ ...e, photo: err }));
    if (fileRef.current) fileRef.current.value = '';
  };

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (saving) return;
    const e: Record<string, string> = {};
    if (!matterCode) e.matter = t({ zh: '请选择问题类型', en: 'Choose what the problem is' });
    if (!point) e.location = t({ zh: '请在地图上点选位置，或使用我的位置', en: 'Tap the map or use your location' });
    if (!description.trim()) e.description = t({ zh: '请简单描述问题', en: 'Describe the problem' });
    if (phone.trim() && !isValidCallerPhone(phone.trim())) e.phone = t({ zh: '手机号格式不正确', en: 'Not a valid phone number' });
    setErrors(e);
    setFormError(undefined);
    if (Object.values(e).some(Boolean)) return;
    const fd = new FormData();
    fd.set('matterCode', matterCode);
    fd.set('lon', point!.lon.toFixed(7));
    fd.set('lat', point!.lat.toFixed(7));
    fd.set('description', description.trim());
    if (point!.source === 'address' && point!.address) fd.set('address', point!.address.slice(0, 200));
    if (phone.trim()) fd.set('phone', phone.trim());
    for (const p of photos) fd.append('photo', p, p.name);
    setSaving(true);
    try {
      const r = await api.upload('/api/v1/public/reports', fd, { idempotencyKey: idemKey });
      remember({ caseNo: r.caseNo, code: r.trackingCode, at: r.createdAt });
      setDone(r);
    } catch (err) {
      const f = isApiError(err) && err.field ? FIELD_OF[err.field] : undefined;
      if (f) setErrors({ [f]: (err as ApiError).message });
      else setFormError(err as ApiError);
    } finally {
      setSaving(false);
    }
  };

  const again = () => {
    setDone(undefined); setMatterCode(''); setPoint(undefined); setPhotos([]); setDescription(''); setPhone('');
    setErrors({}); setFormError(undefined); setIdemKey(newIdempotencyKey());
  };

  if (done) {
    return (
      <div className="portal-card portal-done" role="status" data-testid="portal-done">
        <h2>{t({ zh: '提交成功，感谢您的反映！', en: 'Thank you — your report is in.' })}</h2>
        <dl className="portal-codes">
          <dt>{t({ zh: '案件编号', en: 'Case number' })}</dt><dd data-testid="case-no">{done.caseNo}</dd>
          <dt>{t({ zh: '查询码（请妥善保存，评价时需要）', en: 'Tracking code (keep it: you need it to rate)' })}</dt><dd data-testid="tracking-code" className="code">{done.trackingCode}</dd>
        </dl>
        {done.duplicate && <p>{t({ zh: '附近已有人反映同一问题，我们将一并处理，进度与之同步。', en: 'Someone reported this problem nearby already; it is handled together.' })}</p>}
        <p className="muted">{t({ zh: '当前状态：', en: 'Now: ' })}{locale === 'en' ? done.stageLabel.en : done.stageLabel.zh}{done.street ? ` · ${done.street}` : ''}</p>
        <p className="muted small">{t({ zh: '本机已记住此编号和查询码。', en: 'This device remembers the number and code.' })}</p>
        <div className="portal-actions">
          <button type="button" className="btn btn-primary" onClick={() => onFollow(done.caseNo)}>{t({ zh: '查看进度', en: 'Follow it' })}</button>
          <button type="button" className="btn" onClick={again}>{t({ zh: '再反映一个问题', en: 'Report another' })}</button>
        </div>
      </div>
    );
  }

  return (
    <form className="portal-card" onSubmit={submit} noValidate aria-label={t({ zh: '反映问题', en: 'Report a problem' })}>
      {matters.error ? <ErrorState error={matters.error} onRetry={matters.reload} />
        : !matters.data ? <Loading inline />
          : <MatterPicker matters={matters.data.items} value={matterCode} error={errors.matter || undefined}
              onChange={(code) => { setMatterCode(code); setErrors((x) => ({ ...x, matter: '' })); }} />}

      <div className={`field${errors.location ? ' field-invalid' : ''}`}>
        <span className="field-label" id="portal-where">{t({ zh: '问题位置', en: 'Where is it?' })}<span className="req" aria-hidden="true"> *</span></span>
        <div className="portal-where">
          <button type="button" className="btn" onClick={useMyLocation} disabled={gps.busy} aria-describedby="portal-where">
            {gps.busy ? t({ zh: '正在定位…', en: 'Locating…' }) : t({ zh: '使用我的位置', en: 'Use my location' })}
          </button>
          <span className="muted small">{t({ zh: '或按地址查找，或在地图上点选', en: 'or find the address, or tap the map' })}</span>
        </div>
        <AddressSearch onPick={(c) => {
          setPoint({ lon: c.lon, lat: c.lat, street: c.street ?? undefined, source: 'address', address: c.address ?? c.name, approximate: c.approximate });
          setErrors((x) => ({ ...x, location: '' }));
          mapRef.current?.jumpTo({ center: [c.lon, c.lat], zoom: Math.max(mapRef.current.getZoom(), 15) });
        }} />
        {gps.error && <div className="field-hint portal-warn" role="status">{gps.error}</div>}
        {outlines.error && <div className="field-hint">{t({ zh: '街镇边界暂不可用，仍可在地图上点选。', en: 'Street and town outlines unavailable; you can still tap the map.' })}</div>}
        <MapView height="min(360px, 55vh)" show={{ districts: false, streets: false, communities: false, grids: false }} layers={layers}
          aria-label={t({ zh: '地图：点选问题位置', en: 'Map: tap where the problem is' })}
          onReady={(m) => { mapRef.current = m; setMapReady(true); }}
          onClick={(e) => {
            const street = e.features.find((f) => f.layer === 'portal-streets-fill' || f.layer === 'portal-streets')?.properties.name;
            setPoint({ lon: e.lngLat.lng, lat: e.lngLat.lat, street: typeof street === 'string' ? street : undefined, source: 'map' });
            setErrors((x) => ({ ...x, location: '' }));
          }} />
        <div className="portal-point" aria-live="polite" data-testid="portal-point">
          {point ? <>{t({ zh: '已选位置', en: 'Chosen' })}{point.street ? `：${point.street}` : ''} <span className="muted small">({point.lon.toFixed(5)}, {point.lat.toFixed(5)}){point.source === 'gps' ? t({ zh: ' · 来自定位', en: ' · from GPS' }) : ''}</span>
            {point.source === 'address' && <span className="muted small"> · {point.address}{point.approximate ? t({ zh: '（近似位置，可在地图上点选更正）', en: ' (approximate: tap the map to correct it)' }) : ''}</span>}</>
            : <span className="muted">{t({ zh: '尚未选择位置', en: 'No place chosen yet' })}</span>}
        </div>
        {errors.location && <div className="field-error" role="alert">{errors.location}</div>}
      </div>

      <div className={`field${errors.photo ? ' field-invalid' : ''}`}>
        <span className="field-label" id="portal-photo-label">{t({ zh: '照片（可选，最多 3 张）', en: 'Photos (optional, up to 3)' })}</span>
        <div className={`photo-picker${photos.length >= MAX_PHOTOS ? ' photo-picker-off' : ''}`}>
          <input id="portal-photo" className="sr-only" ref={fileRef} type="file" accept="image/*" capture="environment" multiple
            aria-labelledby="portal-photo-label portal-photo-button" onChange={(e) => addPhotos(e.target.files)} disabled={photos.length >= MAX_PHOTOS} />
          <label htmlFor="portal-photo" id="portal-photo-button" className="btn">{t({ zh: '拍照或选择照片', en: 'Take or choose a photo' })}</label>
          <span className="muted small">{t({ zh: '已选 {n} 张', en: '{n} chosen' }, { n: photos.length })}</span>
        </div>
        {photos.length > 0 && (
          <ul className="portal-photos">
            {photos.map((p, i) => (
              <li key={previews[i]}>
                <img src={previews[i]} alt={t({ zh: '照片 {n}', en: 'Photo {n}' }, { n: i + 1 })} />
                <button type="button" className="btn-link" onClick={() => setPhotos(photos.filter((_, j) => j !== i))}>{t({ zh: '移除', en: 'Remove' })}</button>
              </li>
            ))}
          </ul>
        )}
        {errors.photo && <div className="field-error" role="alert">{errors.photo}</div>}
      </div>

      <TextArea label={t({ zh: '问题描述', en: 'Describe the problem' })} required value={description} maxLength={2000} rows={4}
        placeholder={t({ zh: '如：小区东门路灯不亮已经三天了', en: 'e.g. the street light at the east gate has been out for three days' })}
        onChange={(e) => { setDescription(e.target.value); setErrors((x) => ({ ...x, description: '' })); }} error={errors.description || undefined} />
      <TextField label={t({ zh: '手机号（可选，用于回访）', en: 'Phone (optional, for a callback)' })} type="tel" inputMode="tel" autoComplete="tel"
        value={phone} maxLength={20} onChange={(e) => { setPhone(e.target.value); setErrors((x) => ({ ...x, phone: '' })); }} error={errors.phone || undefined}
        hint={t({ zh: '仅工作人员可见，不会公开。', en: 'Seen by staff only, never published.' })} />

      <FormError>{formError ? errorText(formError) : undefined}</FormError>
      <button type="submit" className="btn btn-primary btn-block" disabled={saving}>{saving ? t({ zh: '正在提交…', en: 'Sending…' }) : t({ zh: '提交', en: 'Send' })}</button>
    </form>
  );
}
