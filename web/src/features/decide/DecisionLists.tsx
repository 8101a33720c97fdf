/**
 * 每月一题 and 未诉先办 on the analysis page: the records with their state and the actions the server says the caller
 * may take now (allowedActions): adopt, assign to a unit, resolve, dismiss (with a note); leaders also propose the
 * month's candidates and look for proactive tasks on demand (the job does both daily).
 */
import { useState } from 'react';
import { api, useQuery, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { useI18n, type Msg } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';

type Topic = ResponseOf<'/api/v1/decide/topics', 'get'>['items'][number];
type Task = ResponseOf<'/api/v1/decide/proactive', 'get'>['items'][number];

const STATE: Record<string, Msg> = {
  proposed: { zh: '待研判', en: 'Proposed' }, adopted: { zh: '已采纳', en: 'Adopted' }, assigned: { zh: '已交办', en: 'Assigned' },
  resolved: { zh: '已办结', en: 'Resolved' }, dismissed: { zh: '不予采纳', en: 'Dismissed' },
};
const ACTION: Record<string, Msg> = {
  adopt: { zh: '采纳', en: 'Adopt' }, assign: { zh: '交办', en: 'Assign' }, resolve: { zh: '办结', en: 'Resolve' }, dismiss: { zh: '不予采纳', en: 'Dismiss' },
};
const PATTERN: Record<string, Msg> = { weekend: { zh: '周末', en: 'Weekends' }, weekday: { zh: '固定星期', en: 'Weekday' }, monthly: { zh: '每月', en: 'Monthly' }, yearly: { zh: '季节', en: 'Seasonal' } };

function useAct() {
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = async (fn: () => Promise<unknown>, then: () => void) => {
    setBusy(true); setError(undefined);
    try { await fn(); then(); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  return { busy, error, run };
}

export function TopicList() {
  const { t } = useI18n();
  const { can } = useAuth();
  const topics = useQuery((signal) => api.GET('/api/v1/decide/topics', { signal }), []);
  const units = useQuery((signal) => (can('decide.lead') ? api.GET('/api/v1/units', { signal }) : Promise.resolve(undefined)), []);
  const act = useAct();
  const [note, setNote] = useState<Record<number, string>>({});
  const [unit, setUnit] = useState<Record<number, string>>({});
  const doAct = (x: Topic, action: string) => act.run(() => api.POST('/api/v1/decide/topics/{id}/{action}', {
    params: { path: { id: String(x.id), action: action as 'adopt' } },
    body: { version: x.version, ...(note[x.id] ? { note: note[x.id] } : {}), ...(action === 'assign' ? { unitId: unit[x.id] ?? '' } : {}) },
  }), topics.reload);
  return (
    <section className="card" aria-labelledby="topics-h">
      <div className="decide-head">
        <h2 id="topics-h">{t({ zh: '每月一题', en: 'Topic of the month' })}</h2>
        {can('decide.lead') ? <button type="button" className="btn m-btn-small" disabled={act.busy} onClick={() => act.run(() => api.POST('/api/v1/decide/topics/propose', { body: {} }), topics.reload)}>{t({ zh: '生成本月候选', en: 'Propose candidates' })}</button> : null}
      </div>
      {act.error ? <p role="alert" className="error">{act.error}</p> : null}
      {topics.error ? <ErrorState error={topics.error} /> : !topics.data ? <Loading inline /> : topics.data.items.length === 0
        ? <p className="muted">{t({ zh: '本月暂无候选议题。', en: 'No candidate topics yet.' })}</p>
        : (
          <ul className="decide-records-list" data-testid="topic-list">
            {topics.data.items.map((x) => (
              <li key={x.id} data-topic-id={x.id} data-state={x.state}>
                <div><strong>{x.month} #{x.rank}</strong> {x.title} <span className="muted small">{t({ zh: '当月 {n} 次', en: '{n} this month' }, { n: x.monthCount })}</span></div>
                <div className="small">
                  <span className={`decide-state decide-${x.state}`}>{t(STATE[x.state] ?? { zh: x.state, en: x.state })}</span>
                  {x.unit ? <> · {t({ zh: '承办：', en: 'Unit: ' })}{x.unit.name}</> : null}
                  {x.note ? <> · {x.note}</> : null}
                </div>
                {x.allowedActions.length ? (
                  <div className="decide-actions">
                    {x.allowedActions.includes('assign') && units.data ? (
                      <select aria-label={t({ zh: '承办单位', en: 'Unit' })} value={unit[x.id] ?? ''} onChange={(e) => setUnit({ ...unit, [x.id]: e.target.value })}>
                        <option value="">{t({ zh: '选择承办单位', en: 'Choose a unit' })}</option>
                        {units.data.items.filter((u) => u.active).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
                      </select>
                    ) : null}
                    <input aria-label={t({ zh: '备注', en: 'Note' })} placeholder={t({ zh: '备注（不予采纳时必填）', en: 'Note (required to dismiss)' })} value={note[x.id] ?? ''} onChange={(e) => setNote({ ...note, [x.id]: e.target.value })} />
                    {x.allowedActions.map((a) => (
                      <button key={a} type="button" className={`btn m-btn-small${a === 'dismiss' ? '' : ' btn-primary'}`} disabled={act.busy} onClick={() => doAct(x, a)} data-action={a}>{t(ACTION[a])}</button>
                    ))}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}

export function ProactiveList() {
  const { t } = useI18n();
  const { can } = useAuth();
  const tasks = useQuery((signal) => api.GET('/api/v1/decide/proactive', { signal }), []);
  const act = useAct();
  const [note, setNote] = useState<Record<number, string>>({});
  const doAct = (x: Task, action: string) => act.run(() => api.POST('/api/v1/decide/proactive/{id}/{action}', {
    params: { path: { id: String(x.id), action: action as 'adopt' } }, body: { version: x.version, ...(note[x.id] ? { note: note[x.id] } : {}) },
  }), tasks.reload);
  return (
    <section className="card" aria-labelledby="proactive-h">
      <div className="decide-head">
        <h2 id="proactive-h">{t({ zh: '未诉先办', en: 'Act before the call' })}</h2>
        {can('decide.lead') ? <button type="button" className="btn m-btn-small" disabled={act.busy} onClick={() => act.run(() => api.POST('/api/v1/decide/proactive/suggest'), tasks.reload)}>{t({ zh: '查找规律', en: 'Look for rhythms' })}</button> : null}
      </div>
      {act.error ? <p role="alert" className="error">{act.error}</p> : null}
      {tasks.error ? <ErrorState error={tasks.error} /> : !tasks.data ? <Loading inline /> : tasks.data.items.length === 0
        ? <p className="muted">{t({ zh: '暂无将要复发的问题。', en: 'Nothing due to come back.' })}</p>
        : (
          <ul className="decide-records-list" data-testid="proactive-list">
            {tasks.data.items.map((x) => (
              <li key={x.id} data-task-id={x.id} data-state={x.state}>
                <div><strong>{x.dueDate}</strong> {x.title} <span className="decide-pattern">{t(PATTERN[x.pattern.kind] ?? { zh: x.pattern.kind, en: x.pattern.kind })}</span></div>
                <div className="small">{x.explain}</div>
                <div className="small">
                  <span className={`decide-state decide-${x.state}`}>{t(STATE[x.state] ?? { zh: x.state, en: x.state })}</span>
                  {x.caseId ? <> · <Link to={`/cases/${x.caseId}`}>{t({ zh: '查看工单', en: 'Open the case' })}</Link></> : null}
                  {x.note ? <> · {x.note}</> : null}
                </div>
                {x.allowedActions.length ? (
                  <div className="decide-actions">
                    <input aria-label={t({ zh: '备注', en: 'Note' })} placeholder={t({ zh: '备注（不予采纳时必填）', en: 'Note (required to dismiss)' })} value={note[x.id] ?? ''} onChange={(e) => setNote({ ...note, [x.id]: e.target.value })} />
                    {x.allowedActions.map((a) => (
                      <button key={a} type="button" className={`btn m-btn-small${a === 'dismiss' ? '' : ' btn-primary'}`} disabled={act.busy} onClick={() => doAct(x, a)} data-action={a}>{t(ACTION[a])}</button>
                    ))}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
