/**
 * /supervision — the supervision desk (督办): candidates (open cases overdue, or important by urgency — city data), the
 * notice form (催办 / 督办 / 领导督办), the notices with their tier (unit → district → city), deadline and the unit's
 * answer (units answer here too), and the notices raised a tier automatically. Live.
 */
import { useState } from 'react';
import { Link } from '../../app/router.tsx';
import { api, useQuery, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { useLiveEvents } from '../../app/sse.ts';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { DeskForm } from './DeskForm.tsx';
import { DESK_TOPICS, LEVEL, NOTICE_STATE, TIER, label, type Notice } from './desks.ts';
import './desks.css';

type Tab = 'overdue' | 'important' | 'notices' | 'raised';
type Candidate = ResponseOf<'/api/v1/supervision/candidates', 'get'>['items'][number];

function NoticeCard({ n, onChanged }: { n: Notice; onChanged: () => void }) {
  const { t } = useI18n();
  return (
    <article className={`desk-card${n.overdue ? ' desk-hot' : ''}`} aria-label={`${t({ zh: '督办单', en: 'Notice' })} ${n.caseNo}`}>
      <div className="desk-head">
        <Link to={`/cases/${n.caseId}`}><strong>{n.caseNo}</strong></Link>
        <span className="desk-chip">{t(label(LEVEL, n.level))}</span>
        <span className={`desk-chip${n.tier !== 'unit' ? ' chip-warn' : ''}`}>{t(label(TIER, n.tier))}</span>
        <span className={`desk-chip${n.state === 'answered' ? ' chip-ok' : ''}`}>{t(label(NOTICE_STATE, n.state))}</span>
        {n.overdue && <span className="desk-chip chip-bad">{t({ zh: '逾期未答复', en: 'Unanswered, overdue' })}</span>}
        {n.raiseCount > 0 && <span className="muted small">{t({ zh: '已升级 {n} 次', en: 'Raised {n}×' }, { n: n.raiseCount })}</span>}
      </div>
      <div>{n.unit?.name}</div>
      <p className="desk-text">{n.note}</p>
      <div className="muted small">{n.issuedBy?.name} · {formatDateTime(n.issuedAt)} · {t({ zh: '答复期限 {d}', en: 'Answer by {d}' }, { d: formatDateTime(n.dueAt) })}</div>
      {n.answer && <p className="desk-text">{t({ zh: '答复：', en: 'Answer: ' })}{n.answer}（{n.answeredBy?.name}）</p>}
      {n.actions.includes('answer') && (
        <DeskForm title={t({ zh: '答复督办', en: 'Answer' })} onDone={onChanged}
          fields={[{ name: 'answer', label: t({ zh: '答复内容', en: 'Answer' }), kind: 'textarea', required: true }]}
          submit={(v) => api.POST('/api/v1/supervision/notices/{id}/answer', { params: { path: { id: n.id } }, body: { answer: v.answer } })} />
      )}
    </article>
  );
}

function CandidateCard({ item, onChanged }: { item: Candidate; onChanged: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const c = item.case;
  const may = c.allowedActions.includes('supervise') && (!item.notice || item.notice.state === 'answered');
  return (
    <article className="desk-card desk-hot" aria-label={c.caseNo}>
      <div className="desk-head">
        <Link to={`/cases/${c.id}`}><strong>{c.caseNo}</strong></Link><span>{c.matter.name}</span><span className="desk-chip">{c.stateLabel.zh}</span>
        {item.notice && <span className="desk-chip">{t(label(LEVEL, item.notice.level))} · {t(label(TIER, item.notice.tier))} · {t(label(NOTICE_STATE, item.notice.state))}</span>}
      </div>
      <div>{c.address ?? c.description}</div>
      <div className="muted small">{c.assignedUnit?.name ?? '—'} · {t({ zh: '处置期限 {d}', en: 'Due {d}' }, { d: formatDateTime(c.deadlines.handleDueAt) })}</div>
      {may && !open && <div className="desk-buttons"><button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>{t({ zh: '督办', en: 'Supervise' })}</button></div>}
      {open && (
        <DeskForm title={t({ zh: '下发督办单', en: 'Issue the notice' })} onCancel={() => setOpen(false)} onDone={() => { setOpen(false); onChanged(); }}
          fields={[
            { name: 'level', label: t({ zh: '督办级别', en: 'Level' }), kind: 'select', required: true, initial: 'supervise', options: Object.entries(LEVEL).map(([value, m]) => ({ value, label: t(m) })) },
            { name: 'note', label: t({ zh: '督办要求', en: 'What the unit must do' }), kind: 'textarea', required: true },
          ]}
          submit={(v) => api.POST('/api/v1/supervision/notices', { body: { caseId: c.id, level: v.level as 'urge', note: v.note } })} />
      )}
    </article>
  );
}

export default function SupervisionDeskPage() {
  const { t } = useI18n();
  const { user, can } = useAuth();
  const unitStaff = (user?.unitIds?.length ?? 0) > 0;
  const [tab, setTab] = useState<Tab>(unitStaff ? 'notices' : 'overdue');
  const q = useQuery((signal) => (tab === 'overdue' || tab === 'important'
    ? api.GET('/api/v1/supervision/candidates', { params: { query: { kind: tab } }, signal }).then((r) => ({ candidates: r.items, notices: [] as Notice[] }))
    : api.GET('/api/v1/supervision/notices', { params: { query: tab === 'raised' ? { raised: true } : {} }, signal }).then((r) => ({ candidates: [] as Candidate[], notices: r.items }))), [tab]);
  useLiveEvents(() => q.reload(), DESK_TOPICS, can('events.read'));
  const tabs: [Tab, string][] = [
    ...(!unitStaff ? [['overdue', t({ zh: '超期案件', en: 'Overdue' })], ['important', t({ zh: '重要案件', en: 'Important' })]] as [Tab, string][] : []),
    ['notices', t({ zh: '督办单', en: 'Notices' })], ['raised', t({ zh: '已升级', en: 'Raised' })],
  ];
  const empty = q.data && q.data.candidates.length === 0 && q.data.notices.length === 0;
  return (
    <Page title={t({ zh: '督办', en: 'Supervision' })} className="desk-page">
      <div className="tabs" role="tablist">
        {tabs.map(([k, name]) => <button key={k} type="button" role="tab" aria-selected={tab === k} className={`tab${tab === k ? ' active' : ''}`} onClick={() => setTab(k)}>{name}</button>)}
      </div>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} />
        : !q.data ? <Loading />
        : empty ? <p className="muted card">{t({ zh: '没有记录。', en: 'Nothing here.' })}</p>
        : <div className="desk-list">
            {q.data.candidates.map((i) => <CandidateCard key={i.case.id} item={i} onChanged={q.reload} />)}
            {q.data.notices.map((n) => <NoticeCard key={n.id} n={n} onChanged={q.reload} />)}
          </div>}
    </Page>
  );
}
