/**
 * 上报问题: a patrol report from the street (POST /api/v1/patrol/reports, multipart — src/intake/patrol/):
 * matter (picker + suggestions from the description), description, camera photos, the GPS point (or a tap on the
 * map), optional self-fix (自行处置) with its result. Filed through drafts.ts: kept on the phone and sent when
 * the connection allows, each with its own Idempotency-Key.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, isApiError, newIdempotencyKey, type ApiError } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { MapView, type MapLayer } from '../../components/MapView.tsx';
import { Checkbox, FormError, TextArea } from '../../components/Form.tsx';
import { useErrorText } from '../../components/States.tsx';
import { fileReport } from './drafts.ts';
import { useGeolocation } from './geo.ts';
import type { MatterItem, Suggestion } from './types.ts';

const MAX_PHOTOS = 6;

// The catalogue is read once per page load and kept, so the form still works after the connection drops.
let mattersPromise: Promise<MatterItem[]> | undefined;
export function loadMatters(): Promise<MatterItem[]> {
  mattersPromise ??= api.GET('/api/v1/catalog/matters').then((r) => r.items);
  mattersPromise.catch(() => { mattersPromise = undefined; });
  return mattersPromise;
}

type Result = { kind: 'sent'; caseNo: string | null; selfFixed?: boolean; selfFixError?: string } | { kind: 'draft' };

export function ReportForm() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const geo = useGeolocation();
  const [matters, setMatters] = useState<MatterItem[] | undefined>();
  const [mattersError, setMattersError] = useState<ApiError | undefined>();
  const [matterCode, setMatterCode] = useState('');
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [picked, setPicked] = useState<{ lon: number; lat: number } | undefined>();
  const [selfFixed, setSelfFixed] = useState(false);
  const [result, setResult] = useState('');
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<ApiError | undefined>();
  const [done, setDone] = useState<Result | undefined>();
  const key = useRef(newIdempotencyKey());
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    loadMatters().then(setMatters, (e: unknown) => setMattersError(isApiError(e) ? e : undefined));
  }, []);

  // Suggestions from the description, after a short pause in typing (ignored when offline).
  useEffect(() => {
    const text = description.trim();
    if (text.length < 2) { setSuggestions([]); return; }
    const ac = new AbortController();
    const timer = setTimeout(() => {
      api.GET('/api/v1/catalog/suggest', { params: { query: { text, limit: 4 } }, signal: ac.signal })
        .then((r) => setSuggestions(r.items), () => {});
    }, 350);
    return () => { clearTimeout(timer); ac.abort(); };
  }, [description]);

  const previews = useMemo(() => photos.map((f) => URL.createObjectURL(f)), [photos]);
  useEffect(() => () => previews.forEach((u) => URL.revokeObjectURL(u)), [previews]);

  const point = picked ?? (geo.fix ? { lon: geo.fix.lon, lat: geo.fix.lat } : undefined);
  const layers = useMemo<MapLayer[]>(() => point ? [{
    id: 'report-point', type: 'circle',
    data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [point.lon, point.lat] } }] },
    paint: { 'circle-color': '#d32f2f', 'circle-radius': 9, 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 },
  }] : [], [point?.lon, point?.lat]); // eslint-disable-line react-hooks/exhaustive-deps
  const centred = useRef(false);

  const groups = useMemo(() => {
    const m = new Map<string, MatterItem[]>();
    for (const x of matters ?? []) m.set(x.className || x.classCode, [...(m.get(x.className || x.classCode) ?? []), x]);
    return [...m.entries()];
  }, [matters]);
  const matterName = matters?.find((m) => m.code === matterCode)?.name;

  const addPhotos = (list: FileList | null) => {
    if (!list) return;
    const added = Array.from(list); // copy now: clearing the input empties the live FileList
    setPhotos((cur) => [...cur, ...added].slice(0, MAX_PHOTOS));
    if (fileInput.current) fileInput.current.value = '';
  };

  const missing = !matterCode || !description.trim() || photos.length === 0 || !point || (selfFixed && !result.trim());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (missing || !point) return;
    setBusy(true);
    setErr(undefined);
    try {
      const r = await fileReport({
        matterCode, description: description.trim(), lon: point.lon, lat: point.lat, selfFixed, ...(selfFixed ? { result: result.trim() } : {}),
      }, photos, key.current, matterName);
      setDone(r.status === 'draft' ? { kind: 'draft' } : {
        kind: 'sent', caseNo: r.report?.caseNo ?? null, selfFixed: r.report?.selfFixed, selfFixError: r.report?.selfFixError?.message,
      });
    } catch (x) {
      setErr(isApiError(x) ? x : undefined);
      // A refused report was not kept: a corrected one is a new report with a new key.
      key.current = newIdempotencyKey();
    } finally { setBusy(false); }
  };

  const reset = () => {
    setDone(undefined); setMatterCode(''); setDescription(''); setPhotos([]); setPicked(undefined); setSelfFixed(false); setResult('');
    setErr(undefined); key.current = newIdempotencyKey();
  };

  if (done) {
    return (
      <section className="m-card m-done" role="status" data-testid="m-report-done">
        {done.kind === 'sent' ? (
          <>
            <h2>{t({ zh: '上报成功', en: 'Report sent' })}</h2>
            {done.caseNo && <p>{t({ zh: '案件编号', en: 'Case number' })}: <strong data-testid="m-report-caseno">{done.caseNo}</strong></p>}
            {done.selfFixed && <p>{t({ zh: '已按自行处置结案。', en: 'Closed as self-fixed.' })}</p>}
            {done.selfFixError && <p className="form-error">{t({ zh: '自行处置未被接受，案件已正常立案', en: 'Self-fix was not accepted; the report stands' })}: {done.selfFixError}</p>}
          </>
        ) : (
          <>
            <h2>{t({ zh: '已保存为草稿', en: 'Saved as a draft' })}</h2>
            <p>{t({ zh: '网络不可用。上报已保存在本机（待发送），恢复网络后会自动发送。', en: 'No connection. The report is kept on this phone and sent automatically when the connection is back.' })}</p>
          </>
        )}
        <div className="m-row">
          <button type="button" className="btn btn-primary m-btn-big" onClick={reset}>{t({ zh: '继续上报', en: 'Report another' })}</button>
          <Link to="/m" className="btn m-btn-big">{t({ zh: '返回任务', en: 'Back to tasks' })}</Link>
        </div>
      </section>
    );
  }

  const fieldErr = (name: string) => (err && err.field === name ? errorText(err) : undefined);

  return (
    <form className="m-report" onSubmit={submit} aria-labelledby="m-report-title" noValidate>
      <Link to="/m" className="m-back">← {t({ zh: '返回任务列表', en: 'Back to tasks' })}</Link>
      <h2 id="m-report-title">{t({ zh: '上报问题', en: 'Report a problem' })}</h2>

      <TextArea label={t({ zh: '问题描述', en: 'Description' })} required rows={3} maxLength={4000} value={description}
        onChange={(e) => setDescription(e.target.value)} error={fieldErr('description')} name="description"
        placeholder={t({ zh: '例如：小区门口垃圾堆积', en: 'e.g. rubbish piled at the gate' })} />

      {suggestions.length > 0 && (
        <div className="m-suggest" aria-label={t({ zh: '推荐事项', en: 'Suggested matters' })}>
          <span className="muted">{t({ zh: '推荐事项：', en: 'Suggested: ' })}</span>
          {suggestions.map((s) => (
            <button key={s.code} type="button" className={`m-chip${s.code === matterCode ? ' m-chip-on' : ''}`} aria-pressed={s.code === matterCode}
              onClick={() => setMatterCode(s.code)}>{s.name} <span className="muted">{s.code}</span></button>
          ))}
        </div>
      )}

      <div className={`field${fieldErr('matterCode') ? ' field-invalid' : ''}`}>
        <label htmlFor="m-matter">{t({ zh: '事项类型', en: 'Matter' })}<span className="req" aria-hidden="true"> *</span></label>
        <select id="m-matter" required value={matterCode} onChange={(e) => setMatterCode(e.target.value)} disabled={!matters}
          aria-invalid={fieldErr('matterCode') ? true : undefined}>
          <option value="">{matters ? t({ zh: '请选择', en: 'Choose' }) : mattersError ? t({ zh: '事项目录加载失败', en: 'Catalogue failed to load' }) : t('common.loading')}</option>
          {groups.map(([cls, items]) => (
            <optgroup key={cls} label={cls}>
              {items.map((m) => <option key={m.code} value={m.code}>{m.code} {m.name}</option>)}
            </optgroup>
          ))}
        </select>
        {fieldErr('matterCode') && <div className="field-error" role="alert">{fieldErr('matterCode')}</div>}
      </div>

      <div className={`field m-photo-field${fieldErr('photo') ? ' field-invalid' : ''}`}>
        <label htmlFor="m-photo">{t({ zh: '现场照片（1–6 张）', en: 'Photos (1–6)' })}<span className="req" aria-hidden="true"> *</span></label>
        <input ref={fileInput} id="m-photo" className="sr-only m-file-input" type="file" accept="image/*" capture="environment" multiple
          onChange={(e) => addPhotos(e.target.files)} disabled={photos.length >= MAX_PHOTOS} />
        <label htmlFor="m-photo" className={`btn m-btn-big m-file${photos.length >= MAX_PHOTOS ? ' m-file-off' : ''}`} aria-hidden="true">
          {photos.length ? t({ zh: '再拍一张（{n}/6）', en: 'Add another ({n}/6)' }, { n: photos.length }) : t({ zh: '拍照 / 选择照片', en: 'Take or choose photos' })}
        </label>
        {photos.length > 0 && (
          <ul className="m-thumbs">
            {photos.map((f, i) => (
              <li key={i}>
                <img src={previews[i]} alt={f.name} />
                <button type="button" className="m-thumb-del" aria-label={t({ zh: '删除照片 {n}', en: 'Remove photo {n}' }, { n: i + 1 })}
                  onClick={() => setPhotos((cur) => cur.filter((_, j) => j !== i))}>×</button>
              </li>
            ))}
          </ul>
        )}
        {fieldErr('photo') && <div className="field-error" role="alert">{fieldErr('photo')}</div>}
      </div>

      <div className="field">
        <span className="m-label" id="m-point-label">{t({ zh: '问题位置', en: 'Location' })}<span className="req" aria-hidden="true"> *</span></span>
        <p className="m-point" data-testid="m-point" aria-labelledby="m-point-label">
          {point ? `${point.lon.toFixed(5)}, ${point.lat.toFixed(5)} · ${picked ? t({ zh: '地图选点', en: 'picked on the map' })
            : t({ zh: 'GPS 定位 ±{a} 米', en: 'GPS ±{a} m' }, { a: Math.round(geo.fix?.accuracy ?? 0) })}`
            : geo.waiting ? t({ zh: '正在定位…也可在地图上点选', en: 'Locating… or tap the map' })
              : t({ zh: '无法定位，请在地图上点选位置', en: 'No GPS: tap the map to set the point' })}
        </p>
        <MapView height={200} show={{ districts: false, streets: true, communities: false, grids: true }} layers={layers}
          onClick={(e) => setPicked({ lon: e.lngLat.lng, lat: e.lngLat.lat })}
          onReady={(m) => { if (point && !centred.current) { centred.current = true; m.jumpTo({ center: [point.lon, point.lat], zoom: 15 }); } }}
          aria-label={t({ zh: '点击地图选择问题位置', en: 'Tap the map to set the location' })} />
        {picked && geo.fix && (
          <button type="button" className="btn m-btn-small" onClick={() => setPicked(undefined)}>{t({ zh: '使用当前定位', en: 'Use my GPS position' })}</button>
        )}
        {(fieldErr('lon') || fieldErr('lat')) && <div className="field-error" role="alert">{fieldErr('lon') ?? fieldErr('lat')}</div>}
      </div>

      <Checkbox label={t({ zh: '已自行处置（现场已解决）', en: 'Fixed it myself on the spot' })} checked={selfFixed} onChange={(e) => setSelfFixed(e.target.checked)} />
      {selfFixed && (
        <TextArea label={t({ zh: '处置结果', en: 'What was done' })} required rows={2} maxLength={2000} value={result}
          onChange={(e) => setResult(e.target.value)} error={fieldErr('result')} name="result" />
      )}

      <FormError>{err && !['description', 'matterCode', 'photo', 'lon', 'lat', 'result'].includes(err.field ?? '') ? `${errorText(err)} (${err.code}${err.field ? ` · ${err.field}` : ''})` : undefined}</FormError>
      <button type="submit" className="btn btn-primary m-btn-big m-submit" disabled={busy || missing}>
        {busy ? t({ zh: '提交中…', en: 'Sending…' }) : t({ zh: '提交上报', en: 'Send report' })}
      </button>
      {missing && !busy && <p className="muted m-hint">{t({ zh: '请填写描述、选择事项、拍摄照片并确定位置。', en: 'Fill in the description, matter, photo and location.' })}</p>}
    </form>
  );
}
