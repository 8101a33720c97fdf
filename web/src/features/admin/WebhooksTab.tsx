/**
 * Webhooks to department systems: each subscription with its delivery log in numbers (delivered, waiting for a
 * retry, given up) and its latest failure; opening one shows its deliveries, newest first — attempts, status, the
 * receiver's last answer and error — filtered by status and paged (GET /webhooks, /webhooks/{id}/deliveries).
 */
import { useState } from 'react';
import { api, useQuery, type ItemOf, type QueryOf, type ResponseOf } from '../../app/api.ts';
import { formatDateTime, useI18n, type Msg } from '../../app/i18n.ts';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { FormError } from '../../components/Form.tsx';

type Webhook = ItemOf<ResponseOf<'/api/v1/webhooks', 'get'>>;
type Delivery = ItemOf<ResponseOf<'/api/v1/webhooks/{id}/deliveries', 'get'>>;
type Status = NonNullable<QueryOf<'/api/v1/webhooks/{id}/deliveries', 'get'>['status']>;

const STATUS: Record<Status, Msg> = {
  pending: { zh: '待重试', en: 'Pending' }, delivered: { zh: '已送达', en: 'Delivered' },
  failed: { zh: '已停止', en: 'Stopped' }, dead: { zh: '已放弃', en: 'Given up' },
};
const STATUS_TAG: Record<string, string> = { pending: 'tag-warn', delivered: 'tag-ok', failed: 'tag-off', dead: 'tag-off' };

export function WebhooksTab() {
  const { t, locale } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/webhooks', { signal }), []);
  const [open, setOpen] = useState<string | undefined>();
  const items = q.data?.items ?? [];
  const shown = items.find((w) => w.id === open);
  return (
    <div className="admin-grid">
      <section className="card admin-wide" aria-labelledby="hooks-h">
        <div className="row-between">
          <h2 id="hooks-h">{t({ zh: '推送订阅（Webhook）', en: 'Webhooks' })}</h2>
          <button type="button" className="btn" onClick={q.reload} disabled={q.loading}>{t({ zh: '刷新', en: 'Refresh' })}</button>
        </div>
        <p className="muted">{t({
          zh: '部门业务系统订阅的案件变化推送（签名 POST，失败按退避重试，最多 8 次）。点“投递记录”查看每次推送的状态与错误。',
          en: 'Case changes pushed to department systems (signed POSTs, retried with back-off, up to 8 attempts). Open the log to see each delivery.',
        })}</p>
        {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading /> : items.length === 0
          ? <EmptyState title={t({ zh: '还没有推送订阅', en: 'No webhooks yet' })}><p className="muted small">{t({ zh: '通过 POST /api/v1/webhooks 创建。', en: 'Create one with POST /api/v1/webhooks.' })}</p></EmptyState>
          : (
            <div className="table-wrap">
              <table className="table" data-testid="webhooks-table">
                <thead>
                  <tr>
                    <th>{t({ zh: '名称', en: 'Name' })}</th><th>{t({ zh: '地址', en: 'URL' })}</th><th>{t({ zh: '状态', en: 'State' })}</th>
                    <th>{t({ zh: '已送达', en: 'Delivered' })}</th><th>{t({ zh: '待重试', en: 'Pending' })}</th><th>{t({ zh: '已放弃', en: 'Given up' })}</th>
                    <th>{t({ zh: '最近一次失败', en: 'Latest failure' })}</th><th />
                  </tr>
                </thead>
                <tbody>
                  {items.map((w) => (
                    <tr key={w.id} className={w.id === open ? 'selected' : undefined} data-webhook={w.id}>
                      <td><strong>{w.name}</strong><div className="muted small">{w.topics.length ? w.topics.join(', ') : t({ zh: '全部事件', en: 'all topics' })}</div></td>
                      <td className="cell-url"><code>{w.url}</code></td>
                      <td>{w.active ? <span className="tag tag-ok">{t({ zh: '启用', en: 'Active' })}</span> : <span className="tag tag-off">{t({ zh: '已停用', en: 'Off' })}</span>}</td>
                      <td>{w.deliveries.delivered}</td>
                      <td>{w.deliveries.pending > 0 ? <span className="tag tag-warn">{w.deliveries.pending}</span> : 0}</td>
                      <td>{w.deliveries.dead > 0 ? <span className="tag tag-off">{w.deliveries.dead}</span> : 0}</td>
                      <td className="cell-note">{w.deliveries.lastFailure ? (
                        <>
                          <span>{failureText(w.deliveries.lastFailure, t)}</span>
                          <div className="muted small">{formatDateTime(w.deliveries.lastFailure.createdAt, locale)} · {w.deliveries.lastFailure.topic}</div>
                        </>
                      ) : '—'}</td>
                      <td><button type="button" className="btn btn-small" aria-expanded={w.id === open} onClick={() => setOpen(w.id === open ? undefined : w.id)}>
                        {w.id === open ? t({ zh: '收起记录', en: 'Hide log' }) : t({ zh: '投递记录', en: 'Delivery log' })}
                      </button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      </section>
      {shown && <DeliveryLog key={shown.id} hook={shown} />}
    </div>
  );
}

function failureText(f: { lastStatusCode: number | null; lastError: string | null; attempts: number }, t: ReturnType<typeof useI18n>['t']): string {
  const answer = f.lastStatusCode !== null ? `HTTP ${f.lastStatusCode}` : '';
  const error = f.lastError && f.lastError !== answer ? f.lastError : '';
  return [answer, error, t({ zh: '已尝试 {n} 次', en: '{n} attempt(s)' }, { n: f.attempts })].filter(Boolean).join(' · ');
}

function DeliveryLog({ hook }: { hook: Webhook }) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const [status, setStatus] = useState<Status | ''>('');
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const beforeId = pages[pages.length - 1];
  const q = useQuery((signal) => api.GET('/api/v1/webhooks/{id}/deliveries', {
    params: { path: { id: hook.id }, query: { status: status || undefined, beforeId, limit: 50 } }, signal,
  }), [hook.id, status, beforeId]);
  const rows: Delivery[] = q.data?.items ?? [];
  return (
    <section className="card admin-wide" aria-labelledby="log-h" data-testid="delivery-log">
      <div className="row-between">
        <h2 id="log-h">{t({ zh: '投递记录：{n}', en: 'Delivery log: {n}' }, { n: hook.name })}</h2>
        <div className="actions">
          <label htmlFor="log-status" className="small">{t({ zh: '状态', en: 'Status' })}</label>
          <select id="log-status" value={status} onChange={(e) => { setStatus(e.currentTarget.value as Status | ''); setPages([undefined]); }}>
            <option value="">{t({ zh: '全部', en: 'All' })}</option>
            {(Object.keys(STATUS) as Status[]).map((s) => <option key={s} value={s}>{t(STATUS[s])}</option>)}
          </select>
        </div>
      </div>
      {q.error ? <FormError>{errorText(q.error)}</FormError> : !q.data ? <Loading /> : rows.length === 0 ? <EmptyState title={t({ zh: '没有投递记录', en: 'No deliveries' })} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t({ zh: '事件', en: 'Event' })}</th><th>{t({ zh: '类型', en: 'Topic' })}</th><th>{t({ zh: '状态', en: 'Status' })}</th>
                <th>{t({ zh: '尝试次数', en: 'Attempts' })}</th><th>{t({ zh: '对方应答', en: 'Answer' })}</th><th>{t({ zh: '最近错误', en: 'Last error' })}</th>
                <th>{t({ zh: '产生时间', en: 'Created' })}</th><th>{t({ zh: '送达 / 下次重试', en: 'Delivered / next try' })}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} className={d.status === 'dead' || d.status === 'failed' ? 'row-error' : d.status === 'pending' && d.attempts > 0 ? 'row-warning' : undefined}>
                  <td><code>{d.eventId}</code></td><td>{d.topic}</td>
                  <td><span className={`tag ${STATUS_TAG[d.status] ?? ''}`}>{STATUS[d.status as Status] ? t(STATUS[d.status as Status]) : d.status}</span></td>
                  <td>{d.attempts}</td>
                  <td>{d.lastStatusCode ?? '—'}</td>
                  <td className="cell-note">{d.lastError ?? '—'}</td>
                  <td>{formatDateTime(d.createdAt, locale)}</td>
                  <td>{d.deliveredAt ? formatDateTime(d.deliveredAt, locale) : d.nextAttemptAt ? `${t({ zh: '下次', en: 'next' })} ${formatDateTime(d.nextAttemptAt, locale)}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label={t({ zh: '投递记录分页', en: 'Log pages' })}>
        <button type="button" className="btn" disabled={pages.length <= 1} onClick={() => setPages(pages.slice(0, -1))}>{t({ zh: '较新', en: 'Newer' })}</button>
        <button type="button" className="btn" disabled={!q.data?.nextBeforeId} onClick={() => setPages([...pages, q.data!.nextBeforeId!])}>{t({ zh: '较早', en: 'Older' })}</button>
      </nav>
    </section>
  );
}
