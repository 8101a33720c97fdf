/**
 * 交接班 (issue 9 §7): a shift leader closes the shift — the server generates what is open, overdue, urgent and
 * still ringing from what the leader may see — with notes for the next shift; the next leader acknowledges it.
 * The page lists the handovers, newest first, those waiting for acknowledgement marked.
 */
import { useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { Page } from '../../components/Page.tsx';
import { TextArea, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/States.tsx';
import './notify.css';

type Handover = ResponseOf<'/api/v1/handovers', 'get'>['items'][number];
type Brief = Handover['summary']['urgent'][number];

function defaultLabel(): string {
  const d = new Date();
  const h = d.getHours();
  return `${d.getMonth() + 1}月${d.getDate()}日 ${h >= 8 && h < 20 ? '白班' : '夜班'}`;
}

export default function HandoverPage() {
  const { t } = useI18n();
  const { hasRole } = useAuth();
  const list = useQuery((signal) => api.GET('/api/v1/handovers', { params: { query: { limit: 30 } }, signal }), []);
  const leader = hasRole(['shift_leader', 'admin']);
  return (
    <Page title={t({ zh: '交接班', en: 'Shift handover' })}>
      <div className="handover-grid">
        {leader ? <CloseShiftForm onDone={list.reload} /> : (
          <section className="card"><p className="muted">{t({ zh: '由值班长在交班时填写；接班值班长确认。', en: 'The shift leader closes the shift; the next leader acknowledges it.' })}</p></section>
        )}
        <section aria-label={t({ zh: '交接记录', en: 'Handovers' })}>
          {list.error ? <ErrorState error={list.error} onRetry={list.reload} />
            : !list.data ? <Loading />
              : list.data.items.length === 0 ? <EmptyState title={t({ zh: '暂无交接记录', en: 'No handovers yet' })} />
                : list.data.items.map((h) => <HandoverCard key={h.id} h={h} onDone={list.reload} />)}
        </section>
      </div>
    </Page>
  );
}

function CloseShiftForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [label, setLabel] = useState(defaultLabel);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.POST('/api/v1/handovers', { body: { shiftLabel: label, notes } });
      setNotes('');
      onDone();
    } catch (err) {
      setError(isApiError(err) ? { field: err.field, message: err.message } : { message: String(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="close-shift-h" data-testid="close-shift">
      <h2 id="close-shift-h">{t({ zh: '交班', en: 'Close the shift' })}</h2>
      <p className="muted">{t({ zh: '提交时自动生成在办、超时、紧急案件和未确认警报的摘要。', en: 'Open, overdue and urgent cases and unacknowledged alerts are summarised when you submit.' })}</p>
      <TextField label={t({ zh: '班次', en: 'Shift' })} value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={100}
        error={error?.field === 'shiftLabel' ? error.message : undefined} />
      <TextArea label={t({ zh: '交班说明', en: 'Notes for the next shift' })} value={notes} onChange={(e) => setNotes(e.target.value)} rows={6} maxLength={4000}
        error={error?.field === 'notes' ? error.message : undefined} />
      {error && !['shiftLabel', 'notes'].includes(error.field ?? '') && <div className="notice notice-error" role="alert">{error.message}</div>}
      <button type="submit" className="btn btn-primary" disabled={busy}>{t({ zh: '提交交班', en: 'Close shift' })}</button>
    </form>
  );
}

function CaseLinks({ items }: { items: Brief[] }) {
  const { t, locale } = useI18n();
  if (items.length === 0) return <span className="muted">{t({ zh: '无', en: 'None' })}</span>;
  return (
    <ul>
      {items.map((c) => (
        <li key={c.id}>
          <Link to={`/cases/${c.id}`}>{c.caseNo}</Link>
          {c.urgency === 'very_urgent' ? t({ zh: '（非常紧急）', en: ' (very urgent)' }) : c.urgency === 'urgent' ? t({ zh: '（紧急）', en: ' (urgent)' }) : ''}
          {c.dueAt && <span className="muted"> · {t({ zh: '时限', en: 'due' })} {formatDateTime(c.dueAt, locale)}</span>}
        </li>
      ))}
    </ul>
  );
}

function HandoverCard({ h, onDone }: { h: Handover; onDone: () => void }) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const s = h.summary;
  const acknowledge = async () => {
    setBusy(true);
    try {
      await api.POST('/api/v1/handovers/{id}/acknowledge', { params: { path: { id: String(h.id) } }, body: {} });
      onDone();
    } catch (err) {
      setError(isApiError(err) ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="card handover-card" data-testid="handover">
      <h2>{h.shiftLabel}{h.regionName ? ` · ${h.regionName}` : ''}</h2>
      <div className="muted">
        {t({ zh: `${h.closedByName} 于 ${formatDateTime(h.closedAt, locale)} 交班`, en: `Closed by ${h.closedByName} at ${formatDateTime(h.closedAt, locale)}` })}
        {' · '}
        {h.acknowledgedAt
          ? t({ zh: `${h.acknowledgedByName ?? ''} 已于 ${formatDateTime(h.acknowledgedAt, locale)} 接班确认`, en: `Acknowledged by ${h.acknowledgedByName ?? ''} at ${formatDateTime(h.acknowledgedAt, locale)}` })
          : <span className="handover-pending">{t({ zh: '待接班确认', en: 'Awaiting acknowledgement' })}</span>}
      </div>
      <div className="handover-stats">
        <span>{t({ zh: '在办', en: 'Open' })} <strong>{s.open}{s.openCapped ? '+' : ''}</strong></span>
        <span>{t({ zh: '超时', en: 'Overdue' })} <strong>{s.overdue}</strong></span>
        <span>{t({ zh: '预警', en: 'Due soon' })} <strong>{s.warning}</strong></span>
        <span>{t({ zh: '未确认警报', en: 'Ringing alerts' })} <strong>{s.ringing.length}</strong></span>
      </div>
      {h.notes && <div className="handover-notes">{h.notes}</div>}
      <details>
        <summary>{t({ zh: `紧急案件（${s.urgent.length}）`, en: `Urgent cases (${s.urgent.length})` })}</summary>
        <CaseLinks items={s.urgent} />
      </details>
      <details>
        <summary>{t({ zh: `临近时限（${s.nextDue.length}）`, en: `Next deadlines (${s.nextDue.length})` })}</summary>
        <CaseLinks items={s.nextDue} />
      </details>
      {h.canAcknowledge && <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void acknowledge()}>{t({ zh: '接班确认', en: 'Acknowledge' })}</button>}
      {error && <div className="notice notice-error" role="alert">{error}</div>}
    </article>
  );
}
