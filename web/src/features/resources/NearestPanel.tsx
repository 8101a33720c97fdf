/**
 * On a case: the nearest available people (on duty, of a kind that can act, position fresh), with distance and
 * current load, nearest first — for choosing whom to send to verify or handle. Refreshes every 30 s.
 */
import { useEffect } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { useI18n } from '../../app/i18n.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { KIND_COLOR, KIND_LABEL, distanceText } from './resources.ts';
import './resources.css';

export function NearestPanel({ caseId, located }: { caseId: number | string; located: boolean }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const allowed = can('resource.read') && located;
  const q = useQuery((signal) => (allowed
    ? api.GET('/api/v1/resources/nearest', { params: { query: { caseId: String(caseId), limit: 8 } }, signal })
    : Promise.resolve(undefined)), [caseId, allowed]);
  const { reload } = q;
  useEffect(() => {
    if (!allowed) return;
    const id = setInterval(reload, 30_000);
    return () => clearInterval(id);
  }, [allowed, reload]);
  if (!allowed) return null;
  return (
    <section className="card" aria-labelledby="nearest-h" data-testid="nearest-panel">
      <h2 id="nearest-h">{t({ zh: '附近在岗力量', en: 'Nearest people on duty' })}</h2>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={reload} /> : !q.data ? <Loading inline /> : q.data.items.length === 0
        ? <p className="muted">{t({ zh: '附近没有在岗且位置新鲜的人员。', en: 'Nobody on duty with a fresh position nearby.' })}</p>
        : (
          <ol className="nearest-list">
            {q.data.items.map((h) => (
              <li key={h.resource.resourceId} data-testid="nearest-item">
                <span>
                  <span className="kind-dot" style={{ background: KIND_COLOR[h.resource.kind] }} aria-hidden />
                  <strong>{h.resource.label}</strong> <span className="muted small">{t(KIND_LABEL[h.resource.kind] ?? { zh: h.resource.kind, en: h.resource.kind })}
                    {h.resource.unit ? ` · ${h.resource.unit.name}` : ''}</span>
                </span>
                <span className="small">
                  {distanceText(h.distanceM, locale)} · {t({ zh: '在办 {n}', en: '{n} open' }, { n: h.openCases })}
                  {h.ageS > 120 && <span className="muted"> · {t({ zh: '{m} 分钟前', en: '{m} min ago' }, { m: Math.round(h.ageS / 60) })}</span>}
                </span>
              </li>
            ))}
          </ol>
        )}
    </section>
  );
}

export default NearestPanel;
