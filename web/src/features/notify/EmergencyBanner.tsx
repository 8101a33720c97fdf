/**
 * The emergency banner (issue 9 §5), mounted once in the Shell: every alert ringing on this console (its unit, or
 * its street — then district, then city as it escalates) shows here with a beep (Web Audio, no sound files) and a
 * desktop notification when the user allowed them, until someone on duty acknowledges it. The server decides
 * what rings where (GET /api/v1/alerts?mine=true); the live stream says when to ask again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, isApiError, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { useLiveEvents } from '../../app/sse.ts';
import { useErrorText } from '../../components/States.tsx';
import './notify.css';

type Alert = ResponseOf<'/api/v1/alerts', 'get'>['items'][number];
const TOPICS = ['emergency.raised', 'emergency.escalated', 'emergency.acknowledged', 'emergency.unanswered'] as const;
const LEVEL = { street: { zh: '街镇', en: 'street' }, district: { zh: '区', en: 'district' }, city: { zh: '市', en: 'city' } } as const;

let audio: AudioContext | undefined;
/** One short two-tone beep; false when the browser has not allowed sound yet (no user gesture on this page). */
function beep(): boolean {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') { void audio.resume(); return false; }
    const g = audio.createGain();
    g.gain.value = 0.08;
    g.connect(audio.destination);
    [880, 660].forEach((f, i) => {
      const o = audio!.createOscillator();
      o.type = 'square';
      o.frequency.value = f;
      o.connect(g);
      o.start(audio!.currentTime + i * 0.22);
      o.stop(audio!.currentTime + i * 0.22 + 0.18);
    });
    return true;
  } catch {
    return false;
  }
}

export function EmergencyBanner() {
  const { t, locale } = useI18n();
  const { user, can } = useAuth();
  const errorText = useErrorText();
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [muted, setMuted] = useState(false);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<number | undefined>();
  const [permission, setPermission] = useState(() => (typeof Notification === 'undefined' ? 'denied' : Notification.permission));
  const shown = useRef(new Set<string>());

  const refresh = useCallback(async () => {
    try {
      setAlerts((await api.GET('/api/v1/alerts', { params: { query: { mine: true, limit: 20 } } })).items);
    } catch { /* asked again on the next event or poll */ }
  }, []);
  const enabled = !!user && can('case.read');
  useEffect(() => {
    if (!enabled) return;
    void refresh();
    const timer = setInterval(() => void refresh(), 15_000);
    return () => clearInterval(timer);
  }, [enabled, refresh]);
  useLiveEvents(() => void refresh(), TOPICS, enabled && can('events.read'));

  // Sound while anything rings (every 2 s), and one desktop notification per alert and level.
  const ringing = alerts.length > 0 && !muted;
  useEffect(() => {
    if (!ringing) return;
    const ring = () => setSoundBlocked(!beep());
    ring();
    const timer = setInterval(ring, 2000);
    return () => clearInterval(timer);
  }, [ringing]);
  useEffect(() => {
    if (permission !== 'granted') return;
    for (const a of alerts) {
      const key = `${a.id}:${a.tier}`;
      if (shown.current.has(key)) continue;
      shown.current.add(key);
      try {
        new Notification(t({ zh: `紧急警报：案件 ${a.caseNo}`, en: `Emergency: case ${a.caseNo}` }), { body: a.caseSummary?.description ?? '', tag: `alert-${a.id}` });
      } catch { /* not allowed here (e.g. a mobile browser without the API) */ }
    }
  }, [alerts, permission, t]);

  if (!enabled || alerts.length === 0) return null;
  const acknowledge = async (a: Alert) => {
    setBusy(a.id);
    setError(undefined);
    try {
      await api.POST('/api/v1/alerts/{id}/acknowledge', { params: { path: { id: String(a.id) } }, body: {} });
      await refresh();
    } catch (err) {
      setError(isApiError(err) ? err.message : errorText(err)); // the server's message names the field (onDuty)
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div className="emergency-banner pulse" role="alert" data-testid="emergency-banner">
      {alerts.map((a) => {
        const level = a.tierLevel && a.tierLevel in LEVEL ? LEVEL[a.tierLevel as keyof typeof LEVEL] : null;
        return (
          <div className="emergency-row" key={a.id} data-testid="emergency-alert">
            <span className="emergency-title">⚠ {t({ zh: '非常紧急', en: 'Very urgent' })}</span>
            <Link to={`/cases/${a.caseId}`}>{t({ zh: '案件', en: 'Case' })} {a.caseNo}</Link>
            <span className="emergency-desc">{a.caseSummary?.description}{a.caseSummary?.address ? `（${a.caseSummary.address}）` : ''}</span>
            {level && <span data-testid="emergency-level">{t({ zh: `已升级至${level.zh}级`, en: `at ${level.en} level` })}</span>}
            {a.ackDueAt && <span>{t({ zh: `请于 ${formatDateTime(a.ackDueAt, locale)} 前确认`, en: `Acknowledge by ${formatDateTime(a.ackDueAt, locale)}` })}</span>}
            {a.canAcknowledge && (
              <button type="button" className="btn" disabled={busy === a.id} onClick={() => void acknowledge(a)}>
                {t({ zh: '确认接警', en: 'Acknowledge' })}
              </button>
            )}
          </div>
        );
      })}
      <div className="emergency-tools">
        {soundBlocked && !muted && <button type="button" className="btn" onClick={() => setSoundBlocked(!beep())}>{t({ zh: '启用提示音', en: 'Enable sound' })}</button>}
        <button type="button" className="btn" onClick={() => setMuted(!muted)}>{muted ? t({ zh: '恢复提示音', en: 'Unmute' }) : t({ zh: '静音', en: 'Mute' })}</button>
        {permission === 'default' && (
          <button type="button" className="btn" onClick={() => void Notification.requestPermission().then(setPermission)}>
            {t({ zh: '开启桌面通知', en: 'Desktop notifications' })}
          </button>
        )}
        {error && <span role="status">{error}</span>}
      </div>
    </div>
  );
}
