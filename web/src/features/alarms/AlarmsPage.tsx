/**
 * /alarms — sensing alarms (issue 11 parts 4–5): the review queue of camera analytics (the snapshot beside the map;
 * accept → a case, reject as a false alarm), the list of every alarm (with "mark false" for alarms that turned out
 * to be nothing), and the accuracy figures per device type, vendor and AI model.
 */
import { useMemo, useState } from 'react';
import { Link } from '../../app/router.tsx';
import { api, useQuery, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { useLiveEvents } from '../../app/sse.ts';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { MapView, type MapLayer, type MapLibreMap } from '../../components/MapView.tsx';
import './alarms.css';

type Alarm = ResponseOf<'/api/v1/alarms', 'get'>['items'][number];
type Tab = 'queue' | 'list' | 'accuracy';
const TOPICS = ['alarm.detected', 'alarm.raised', 'alarm.cleared', 'alarm.accepted', 'alarm.rejected', 'alarm.marked_false', 'alarm.reraised'];

const REVIEW: Record<string, { zh: string; en: string }> = {
  pending: { zh: '待审核', en: 'Waiting for review' }, below_threshold: { zh: '低于置信度', en: 'Below threshold' },
  submitting: { zh: '立案中', en: 'Filing' }, case: { zh: '已立案', en: 'Case opened' }, linked: { zh: '并入已有案件', en: 'Joined a case' },
  rejected: { zh: '已驳回（误报）', en: 'Rejected (false)' }, unfiled: { zh: '无法立案', en: 'Could not be filed' },
};

function AlarmMap({ a }: { a: Alarm }) {
  const { t } = useI18n();
  const layers = useMemo<MapLayer[]>(() => (a.lon !== null && a.lat !== null ? [{
    id: 'alarm-point', type: 'circle',
    data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [a.lon, a.lat] } }] },
    paint: { 'circle-color': '#d32f2f', 'circle-radius': 9, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
  }] : []), [a.lon, a.lat]);
  const onReady = (map: MapLibreMap) => { if (a.lon !== null && a.lat !== null) map.jumpTo({ center: [a.lon, a.lat], zoom: 16 }); };
  return <MapView key={a.id} height={320} layers={layers} onReady={onReady} show={{ districts: false, streets: true, communities: true, grids: true }}
    aria-label={t({ zh: '告警位置地图', en: 'Map of the alarm' })} />;
}

function ReviewQueue() {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const q = useQuery((signal) => api.GET('/api/v1/alarms', { params: { query: { review: 'pending', limit: 100 } }, signal }), []);
  const { can } = useAuth();
  useLiveEvents(() => q.reload(), TOPICS, can('events.read'));
  const [sel, setSel] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string; caseId?: number | null } | null>(null);
  if (q.error && !q.data) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading />;
  const items = q.data.items;
  const a = items.find((x) => x.id === sel) ?? items[0];
  const act = async (kind: 'accept' | 'reject') => {
    if (!a) return;
    setBusy(true); setMsg(null);
    try {
      if (kind === 'accept') {
        const r = await api.POST('/api/v1/alarms/{id}/accept', { params: { path: { id: a.id } }, body: {} });
        setMsg({ ok: true, text: r.how === 'linked' ? t({ zh: '已并入已有案件', en: 'Joined the open case' }) : t({ zh: '已受理立案', en: 'Case opened' }), caseId: r.caseId });
      } else {
        await api.POST('/api/v1/alarms/{id}/reject', { params: { path: { id: a.id } }, body: { reason } });
        setMsg({ ok: true, text: t({ zh: '已驳回为误报', en: 'Rejected as a false alarm' }) });
        setReason('');
      }
      setSel(null);
      q.reload();
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    } finally { setBusy(false); }
  };
  return (
    <div className="alarm-queue">
      <ul className="alarm-queue-list card" aria-label={t({ zh: '待审核告警', en: 'Alarms waiting for review' })}>
        {items.length === 0 && <li className="muted">{t({ zh: '没有待审核的告警。', en: 'Nothing waiting for review.' })}</li>}
        {items.map((x) => (
          <li key={x.id}>
            <button type="button" className={`alarm-queue-item${a?.id === x.id ? ' active' : ''}`} onClick={() => { setSel(x.id); setMsg(null); }}>
              <strong>{x.title}</strong> <span className="muted small">{Math.round((x.confidence ?? 0) * 100)}%</span>
              <div className="muted small">{x.deviceId} · {formatDateTime(x.raisedAt, locale)}</div>
            </button>
          </li>
        ))}
      </ul>
      {msg && <p role="status" className={msg.ok ? 'ok-text' : 'error-text'}>{msg.text}{msg.caseId ? <> · <Link to={`/cases/${msg.caseId}`}>{t({ zh: '查看案件', en: 'Open the case' })}</Link></> : null}</p>}
      {a && (
        <section className="card alarm-review" aria-label={t({ zh: '告警审核', en: 'Review' })}>
          <h3>{a.title} · {a.matterName}</h3>
          <p className="muted small">{t({ zh: '摄像头', en: 'Camera' })} {a.deviceId} · {t({ zh: '模型', en: 'Model' })} {a.aiModel ?? '—'} · {t({ zh: '置信度', en: 'Confidence' })} {Math.round((a.confidence ?? 0) * 100)}% · {formatDateTime(a.raisedAt, locale)}</p>
          <div className="alarm-review-body">
            <figure className="alarm-snapshot">
              {a.snapshotUrl ? <img src={a.snapshotUrl} alt={t({ zh: '抓拍图', en: 'Snapshot' })} /> : <p className="muted">{t({ zh: '无抓拍图', en: 'No snapshot' })}</p>}
            </figure>
            <div className="alarm-review-map"><AlarmMap a={a} /></div>
          </div>
          <div className="alarm-review-actions">
            <button type="button" className="primary" disabled={busy || !a.canReview} onClick={() => void act('accept')}>{t({ zh: '受理立案', en: 'Accept' })}</button>
            <label>{t({ zh: '误报原因', en: 'Why false' })} <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} /></label>
            <button type="button" className="danger" disabled={busy || !a.canReview || !reason.trim()} onClick={() => void act('reject')}>{t({ zh: '驳回为误报', en: 'Reject as false' })}</button>
          </div>
        </section>
      )}
    </div>
  );
}

function AlarmList() {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const [source, setSource] = useState<'' | 'iot' | 'video'>('');
  const q = useQuery((signal) => api.GET('/api/v1/alarms', { params: { query: { ...(source ? { source } : {}), limit: 200 } }, signal }), [source]);
  const [err, setErr] = useState<string | null>(null);
  const markFalse = async (a: Alarm) => {
    const reason = window.prompt(t({ zh: '误报原因', en: 'Why is it false?' }));
    if (!reason) return;
    try { await api.POST('/api/v1/alarms/{id}/false', { params: { path: { id: a.id } }, body: { reason } }); setErr(null); q.reload(); } catch (e) { setErr(errorText(e)); }
  };
  return (
    <section className="card">
      <label>{t({ zh: '来源', en: 'Source' })}{' '}
        <select value={source} onChange={(e) => setSource(e.target.value as typeof source)}>
          <option value="">{t({ zh: '全部', en: 'All' })}</option><option value="iot">{t({ zh: '物联感知', en: 'IoT rules' })}</option><option value="video">{t({ zh: '视频AI', en: 'Video AI' })}</option>
        </select>
      </label>
      {err && <p className="error-text" role="alert">{err}</p>}
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading inline /> : (
        <div className="table-wrap">
          <table className="alarm-table">
            <thead><tr>
              <th>{t({ zh: '告警', en: 'Alarm' })}</th><th>{t({ zh: '设备', en: 'Device' })}</th><th>{t({ zh: '事项', en: 'Matter' })}</th><th>{t({ zh: '状态', en: 'State' })}</th>
              <th>{t({ zh: '处理', en: 'Handling' })}</th><th>{t({ zh: '发生时间', en: 'Raised' })}</th><th>{t({ zh: '案件', en: 'Case' })}</th><th />
            </tr></thead>
            <tbody>
              {q.data.items.map((a) => (
                <tr key={a.id} data-alarm={a.id}>
                  <td>{a.title}{a.repeatCount ? <span className="muted small"> ×{a.repeatCount + 1}</span> : null}{a.falseAlarm ? <span className="badge warn">{t({ zh: '误报', en: 'False' })}</span> : null}</td>
                  <td>{a.deviceId}</td><td>{a.matterName}</td>
                  <td>{a.state === 'raised' ? t({ zh: '告警中', en: 'Raised' }) : t({ zh: '已恢复', en: 'Cleared' })}</td>
                  <td>{t(REVIEW[a.review] ?? { zh: a.review, en: a.review })}</td>
                  <td>{formatDateTime(a.raisedAt, locale)}</td>
                  <td>{a.caseId ? <Link to={`/cases/${a.caseId}`}>#{a.caseId}</Link> : '—'}</td>
                  <td>{a.canMarkFalse && <button type="button" className="small" onClick={() => void markFalse(a)}>{t({ zh: '标记误报', en: 'Mark false' })}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Accuracy() {
  const { t } = useI18n();
  const [by, setBy] = useState<'device_type' | 'vendor' | 'ai_model'>('ai_model');
  const q = useQuery((signal) => api.GET('/api/v1/alarms/accuracy', { params: { query: { by, days: 30 } }, signal }), [by]);
  return (
    <section className="card">
      <p className="muted small">{t({ zh: '近 30 天已研判告警中非误报的比例（实际 AI 准确率常在 81–90%）。', en: 'Share of judged alarms of the last 30 days that were not false (AI accuracy in practice is often 81–90 %).' })}</p>
      <label>{t({ zh: '分组', en: 'Group by' })}{' '}
        <select value={by} onChange={(e) => setBy(e.target.value as typeof by)}>
          <option value="ai_model">{t({ zh: 'AI 模型', en: 'AI model' })}</option><option value="device_type">{t({ zh: '设备类型', en: 'Device type' })}</option><option value="vendor">{t({ zh: '厂商', en: 'Vendor' })}</option>
        </select>
      </label>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading inline /> : (
        <table className="alarm-accuracy">
          <thead><tr><th>{t({ zh: '名称', en: 'Name' })}</th><th>{t({ zh: '来源', en: 'Source' })}</th><th>{t({ zh: '已研判', en: 'Judged' })}</th><th>{t({ zh: '误报', en: 'False' })}</th><th>{t({ zh: '准确率', en: 'Accuracy' })}</th></tr></thead>
          <tbody>
            {q.data.items.map((r) => (
              <tr key={`${r.key}-${r.source}`}>
                <td>{r.key ?? t({ zh: '未知', en: 'unknown' })}</td><td>{r.source}</td><td>{r.total}</td><td>{r.falseAlarms}</td>
                <td className={r.accuracy !== null && r.accuracy < 0.8 ? 'error-text' : ''}>{r.accuracy === null ? '—' : `${(r.accuracy * 100).toFixed(1)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export default function AlarmsPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('queue');
  const tabs: [Tab, string][] = [['queue', t({ zh: '审核队列', en: 'Review queue' })], ['list', t({ zh: '告警列表', en: 'Alarms' })], ['accuracy', t({ zh: '准确率', en: 'Accuracy' })]];
  return (
    <Page title={t({ zh: '感知告警', en: 'Sensing alarms' })} className="alarms-page">
      <div className="tabs" role="tablist">
        {tabs.map(([k, name]) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={`tab${tab === k ? ' active' : ''}`} onClick={() => setTab(k)}>{name}</button>
        ))}
      </div>
      {tab === 'queue' ? <ReviewQueue /> : tab === 'list' ? <AlarmList /> : <Accuracy />}
    </Page>
  );
}
