/**
 * 上岗 / 下岗 on the phone view: going on duty is the consent to share the position; while on duty the browser's
 * geolocation is watched and a fix is sent when the person has moved (> 20 m) or every 30 s; going off duty stops
 * the watch and the sending. A refused fix (outside the city, an impossible jump) is shown, not retried.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, isApiError, useQuery } from '../../app/api.ts';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { useAuth } from '../../app/auth.tsx';
import './resources.css';

const MOVE_M = 20;
const EVERY_MS = 30_000;

function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

export function DutyToggle() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const allowed = can('resource.report');
  const status = useQuery((signal) => (allowed ? api.GET('/api/v1/resources/duty', { signal }) : Promise.resolve(undefined)), [allowed]);
  const [onDuty, setOnDuty] = useState<boolean | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [sentAt, setSentAt] = useState<number | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const last = useRef<{ lon: number; lat: number; at: number } | undefined>(undefined);

  useEffect(() => { if (status.data) setOnDuty(status.data.onDuty); }, [status.data]);

  const send = useCallback(async (p: GeolocationPosition) => {
    const fix = { lon: p.coords.longitude, lat: p.coords.latitude, at: Math.round(p.timestamp) };
    const prev = last.current;
    if (prev && metres(prev, fix) < MOVE_M && fix.at - prev.at < EVERY_MS) return;
    last.current = fix;
    try {
      await api.POST('/api/v1/resources/me/position', { body: { ...fix, accuracyM: Number.isFinite(p.coords.accuracy) ? p.coords.accuracy : null } });
      setSentAt(Date.now());
      setProblem(undefined);
    } catch (e) {
      setProblem(isApiError(e) ? e.message : String(e));
      if (isApiError(e) && e.field === 'onDuty') setOnDuty(false);
    }
  }, []);

  useEffect(() => {
    if (!onDuty) return;
    if (!navigator.geolocation) { setProblem(t({ zh: '此设备不支持定位。', en: 'This device cannot locate itself.' })); return; }
    const id = navigator.geolocation.watchPosition((p) => void send(p),
      (e) => setProblem(e.code === e.PERMISSION_DENIED ? t({ zh: '未获得定位权限：请在浏览器中允许定位。', en: 'Location permission denied: allow it in the browser.' })
        : t({ zh: '暂时无法定位。', en: 'Position unavailable for now.' })),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 });
    return () => navigator.geolocation.clearWatch(id);
  }, [onDuty, send, t]);

  if (!allowed) return null;
  const toggle = async () => {
    setBusy(true);
    try {
      const r = await api.POST('/api/v1/resources/duty', { body: { onDuty: !onDuty } });
      setOnDuty(r.onDuty);
      last.current = undefined;
      if (!r.onDuty) { setSentAt(undefined); setProblem(undefined); }
    } catch (e) {
      setProblem(isApiError(e) ? e.message : String(e));
    } finally { setBusy(false); }
  };
  return (
    <div className={`duty-toggle${onDuty ? ' duty-on' : ''}`} data-testid="duty-toggle">
      <button type="button" className={`btn m-btn-small ${onDuty ? 'btn-danger' : 'btn-primary'}`} disabled={busy || onDuty === undefined}
        aria-pressed={!!onDuty} onClick={() => void toggle()}>
        {onDuty ? t({ zh: '下岗', en: 'Go off duty' }) : t({ zh: '上岗', en: 'Go on duty' })}
      </button>
      <span className="duty-state" role="status" data-testid="duty-state">
        {onDuty ? t({ zh: '在岗 · 正在共享位置', en: 'On duty · sharing position' }) : t({ zh: '未上岗 · 不共享位置', en: 'Off duty · not sharing' })}
        {onDuty && sentAt && <span className="muted small"> · {t({ zh: '已上报 {t}', en: 'sent {t}' }, { t: formatDateTime(sentAt, locale, true) })}</span>}
      </span>
      {problem && <span className="field-error small" role="alert">{problem}</span>}
    </div>
  );
}

export default DutyToggle;
