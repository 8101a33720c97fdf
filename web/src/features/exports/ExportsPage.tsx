/**
 * /exports — my exports (state, progress rows written / total, download while the file is kept) and, for leaders
 * who approve exports (export.approve), the requests waiting for a decision: who asked, why, what filter and how
 * many rows; approve or reject with a note (never one's own request: the API refuses it).
 */
import { useEffect, useState } from 'react';
import { api, isApiError, useQuery } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, formatNumber, useI18n } from '../../app/i18n.ts';
import { Page } from '../../components/Page.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/States.tsx';
import { ExportProgress } from './ExportButton.tsx';
import { SETTLED, type ExportDto } from './model.ts';
import './exports.css';

type Tab = 'mine' | 'approvals' | 'all';

/** The filter as a leader reads it: field = values. */
function FilterText({ filter }: { filter: Record<string, unknown> }) {
  const { t } = useI18n();
  const parts = Object.entries(filter).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`);
  return <code className="export-filter">{parts.length ? parts.join('  ') : t({ zh: '（全部可见案件）', en: '(every case visible)' })}</code>;
}

function Decide({ x, onDone }: { x: ExportDto; onDone: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const decide = async (d: 'approve' | 'reject') => {
    setError(null);
    try {
      await api.POST(d === 'approve' ? '/api/v1/exports/{id}/approve' : '/api/v1/exports/{id}/reject', { params: { path: { id: String(x.id) } }, body: note.trim() ? { note: note.trim() } : {} });
      onDone();
    } catch (e) {
      setError(isApiError(e) ? e.message : String(e));
    }
  };
  return (
    <div className="export-decide">
      <input type="text" maxLength={500} placeholder={t({ zh: '审批意见（可选）', en: 'Note (optional)' })} value={note} onChange={(e) => setNote(e.target.value)}
        aria-label={t({ zh: '审批意见', en: 'Note' })} />
      <button type="button" className="btn btn-small btn-primary" onClick={() => void decide('approve')} data-testid="export-approve">{t({ zh: '批准', en: 'Approve' })}</button>
      <button type="button" className="btn btn-small" onClick={() => void decide('reject')} data-testid="export-reject">{t({ zh: '驳回', en: 'Reject' })}</button>
      {error && <span className="form-error small" role="alert">{error}</span>}
    </div>
  );
}

export default function ExportsPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const leader = can('export.approve');
  const [tab, setTab] = useState<Tab>('mine');
  const q = useQuery((signal) => api.GET('/api/v1/exports', { params: { query: { scope: tab, limit: 100 } }, signal }), [tab]);
  const policy = useQuery((signal) => api.GET('/api/v1/exports/policy', { signal }), []);
  // keep progress moving while something is generating
  const busy = q.data?.items.some((x) => !SETTLED.includes(x.state)) ?? false;
  useEffect(() => {
    if (!busy) return;
    const h = setTimeout(q.reload, 1500);
    return () => clearTimeout(h);
  }, [busy, q.data, q.reload]);

  const tabs: { id: Tab; label: string; show: boolean }[] = [
    { id: 'mine', label: t({ zh: '我的导出', en: 'My exports' }), show: true },
    { id: 'approvals', label: t({ zh: '待我审批', en: 'Waiting for approval' }), show: leader },
    { id: 'all', label: t({ zh: '全部导出记录', en: 'All exports' }), show: leader },
  ];
  return (
    <Page title={t({ zh: '数据导出', en: 'Exports' })} className="exports-page" actions={policy.data && (
      <span className="muted small" data-testid="export-policy">
        {t({ zh: '超过 {n} 条需领导审批；文件保留 {h} 小时', en: 'Over {n} rows needs approval; files kept {h} h' }, { n: formatNumber(policy.data.approvalAboveRows, locale), h: policy.data.keepHours })}
      </span>
    )}>
      <div className="tabs" role="tablist">
        {tabs.filter((x) => x.show).map((x) => (
          <button key={x.id} type="button" role="tab" aria-selected={tab === x.id} className={`tab${tab === x.id ? ' active' : ''}`} onClick={() => setTab(x.id)}>{x.label}</button>
        ))}
      </div>
      {q.error && !q.data ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading /> : q.data.items.length === 0
        ? <EmptyState title={tab === 'approvals' ? t({ zh: '没有待审批的导出', en: 'Nothing waits for approval' }) : t({ zh: '还没有导出。在案件列表中点“导出”。', en: 'No exports yet. Use “Export” on the case list.' })} />
        : (
          <div className="table-wrap">
            <table className="exports-table">
              <thead>
                <tr>
                  <th>{t({ zh: '文件', en: 'File' })}</th>
                  {tab !== 'mine' && <th>{t({ zh: '申请人', en: 'Requested by' })}</th>}
                  <th>{t({ zh: '筛选条件', en: 'Filter' })}</th>
                  <th>{t({ zh: '条数', en: 'Rows' })}</th>
                  <th>{t({ zh: '申请时间', en: 'Requested' })}</th>
                  <th>{t({ zh: '状态 / 进度', en: 'State / progress' })}</th>
                </tr>
              </thead>
              <tbody>
                {q.data.items.map((x) => (
                  <tr key={x.id} data-testid="export-row" data-export-id={x.id}>
                    <td>{x.filename}{x.reason && <div className="muted small">{t({ zh: '事由：', en: 'Reason: ' })}{x.reason}</div>}</td>
                    {tab !== 'mine' && <td>{x.requestedBy.name ?? x.requestedBy.id}</td>}
                    <td><FilterText filter={x.filter} /></td>
                    <td>{formatNumber(x.totalRows, locale)}</td>
                    <td>{formatDateTime(x.requestedAt, locale)}</td>
                    <td>
                      <ExportProgress x={x} />
                      {x.decidedBy && x.decidedAt && <div className="muted small">{x.decidedBy.name} · {formatDateTime(x.decidedAt, locale)}{x.decisionNote ? ` · ${x.decisionNote}` : ''}</div>}
                      {x.allowedActions.includes('approve') && <Decide x={x} onDone={q.reload} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </Page>
  );
}
