/**
 * On a case: the cameras nearest its place (issue 11 part 5), with distance, direction and the stream on the
 * city's own video platform; and the sensing alarms that opened or joined the case.
 */
import { api, useQuery } from '../../app/api.ts';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { ErrorState, Loading } from '../../components/States.tsx';

export function CaseCamerasPanel({ caseId, located }: { caseId: number | string; located: boolean }) {
  const { t, locale } = useI18n();
  const cams = useQuery((signal) => (located ? api.GET('/api/v1/cases/{id}/cameras', { params: { path: { id: String(caseId) } }, signal }) : Promise.resolve({ items: [] })), [caseId, located]);
  const alarms = useQuery((signal) => api.GET('/api/v1/alarms', { params: { query: { caseId: Number(caseId), limit: 20 } }, signal }), [caseId]);
  const hasAlarms = (alarms.data?.items.length ?? 0) > 0;
  if (!located && !hasAlarms) return null;
  return (
    <section className="card" aria-labelledby="cams-h" data-testid="case-cameras">
      <h2 id="cams-h">{t({ zh: '附近摄像头', en: 'Nearest cameras' })}</h2>
      {cams.error && !cams.data ? <ErrorState error={cams.error} onRetry={cams.reload} /> : !cams.data ? <Loading inline /> : cams.data.items.length === 0
        ? <p className="muted">{t({ zh: '500 米内没有登记的摄像头。', en: 'No registered camera within 500 m.' })}</p>
        : (
          <ul className="plain-list">
            {cams.data.items.map(({ camera: c, distanceMeters }) => (
              <li key={c.id}>
                <strong>{c.name}</strong> <span className="muted small">{c.id} · {distanceMeters} m{c.direction !== null ? ` · ${t({ zh: '朝向', en: 'facing' })} ${c.direction}°` : ''}</span>
                {c.streamUrl && <div className="small"><a href={c.streamUrl} target="_blank" rel="noreferrer">{t({ zh: '打开视频流', en: 'Open the stream' })}</a></div>}
              </li>
            ))}
          </ul>
        )}
      {hasAlarms && (
        <>
          <h3>{t({ zh: '关联告警', en: 'Alarms of this case' })}</h3>
          <ul className="plain-list">
            {alarms.data!.items.map((a) => (
              <li key={a.id}>{a.title} · {a.deviceId} · {formatDateTime(a.raisedAt, locale)} · {a.state === 'raised' ? t({ zh: '告警中', en: 'raised' }) : t({ zh: '已恢复', en: 'cleared' })}{a.falseAlarm ? ` · ${t({ zh: '误报', en: 'false' })}` : ''}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
