/**
 * The seat's own log (我的今日来电): the calls this seat took today, counted by outcome — answered, refused (with a
 * referral), filed as a case, urged (催办) on an open case — and listed newest first, each linking to its case.
 * Reloads after every call the seat records (`tick`).
 */
import { useMemo } from 'react';
import { api, useQuery } from '../../app/api.ts';
import { cityDayStart, formatDateTime, useI18n, type Msg } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';

const OUTCOMES: [string, Msg][] = [
  ['answered', { zh: '直接答复', en: 'Answered' }],
  ['refused', { zh: '不予受理', en: 'Refused' }],
  ['case', { zh: '派单', en: 'Filed' }],
  ['linked', { zh: '催办', en: 'Urged' }],
];

export function MyCalls({ tick }: { tick: number }) {
  const { t, locale } = useI18n();
  const since = useMemo(() => new Date(cityDayStart(Date.now())).toISOString(), [tick]); // eslint-disable-line react-hooks/exhaustive-deps
  const q = useQuery((signal) => api.GET('/api/v1/hotline/calls', { params: { query: { mine: true, since, limit: 100 } }, signal }), [since, tick]);
  const counts = q.data?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <details className="card my-calls" data-testid="my-calls">
      <summary className="card-title">
        {t({ zh: '我的今日来电', en: 'My calls today' })} <span className="muted">({total})</span>
        {' '}{OUTCOMES.map(([k, label]) => <span key={k} className="chip small">{t(label)} {counts[k] ?? 0}</span>)}
      </summary>
      {q.data && q.data.items.length === 0 && <p className="muted">{t({ zh: '今天还没有来电记录。', en: 'No calls yet today.' })}</p>}
      {q.data && q.data.items.length > 0 && (
        <ol className="my-calls-list">
          {q.data.items.map((c) => (
            <li key={c.id}>
              <time className="muted small" dateTime={c.createdAt}>{formatDateTime(c.createdAt, locale).slice(-5)}</time>{' '}
              <strong>{locale === 'en' ? c.outcome : c.outcomeZh}</strong>{' '}
              <span className="muted">{c.caller.phone} · {c.kindZh}</span>{' '}
              {c.caseId !== null && <Link to={`/cases/${c.caseId}`}>{t({ zh: '案件', en: 'case' })} #{c.caseId}</Link>}
              {c.referralZh && <span className="muted"> → {c.referralZh}</span>}
              <div className="muted small my-calls-desc">{c.description}</div>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
