/**
 * Tasks in the user's area, nearest first (newest first without a GPS fix): to verify (核实) and to check (核查), and
 * for a grid member the cases given to them to handle (待签收 / 待处置).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLiveEvents } from '../../app/sse.ts';
import { api, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDuration, getCityTimeZone, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/States.tsx';
import { distanceM, formatDistance, useGeolocation } from './geo.ts';
import { FIELD_ACTIONS, TASK_TOPICS, placeOf } from './types.ts';
import { urgencyMsg } from '../cases/model.ts';

/** Only while the live stream is down (the list follows the stream otherwise): a slow poll. */
const FALLBACK_REFRESH_MS = 60_000;


const KIND: Record<string, { zh: string; en: string }> = {
  VERIFYING: { zh: '核实', en: 'Verify' }, CHECKING: { zh: '核查', en: 'Check' },
  DISPATCHED: { zh: '待签收', en: 'To sign' }, IN_PROGRESS: { zh: '待处置', en: 'To handle' },
};

const shortFormats = new Map<string, Intl.DateTimeFormat>();
/** "11/27 08:11" in the city's time zone: short enough for a phone row. */
function shortTime(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const k = `${locale}|${getCityTimeZone()}`;
  let f = shortFormats.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: getCityTimeZone(), month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    shortFormats.set(k, f);
  }
  return f.format(d);
}

function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => { const id = setInterval(() => setNow(Date.now()), ms); return () => clearInterval(id); }, [ms]);
  return now;
}

export function TaskList() {
  const { t, locale } = useI18n();
  const geo = useGeolocation();
  const now = useNow(30_000);
  const { user, hasRole, can } = useAuth();
  const q = useQuery((signal) => api.GET('/api/v1/cases', {
    params: { query: { state: ['VERIFYING', 'CHECKING'], limit: 200 } }, signal,
  }), []);
  // A grid member's own cases to handle (given to them instead of a unit).
  const me = hasRole('grid_member') ? user?.id : undefined;
  const h = useQuery((signal) => (me ? api.GET('/api/v1/cases', {
    params: { query: { state: ['DISPATCHED', 'IN_PROGRESS'], assignedUserId: me, limit: 200 } }, signal,
  }) : Promise.resolve(undefined)), [me]);
  const { reload: reloadQ } = q;
  const { reload: reloadH } = h;
  const reload = useCallback(() => { reloadQ(); reloadH(); }, [reloadQ, reloadH]);
  // Live: the server's stream (filtered by the visibility policy to the cases this user may see) says when a case
  // changed; a burst of events reloads once. While the stream is down, a slow timer stands in for it; the phone also
  // reloads when it comes back to the page or online.
  const burst = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const live = useLiveEvents(() => {
    clearTimeout(burst.current);
    burst.current = setTimeout(reload, 300);
  }, TASK_TOPICS, can('events.read'));
  useEffect(() => () => clearTimeout(burst.current), []);
  const streaming = live === 'open';
  useEffect(() => {
    if (streaming) return;
    const id = setInterval(reload, FALLBACK_REFRESH_MS);
    return () => clearInterval(id);
  }, [reload, streaming]);
  const wasStreaming = useRef(streaming);
  useEffect(() => {
    // Back on the stream after a drop: what happened meanwhile is fetched once.
    if (streaming && !wasStreaming.current) reload();
    wasStreaming.current = streaming;
  }, [streaming, reload]);
  useEffect(() => {
    const onVisible = () => { if (document.visibilityState === 'visible') reload(); };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', reload);
    return () => { document.removeEventListener('visibilitychange', onVisible); window.removeEventListener('online', reload); };
  }, [reload]);

  const tasks = useMemo(() => {
    const all = [...(h.data?.items ?? []), ...(q.data?.items ?? [])];
    const mine = all.filter((c) => c.allowedActions.some((a) => (FIELD_ACTIONS as readonly string[]).includes(a)));
    const withDist = mine.map((c) => ({ c, d: geo.fix && c.location ? distanceM(geo.fix, c.location) : undefined }));
    if (geo.fix) withDist.sort((a, b) => (a.d ?? Infinity) - (b.d ?? Infinity) || b.c.id - a.c.id);
    else withDist.sort((a, b) => b.c.id - a.c.id);
    return withDist;
  }, [q.data, h.data, geo.fix]);

  if (!q.data && q.loading) return <Loading />;
  if (!q.data && q.error) return <ErrorState error={q.error} onRetry={reload} />;

  return (
    <section aria-labelledby="m-tasks-title">
      <div className="m-section-head">
        <h2 id="m-tasks-title">{t({ zh: '我的任务', en: 'My tasks' })} <span className="m-count">{tasks.length}</span></h2>
        {/* the top bar shows "live"; here only the fallback is spelled out */}
        <span className={streaming ? 'sr-only' : 'm-live'} data-testid="m-live" data-live={live} role="status">
          {streaming ? t('live.connected') : t({ zh: '每分钟刷新', en: 'Every minute' })}
        </span>
        <button type="button" className="btn m-btn-small" onClick={reload} disabled={q.loading}>
          {q.loading ? t('common.loading') : t({ zh: '刷新', en: 'Refresh' })}
        </button>
      </div>
      <p className="m-geo muted" data-testid="m-geo">
        {geo.fix ? t({ zh: '按距离由近到远排序（定位精度 ±{a} 米）', en: 'Nearest first (GPS ±{a} m)' }, { a: Math.round(geo.fix.accuracy) })
          : geo.waiting ? t({ zh: '正在定位…暂按最新排序', en: 'Locating… newest first for now' })
            : t({ zh: '无法获取定位，按最新排序', en: 'No GPS fix: newest first' })}
      </p>
      {q.error && <div className="form-error" role="alert">{t({ zh: '刷新失败，显示的是上次的数据', en: 'Refresh failed; showing the last list' })} ({q.error.code})</div>}
      {tasks.length === 0 ? (
        <EmptyState title={t({ zh: '暂无待核实、核查或处置的任务', en: 'Nothing to verify, check or handle' })}>
          <p data-testid="m-empty-why">
            {hasRole('inspector') && t({ zh: '指挥中心派发核实（已上报案件）或核查（已处置案件）后，您负责区域内的任务会出现在这里。', en: 'Verifications and checks the centre sends for your areas appear here.' })}
            {hasRole('grid_member') && t({ zh: '派给您本人处置的案件，以及您负责网格内需要核实、核查的案件会出现在这里。', en: 'Cases given to you to handle, and verifications or checks in your grids, appear here.' })}
            {' '}{t({ zh: '负责区域：{n} 个。', en: 'Your areas: {n}.' }, { n: user?.regionIds.length ?? 0 })}
            {(user?.regionIds.length ?? 0) === 0 && t({ zh: '您还没有分配负责区域，请联系管理员。', en: 'You have no areas yet: ask an administrator.' })}
          </p>
          <p className="muted small">{t({ zh: '新任务会实时出现在这里（网络中断时每分钟刷新一次），也可以点“刷新”。发现问题可点“上报”直接上报。', en: 'New tasks appear here as they come (every minute while the connection is down), or tap Refresh. To report a problem, tap Report.' })}</p>
        </EmptyState>
      ) : (
        <ul className="m-tasks" data-testid="m-tasks">
          {tasks.map(({ c, d }) => {
            const due = c.deadlines.stageDueAt ?? c.deadlines.dueAt;
            const left = due ? Date.parse(due) - now : undefined;
            const kind = t(KIND[c.state] ?? { zh: '核查', en: 'Check' });
            return (
              <li key={c.id}>
                <Link to={`/m?case=${c.id}`} className={`m-task m-task-${c.deadlines.alertLevel}`} data-case-no={c.caseNo}>
                  <span className={`m-kind m-kind-${c.state.toLowerCase()}`}>{kind}</span>
                  <span className="m-task-main">
                    <strong className="m-task-matter">{c.matter.name}
                      {c.urgency !== 'normal' && <span className={`m-urgency urg-${c.urgency}`}> · {t(urgencyMsg(c.urgency))}</span>}</strong>
                    <span className="m-task-place">{placeOf(c)}</span>
                    <span className="m-task-meta">
                      {shortTime(c.createdAt, locale)} · {c.caseNo}
                      {c.state === 'VERIFYING' && c.verifier?.id === user?.id && (
                        <span className="m-named" data-testid="m-named-verifier"> · {t({ zh: '指定由我核实', en: 'Named for me to verify' })}</span>
                      )}
                    </span>
                  </span>
                  <span className="m-task-side">
                    {d !== undefined && <span className="m-dist">{formatDistance(d, locale)}</span>}
                    {left !== undefined && (
                      <span className={left < 0 ? 'm-left m-overdue' : 'm-left'}>
                        {left < 0 ? t({ zh: '超时 {d}', en: 'late {d}' }, { d: formatDuration(-left, locale) })
                          : t({ zh: '剩 {d}', en: '{d} left' }, { d: formatDuration(left, locale) })}
                      </span>
                    )}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
