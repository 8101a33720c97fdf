/**
 * /appeals — the appeals and exclusions desk: units' appeals (申诉) with their reason, evidence and the centre's
 * decision (accept / reject with a reason), and the exclusions (无理诉求): requests to review, approvals to revoke —
 * both lists are reports of their own, filtered by state. Filing happens on the case page (申诉 / 申请认定).
 */
import { useState } from 'react';
import { Link } from '../../app/router.tsx';
import { api, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { useLiveEvents } from '../../app/sse.ts';
import { Select } from '../../components/Form.tsx';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { DeskForm } from '../supervision/DeskForm.tsx';
import { APPEAL_STATE, DESK_TOPICS, EXCLUSION_STATE, label, type Appeal, type Exclusion } from '../supervision/desks.ts';
import '../supervision/desks.css';

type Tab = 'appeals' | 'exclusions';

function AppealCard({ a, onChanged }: { a: Appeal; onChanged: () => void }) {
  const { t } = useI18n();
  return (
    <article className="desk-card" aria-label={`${t({ zh: '申诉', en: 'Appeal' })} ${a.caseNo}`}>
      <div className="desk-head">
        <Link to={`/cases/${a.caseId}`}><strong>{a.caseNo}</strong></Link>
        <span className={`desk-chip${a.state === 'accepted' ? ' chip-ok' : a.state === 'rejected' ? ' chip-bad' : ''}`}>{t(label(APPEAL_STATE, a.state))}</span>
        <span>{a.unit?.name}</span><span className="muted small">{a.period}</span>
      </div>
      <p className="desk-text">{a.reason}</p>
      <div className="muted small">
        {a.filedBy?.name} · {formatDateTime(a.filedAt)} · {t({ zh: '证据 {n} 份', en: '{n} evidence file(s)' }, { n: a.evidence.length })}
        {a.evidence.map((id, i) => <a key={id} href={`/api/v1/attachments/${id}`} target="_blank" rel="noreferrer"> [{i + 1}]</a>)}
      </div>
      {a.decisionReason && <p className="desk-text">{t({ zh: '裁决：', en: 'Decision: ' })}{a.decisionReason}（{a.decidedBy?.name}）</p>}
      {a.actions.includes('decide') && (
        <DeskForm title={t({ zh: '提交裁决', en: 'Decide' })} onDone={onChanged}
          fields={[
            { name: 'decision', label: t({ zh: '裁决', en: 'Decision' }), kind: 'select', required: true, options: [{ value: 'accept', label: t({ zh: '申诉成立', en: 'Accept' }) }, { value: 'reject', label: t({ zh: '驳回', en: 'Reject' }) }] },
            { name: 'reason', label: t({ zh: '裁决理由', en: 'Reason' }), kind: 'textarea', required: true },
          ]}
          submit={(v) => api.POST('/api/v1/appeals/{id}/decide', { params: { path: { id: String(a.id) } }, body: { decision: v.decision as 'accept', reason: v.reason } })} />
      )}
    </article>
  );
}

function ExclusionCard({ x, onChanged }: { x: Exclusion; onChanged: () => void }) {
  const { t } = useI18n();
  return (
    <article className="desk-card" aria-label={`${t({ zh: '无理诉求', en: 'Exclusion' })} ${x.caseNo}`}>
      <div className="desk-head">
        <Link to={`/cases/${x.caseId}`}><strong>{x.caseNo}</strong></Link>
        <span className={`desk-chip${x.state === 'approved' ? ' chip-warn' : ''}`}>{t(label(EXCLUSION_STATE, x.state))}</span>
        <span>{t({ zh: '受益单位', en: 'Unit' })}：{x.unit?.name ?? '—'}</span>
      </div>
      <p className="desk-text">{x.reason}</p>
      <div className="muted small">
        {t({ zh: '申请', en: 'Requested' })} {x.requestedBy?.name} · {formatDateTime(x.requestedAt)}
        {x.decidedBy && <> · {t({ zh: '审核', en: 'Reviewed' })} {x.decidedBy.name} · {formatDateTime(x.decidedAt)}</>}
        {x.revokedBy && <> · {t({ zh: '撤销', en: 'Revoked' })} {x.revokedBy.name}：{x.revokeReason}</>}
      </div>
      {x.actions.includes('review') && (
        <DeskForm title={t({ zh: '提交审核', en: 'Review' })} onDone={onChanged}
          fields={[
            { name: 'decision', label: t({ zh: '审核结论', en: 'Decision' }), kind: 'select', required: true, options: [{ value: 'approve', label: t({ zh: '认定为无理诉求', en: 'Approve' }) }, { value: 'reject', label: t({ zh: '驳回', en: 'Reject' }) }] },
            { name: 'note', label: t({ zh: '审核意见（驳回时必填）', en: 'Note (required to reject)' }), kind: 'textarea' },
          ]}
          submit={(v) => api.POST('/api/v1/exclusions/{id}/review', { params: { path: { id: String(x.id) } }, body: { decision: v.decision as 'approve', ...(v.note.trim() ? { note: v.note.trim() } : {}) } })} />
      )}
      {x.actions.includes('revoke') && (
        <DeskForm title={t({ zh: '撤销认定', en: 'Revoke' })} onDone={onChanged}
          fields={[{ name: 'reason', label: t({ zh: '撤销理由', en: 'Why' }), kind: 'text', required: true }]}
          submit={(v) => api.POST('/api/v1/exclusions/{id}/revoke', { params: { path: { id: String(x.id) } }, body: { reason: v.reason } })} />
      )}
    </article>
  );
}

export default function AppealsDeskPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [tab, setTab] = useState<Tab>('appeals');
  const [state, setState] = useState('');
  const q = useQuery((signal) => (tab === 'appeals'
    ? api.GET('/api/v1/appeals', { params: { query: state ? { state: [state as 'open'] } : {} }, signal }).then((r) => ({ appeals: r.items, exclusions: [] as Exclusion[] }))
    : api.GET('/api/v1/exclusions', { params: { query: state ? { state: [state as 'requested'] } : {} }, signal }).then((r) => ({ appeals: [] as Appeal[], exclusions: r.items }))), [tab, state]);
  useLiveEvents(() => q.reload(), DESK_TOPICS, can('events.read'));
  const states = tab === 'appeals' ? APPEAL_STATE : EXCLUSION_STATE;
  const items = q.data ? (tab === 'appeals' ? q.data.appeals : q.data.exclusions) : [];
  return (
    <Page title={t({ zh: '申诉与无理诉求', en: 'Appeals and exclusions' })} className="desk-page">
      <div className="tabs" role="tablist">
        {([['appeals', t({ zh: '申诉', en: 'Appeals' })], ['exclusions', t({ zh: '无理诉求', en: 'Exclusions' })]] as [Tab, string][]).map(([k, name]) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={`tab${tab === k ? ' active' : ''}`} onClick={() => { setState(''); setTab(k); }}>{name}</button>
        ))}
      </div>
      <div className="desk-filters">
        <Select label={t({ zh: '状态', en: 'State' })} value={state} onChange={(e) => setState(e.target.value)} placeholder={t({ zh: '全部', en: 'All' })}
          options={Object.entries(states).map(([value, m]) => ({ value, label: t(m) }))} />
      </div>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} />
        : !q.data ? <Loading />
        : items.length === 0 ? <p className="muted card">{t({ zh: '没有记录。申诉和无理诉求认定在案件页提出。', en: 'Nothing here. Appeals and exclusions are filed from the case page.' })}</p>
        : <div className="desk-list">
            {tab === 'appeals' ? q.data.appeals.map((a) => <AppealCard key={a.id} a={a} onChanged={q.reload} />) : q.data.exclusions.map((x) => <ExclusionCard key={x.id} x={x} onChanged={q.reload} />)}
          </div>}
    </Page>
  );
}
