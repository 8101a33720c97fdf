/**
 * /m — the phone view for inspectors and grid members (390×844 first): tasks to verify and to check near me,
 * one task with its on-site actions (?case=ID), 上报问题 (?report=1), and the reports waiting to be sent (待发送).
 */
import { useEffect, useState } from 'react';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { deleteDraft, flushDrafts, onDraftSent, startDraftSender, subscribeDrafts, type Draft } from './drafts.ts';
import { takeFlash } from './flash.ts';
import { ReportForm, loadMatters } from './ReportForm.tsx';
import { TaskList } from './TaskList.tsx';
import { TaskView } from './TaskView.tsx';
import { DutyToggle } from '../resources/DutyToggle.tsx';
import './mobile.css';

function useDrafts(): Draft[] {
  const [drafts, setDrafts] = useState<Draft[]>([]);
  useEffect(() => subscribeDrafts(setDrafts), []);
  return drafts;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => { window.removeEventListener('online', on); window.removeEventListener('offline', off); };
  }, []);
  return online;
}

function DraftsPanel({ drafts, onClose }: { drafts: Draft[]; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  return (
    <section className="m-card m-drafts" aria-labelledby="m-drafts-title" data-testid="m-drafts">
      <div className="m-section-head">
        <h2 id="m-drafts-title">{t({ zh: '待发送的上报', en: 'Reports waiting to be sent' })}</h2>
        <button type="button" className="btn m-btn-small" onClick={onClose}>{t({ zh: '收起', en: 'Close' })}</button>
      </div>
      {drafts.length === 0 ? <p className="muted">{t({ zh: '没有待发送的上报。', en: 'Nothing waiting.' })}</p> : (
        <ul className="m-draft-list">
          {drafts.map((d) => (
            <li key={d.id}>
              <div>
                <strong>{d.matterName ?? d.fields.matterCode}</strong> · {d.fields.description.slice(0, 40)}
                <div className="muted">{formatDateTime(d.createdAt, locale)} · {t({ zh: '{n} 张照片', en: '{n} photo(s)' }, { n: d.photos.length })}
                  {d.attempts > 0 && !d.refused && ` · ${t({ zh: '已尝试 {n} 次', en: '{n} attempt(s)' }, { n: d.attempts })}`}</div>
                {d.refused && <div className="field-error">{t({ zh: '服务器拒收', en: 'Refused' })}: {d.refused.message} ({d.refused.code})</div>}
              </div>
              {d.refused && (
                <button type="button" className="btn btn-danger m-btn-small" onClick={() => void deleteDraft(d.id)}>{t({ zh: '删除', en: 'Discard' })}</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {drafts.some((d) => !d.refused) && (
        <button type="button" className="btn btn-primary m-btn-big" disabled={busy}
          onClick={async () => { setBusy(true); try { await flushDrafts(); } finally { setBusy(false); } }}>
          {busy ? t({ zh: '发送中…', en: 'Sending…' }) : t({ zh: '立即发送', en: 'Send now' })}
        </button>
      )}
    </section>
  );
}

export default function MobilePage() {
  const { t } = useI18n();
  const { hasRole } = useAuth();
  const { query } = useLocation();
  const drafts = useDrafts();
  const online = useOnline();
  const [showDrafts, setShowDrafts] = useState(false);
  const [flash, setFlash] = useState<string | undefined>(() => takeFlash());
  const caseId = query.get('case');
  const reporting = query.get('report') === '1';
  const canReport = hasRole(['inspector', 'grid_member']);

  useEffect(() => {
    startDraftSender();
    if (canReport) void loadMatters().catch(() => {});
    return onDraftSent((d) => setFlash(t({ zh: '草稿已发送：{m}', en: 'Draft sent: {m}' }, { m: d.matterName ?? d.fields.matterCode })));
  }, [canReport, t]);
  // A message belongs to the view it was shown on: moving on clears it (or shows the one left for the next view).
  useEffect(() => { setFlash(takeFlash()); }, [caseId, reporting]);

  const pending = drafts.filter((d) => !d.refused).length;

  return (
    <div className="m-page">
      <div className="m-bar">
        <DutyToggle />
        {!online && <span className="m-offline" role="status">{t({ zh: '离线', en: 'Offline' })}</span>}
        {drafts.length > 0 && (
          <button type="button" className="m-badge" data-testid="m-drafts-badge" aria-expanded={showDrafts} onClick={() => setShowDrafts(!showDrafts)}>
            {t({ zh: '待发送 {n}', en: 'To send {n}' }, { n: pending })}
            {drafts.length > pending && ` · ${t({ zh: '被拒 {n}', en: 'refused {n}' }, { n: drafts.length - pending })}`}
          </button>
        )}
        {canReport && !reporting && (
          <Link to="/m?report=1" className="btn btn-primary m-btn-big m-report-btn">＋ {t({ zh: '上报问题', en: 'Report a problem' })}</Link>
        )}
      </div>
      {flash && (
        <div className="m-flash" role="status">
          <span>{flash}</span>
          <button type="button" className="m-flash-x" aria-label={t({ zh: '关闭提示', en: 'Dismiss' })} onClick={() => setFlash(undefined)}>×</button>
        </div>
      )}
      {showDrafts && <DraftsPanel drafts={drafts} onClose={() => setShowDrafts(false)} />}
      {reporting ? (canReport ? <ReportForm /> : <p className="m-card muted">{t({ zh: '只有监督员或网格员可以巡查上报。', en: 'Only inspectors and grid members file patrol reports.' })}</p>)
        : caseId ? <TaskView id={caseId} key={caseId} />
          : <TaskList />}
    </div>
  );
}
