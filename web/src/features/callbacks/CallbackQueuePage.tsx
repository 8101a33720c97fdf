/**
 * /callbacks — the seats' callback queue (回访): cases waiting for their callback, with the reporter's phone (shown to
 * seats, masked for everyone else by the server), the callback's state, attempts and next attempt, and for the seat
 * who claimed it the result form (满意 / 基本满意 / 不满意 / 无法联系). A reopened case (重办) is marked. Live.
 */
import { useState } from 'react';
import { Link } from '../../app/router.tsx';
import { api, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { useLiveEvents } from '../../app/sse.ts';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { DeskForm } from '../supervision/DeskForm.tsx';
import { DESK_TOPICS, RESULT, TASK_STATE, label, type QueueItem } from '../supervision/desks.ts';
import '../supervision/desks.css';

type Tab = 'queue' | 'mine';

function QueueCard({ item, onChanged }: { item: QueueItem; onChanged: () => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [error, setError] = useState<unknown>();
  const c = item.case;
  const task = item.task;
  const reopened = c.counters.reopen > 0 || (task?.round ?? 1) > 1;
  const run = async (p: Promise<unknown>) => {
    setError(undefined);
    try { await p; onChanged(); } catch (e) { setError(e); }
  };
  return (
    <article className={`desk-card${task?.actions.includes('record') ? ' desk-mine' : task?.overdue ? ' desk-hot' : ''}`} aria-label={c.caseNo}>
      <div className="desk-head">
        <Link to={`/cases/${c.id}`}><strong>{c.caseNo}</strong></Link>
        <span>{c.matter.name}</span>
        <span className="desk-chip">{task ? t(label(TASK_STATE, task.state)) : t({ zh: '待领取', en: 'Unclaimed' })}</span>
        {reopened && <span className="desk-chip chip-warn">{t({ zh: '重办后回访', en: 'After reopening' })}</span>}
        {task?.overdue && <span className="desk-chip chip-bad">{t({ zh: '回访超期', en: 'Overdue' })}</span>}
      </div>
      <div>{c.address ?? c.description}</div>
      <div>{t({ zh: '来电人', en: 'Caller' })}：{c.reporter.name ?? '—'} <strong className="desk-phone">{c.reporter.phone ?? '—'}</strong></div>
      <div className="muted small">
        {t({ zh: '办结 {d}', en: 'Closed {d}' }, { d: formatDateTime(c.closedAt) })} · {c.assignedUnit?.name ?? '—'}
        {task && <> · {t({ zh: '已拨打 {a}/{m} 次', en: '{a}/{m} calls' }, { a: task.attempts, m: task.maxAttempts })}</>}
        {task?.nextAttemptAt && <> · {t({ zh: '下次拨打不早于 {d}', en: 'Next call from {d}' }, { d: formatDateTime(task.nextAttemptAt) })}</>}
        {task?.claimedBy && <> · {t({ zh: '领取人 {n}', en: 'Claimed by {n}' }, { n: task.claimedBy.name ?? task.claimedBy.id })}</>}
      </div>
      <div className="desk-buttons">
        {(item.actions.includes('claim') || task?.actions.includes('claim')) && (
          <button type="button" className="btn btn-primary" onClick={() => run(api.POST('/api/v1/callbacks/claim', { body: { caseId: c.id } }))}>{t({ zh: '领取回访', en: 'Claim' })}</button>
        )}
        {task?.actions.includes('release') && (
          <button type="button" className="btn" onClick={() => run(api.POST('/api/v1/callbacks/{taskId}/release', { params: { path: { taskId: String(task.id) } } }))}>{t({ zh: '释放', en: 'Release' })}</button>
        )}
      </div>
      {error !== undefined && <p className="form-error" role="alert">{errText(error)}</p>}
      {task?.actions.includes('record') && (
        <DeskForm title={t({ zh: '提交回访结果', en: 'Record the result' })} onDone={onChanged}
          fields={[
            { name: 'result', label: t({ zh: '回访结果', en: 'Result' }), kind: 'select', required: true, options: Object.entries(RESULT).map(([value, m]) => ({ value, label: t(m) })) },
            { name: 'note', label: t({ zh: '来电人意见（不满意时必填）', en: 'What the caller said (required when unsatisfied)' }), kind: 'textarea' },
          ]}
          submit={(v) => api.POST('/api/v1/callbacks/{taskId}/result', {
            params: { path: { taskId: String(task.id) } }, body: { result: v.result as 'satisfied', ...(v.note.trim() ? { note: v.note.trim() } : {}) },
          })} />
      )}
    </article>
  );
}

export default function CallbackQueuePage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [tab, setTab] = useState<Tab>('queue');
  const q = useQuery((signal) => api.GET('/api/v1/callbacks', { params: { query: { view: tab } }, signal }), [tab]);
  useLiveEvents(() => q.reload(), DESK_TOPICS, can('events.read'));
  const tabs: [Tab, string][] = [['queue', t({ zh: '待回访', en: 'Queue' })], ['mine', t({ zh: '我领取的', en: 'Mine' })]];
  return (
    <Page title={t({ zh: '回访', en: 'Callbacks' })} className="desk-page">
      <div className="tabs" role="tablist">
        {tabs.map(([k, name]) => <button key={k} type="button" role="tab" aria-selected={tab === k} className={`tab${tab === k ? ' active' : ''}`} onClick={() => setTab(k)}>{name}</button>)}
      </div>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} />
        : !q.data ? <Loading />
        : q.data.items.length === 0 ? <p className="muted card">{t({ zh: '没有待回访的案件。热线、门户和 Open311 案件核查通过后，留有电话的进入回访队列。', en: 'Nothing to call back. Hotline, portal and Open311 cases with a phone come here after their check.' })}</p>
        : <div className="desk-list">{q.data.items.map((i) => <QueueCard key={i.case.id} item={i} onChanged={q.reload} />)}</div>}
    </Page>
  );
}
