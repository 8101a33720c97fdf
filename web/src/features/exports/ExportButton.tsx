/**
 * 导出 on a case list: the list's own filter, a format, and the background export with its progress. Within the
 * city's limit the export starts at once and a download link appears when it is ready; above it the API asks for a
 * reason (400 on `reason`) and the request waits for a leader's approval (see /exports).
 */
import { useEffect, useRef, useState } from 'react';
import { api, isApiError } from '../../app/api.ts';
import { formatNumber, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { FORMATS, SETTLED, percent, sizeText, type ExportDto, type ExportFilter, type ExportFormat } from './model.ts';
import './exports.css';

export function ExportProgress({ x }: { x: ExportDto }) {
  const { t, locale } = useI18n();
  return (
    <span className="export-progress" data-testid="export-progress" data-state={x.state}>
      <span className={`export-state st-${x.state}`}>{t(x.stateLabel)}</span>
      {(x.state === 'approved' || x.state === 'generating') && (
        <>
          <progress max={100} value={percent(x)} aria-label={t({ zh: '导出进度', en: 'Export progress' })} />
          <span className="muted small">{formatNumber(x.rowsWritten, locale)} / {formatNumber(x.totalRows, locale)}</span>
        </>
      )}
      {x.state === 'ready' && x.downloadUrl && (
        <a className="btn btn-small btn-primary" href={x.downloadUrl} download={x.filename} data-testid="export-download">
          {t({ zh: '下载', en: 'Download' })} {sizeText(x.fileBytes)}
        </a>
      )}
      {x.state === 'requested' && <Link to="/exports" className="small">{t({ zh: '等待领导审批', en: 'Waiting for approval' })}</Link>}
      {x.error && <span className="form-error small">{x.error}</span>}
    </span>
  );
}

/** Polls an export until it settles. */
export function useExportPoll(initial: ExportDto | null): ExportDto | null {
  const [x, setX] = useState(initial);
  useEffect(() => setX(initial), [initial]);
  useEffect(() => {
    if (!x || SETTLED.includes(x.state)) return;
    const h = setTimeout(() => {
      api.GET('/api/v1/exports/{id}', { params: { path: { id: String(x.id) } } }).then(setX, () => {});
    }, 1000);
    return () => clearTimeout(h);
  }, [x]);
  return x;
}

export function ExportButton({ filter }: { filter: ExportFilter }) {
  const { t } = useI18n();
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [reason, setReason] = useState('');
  const [needReason, setNeedReason] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [started, setStarted] = useState<ExportDto | null>(null);
  const x = useExportPoll(started);
  const ref = useRef<HTMLDetailsElement>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.POST('/api/v1/exports', { body: { kind: 'cases', format, filter, ...(reason.trim() ? { reason: reason.trim() } : {}) } });
      setStarted(r);
      setNeedReason(null);
      setReason('');
    } catch (e) {
      if (isApiError(e) && e.field === 'reason') setNeedReason(e.message);
      else setError(isApiError(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="export-menu" ref={ref} data-testid="export-menu">
      <summary className="btn btn-small">{t({ zh: '导出', en: 'Export' })}</summary>
      <div className="export-pop" role="group" aria-label={t({ zh: '导出当前筛选的案件', en: 'Export the cases of this filter' })}>
        <p className="muted small">{t({ zh: '导出当前筛选条件下您可见的全部案件（个人信息按您的权限脱敏）。', en: 'Exports every case of this filter you may see (personal data masked as for you).' })}</p>
        <fieldset className="export-formats">
          <legend className="sr-only">{t({ zh: '格式', en: 'Format' })}</legend>
          {FORMATS.map((f) => (
            <label key={f.value}>
              <input type="radio" name="export-format" value={f.value} checked={format === f.value} onChange={() => setFormat(f.value)} /> {t(f.label)}
            </label>
          ))}
        </fieldset>
        {needReason && (
          <label className="export-reason">
            <span className="small">{t({ zh: '超过审批阈值，需填写导出事由并经领导审批：', en: 'Above the approval limit: give a reason for a leader to approve:' })}</span>
            <textarea value={reason} maxLength={500} rows={2} onChange={(e) => setReason(e.target.value)} data-testid="export-reason" />
          </label>
        )}
        <button type="button" className="btn btn-primary btn-small" disabled={busy || (needReason !== null && reason.trim().length < 2)} onClick={() => void submit()} data-testid="export-start">
          {needReason ? t({ zh: '提交审批', en: 'Ask for approval' }) : t({ zh: '开始导出', en: 'Start export' })}
        </button>
        {error && <p className="form-error small" role="alert">{error}</p>}
        {x && <ExportProgress x={x} />}
        <Link to="/exports" className="small">{t({ zh: '我的导出', en: 'My exports' })}</Link>
      </div>
    </details>
  );
}
