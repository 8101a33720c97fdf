/**
 * The desks on a case (回访 · 无理诉求 · 申诉 · 督办): what the case has been through on each desk, with its timeline,
 * and the buttons the server says the caller may use now (request an exclusion, appeal, supervise; the callback is
 * worked in the queue). Live: any desk event reloads it.
 */
import { useState } from 'react';
import { Link } from '../../app/router.tsx';
import { api, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n, type Msg } from '../../app/i18n.ts';
import { useLiveEvents } from '../../app/sse.ts';
import { ErrorState, Loading } from '../../components/States.tsx';
import { DeskForm } from './DeskForm.tsx';
import {
  APPEAL_STATE, DESK_ACTION, DESK_TOPICS, EXCLUSION_STATE, LEVEL, NOTICE_STATE, RESULT, TASK_STATE, TIER, label, uploadAll, type CaseDesks,
} from './desks.ts';
import './desks.css';

type Open = 'exclusion' | 'appeal' | 'supervise' | null;

function Timeline({ items }: { items: CaseDesks['callbacks'][number]['history'] }) {
  const { t } = useI18n();
  if (!items?.length) return null;
  return (
    <ul className="desk-history">
      {items.map((h, i) => (
        <li key={i}>{formatDateTime(h.at)} {t(label(DESK_ACTION, h.action))}{h.actor?.name ? ` · ${h.actor.name}` : ''}
          {typeof h.details.result === 'string' ? ` · ${t(label(RESULT, h.details.result))}` : ''}
          {typeof h.details.toTier === 'string' ? ` → ${t(label(TIER, h.details.toTier))}` : ''}</li>
      ))}
    </ul>
  );
}

export function DesksPanel({ caseId, onChanged }: { caseId: number; onChanged?: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [open, setOpen] = useState<Open>(null);
  const q = useQuery((signal) => api.GET('/api/v1/cases/{id}/desks', { params: { path: { id: String(caseId) } }, signal }), [caseId]);
  useLiveEvents((e) => { if (String(e.data.caseId) === String(caseId)) q.reload(); }, DESK_TOPICS, can('events.read'));
  const done = () => { setOpen(null); q.reload(); onChanged?.(); };
  if (q.error && !q.data) return <section className="card"><ErrorState error={q.error} onRetry={q.reload} /></section>;
  if (!q.data) return <section className="card"><Loading inline /></section>;
  const d = q.data;
  const empty = !d.callbacks.length && !d.exclusions.length && !d.appeals.length && !d.notices.length && !d.actions.length;
  if (empty) return null;
  const chip = (m: Record<string, Msg>, k: string) => <span className="desk-chip">{t(label(m, k))}</span>;
  return (
    <section className="card desk-panel" aria-labelledby="desks-h">
      <h2 id="desks-h">{t({ zh: '回访 · 申诉 · 督办', en: 'Callbacks, appeals, supervision' })}</h2>
      <div className="desk-buttons">
        {d.actions.includes('claim_callback') && <Link className="btn" to="/callbacks">{t({ zh: '去回访队列', en: 'Open the callback queue' })}</Link>}
        {d.actions.includes('request_exclusion') && <button type="button" className="btn" onClick={() => setOpen('exclusion')}>{t({ zh: '申请认定无理诉求', en: 'Request exclusion' })}</button>}
        {d.actions.includes('appeal') && <button type="button" className="btn" onClick={() => setOpen('appeal')}>{t({ zh: '申诉', en: 'Appeal' })}</button>}
        {d.actions.includes('supervise') && <button type="button" className="btn" onClick={() => setOpen('supervise')}>{t({ zh: '下发督办单', en: 'Issue a supervision notice' })}</button>}
      </div>
      {open === 'exclusion' && (
        <DeskForm title={t({ zh: '提交认定申请', en: 'Request' })} onCancel={() => setOpen(null)} onDone={done}
          fields={[{ name: 'reason', label: t({ zh: '无理诉求的理由', en: 'Why the request is unreasonable' }), kind: 'textarea', required: true }]}
          submit={(v) => api.POST('/api/v1/exclusions', { body: { caseId, reason: v.reason } })} />
      )}
      {open === 'appeal' && (
        <DeskForm title={t({ zh: '提交申诉', en: 'File the appeal' })} onCancel={() => setOpen(null)} onDone={done}
          fields={[
            { name: 'reason', label: t({ zh: '申诉理由', en: 'Reason' }), kind: 'textarea', required: true },
            { name: 'evidence', label: t({ zh: '证据（照片）', en: 'Evidence (photos)' }), kind: 'files' },
          ]}
          submit={async (v, files) => api.POST('/api/v1/appeals', { body: { caseId, reason: v.reason, evidence: await uploadAll(files) } })} />
      )}
      {open === 'supervise' && (
        <DeskForm title={t({ zh: '下发督办单', en: 'Issue the notice' })} onCancel={() => setOpen(null)} onDone={done}
          fields={[
            { name: 'level', label: t({ zh: '督办级别', en: 'Level' }), kind: 'select', required: true, initial: 'supervise', options: Object.entries(LEVEL).map(([value, m]) => ({ value, label: t(m) })) },
            { name: 'note', label: t({ zh: '督办要求', en: 'What the unit must do' }), kind: 'textarea', required: true },
          ]}
          submit={(v) => api.POST('/api/v1/supervision/notices', { body: { caseId, level: v.level as 'urge', note: v.note } })} />
      )}
      {d.callbacks.length > 0 && <h3>{t({ zh: '回访', en: 'Callbacks' })}</h3>}
      {d.callbacks.map((c) => (
        <div key={`c${c.id}`} className="desk-card">
          <div className="desk-head">{t({ zh: '第 {n} 轮', en: 'Round {n}' }, { n: c.round })} {chip(TASK_STATE, c.state)}{c.result && chip(RESULT, c.result)}
            <span className="muted small">{t({ zh: '拨打 {a}/{m} 次', en: '{a}/{m} calls' }, { a: c.attempts, m: c.maxAttempts })}</span></div>
          <Timeline items={c.history} />
        </div>
      ))}
      {d.exclusions.length > 0 && <h3>{t({ zh: '无理诉求认定', en: 'Exclusions' })}</h3>}
      {d.exclusions.map((x) => (
        <div key={`x${x.id}`} className="desk-card"><div className="desk-head">{chip(EXCLUSION_STATE, x.state)}<span>{x.reason}</span></div><Timeline items={x.history} /></div>
      ))}
      {d.appeals.length > 0 && <h3>{t({ zh: '申诉', en: 'Appeals' })}</h3>}
      {d.appeals.map((a) => (
        <div key={`a${a.id}`} className="desk-card">
          <div className="desk-head">{chip(APPEAL_STATE, a.state)}<span>{a.unit?.name}</span><span className="muted small">{a.period}</span></div>
          <p className="desk-text">{a.reason}</p>{a.decisionReason && <p className="desk-text muted">{a.decisionReason}</p>}
          <Timeline items={a.history} />
        </div>
      ))}
      {d.notices.length > 0 && <h3>{t({ zh: '督办', en: 'Supervision' })}</h3>}
      {d.notices.map((n) => (
        <div key={n.id} className={`desk-card${n.overdue ? ' desk-hot' : ''}`}>
          <div className="desk-head">{chip(LEVEL, n.level)}{chip(TIER, n.tier)}{chip(NOTICE_STATE, n.state)}
            <span className="muted small">{t({ zh: '答复期限 {d}', en: 'Answer by {d}' }, { d: formatDateTime(n.dueAt) })}</span></div>
          <p className="desk-text">{n.note}</p>{n.answer && <p className="desk-text">{t({ zh: '答复：', en: 'Answer: ' })}{n.answer}</p>}
          {n.actions.includes('answer') && (
            <DeskForm title={t({ zh: '答复督办', en: 'Answer' })} onDone={done}
              fields={[{ name: 'answer', label: t({ zh: '答复内容', en: 'Answer' }), kind: 'textarea', required: true }]}
              submit={(v) => api.POST('/api/v1/supervision/notices/{id}/answer', { params: { path: { id: n.id } }, body: { answer: v.answer } })} />
          )}
          <Timeline items={n.history} />
        </div>
      ))}
    </section>
  );
}
