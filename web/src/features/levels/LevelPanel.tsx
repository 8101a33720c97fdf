/**
 * The case's level of platform (处理层级: 街镇 / 区 / 市) on the case detail page, with 上报 (escalate to the superior
 * platform), 下派 (assign down to a lower platform), 接收 (accept) and 退回 / 拒收 (refuse, reason required) — offered
 * exactly from the case's `allowedActions` — the transfer waiting for a platform, and the case's movements between
 * levels (GET /cases/{id}/transfers). One case, one history: the timeline below shows the same steps.
 */
import { useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError, type BodyOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n, type Msg } from '../../app/i18n.ts';
import { useLiveEvents } from '../../app/sse.ts';
import { FormError, Select, TextArea } from '../../components/Form.tsx';
import type { CaseDto } from '../cases/model.ts';
import { LEVEL_ACTIONS, LEVEL_MSG, LEVEL_TOPICS, TRANSFER_KIND, TRANSFER_STATUS, levelMsg, type LevelAction } from './model.ts';
import './levels.css';

const ROUTE: Record<LevelAction, '/api/v1/cases/{id}/escalate' | '/api/v1/cases/{id}/assign-down' | '/api/v1/cases/{id}/accept-transfer' | '/api/v1/cases/{id}/refuse-transfer'> = {
  escalate: '/api/v1/cases/{id}/escalate', assign_down: '/api/v1/cases/{id}/assign-down',
  accept_transfer: '/api/v1/cases/{id}/accept-transfer', refuse_transfer: '/api/v1/cases/{id}/refuse-transfer',
};

function TransferForm({ action, c, onDone, onCancel, onConflict }: {
  action: LevelAction; c: CaseDto; onDone: (next: CaseDto) => void; onCancel: () => void; onConflict: (message: string) => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const targets = useQuery((signal) => api.GET('/api/v1/cases/{id}/transfer-targets', { params: { path: { id: String(c.id) } }, signal }), [c.id]);
  const needsReason = action !== 'accept_transfer';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const version = c.version;
    const body = action === 'escalate' ? { reason, version } satisfies BodyOf<'/api/v1/cases/{id}/escalate', 'post'>
      : action === 'assign_down' ? { toRegionId: to, reason, version } satisfies BodyOf<'/api/v1/cases/{id}/assign-down', 'post'>
      : action === 'refuse_transfer' ? { reason, version } satisfies BodyOf<'/api/v1/cases/{id}/refuse-transfer', 'post'>
      : { ...(reason.trim() ? { note: reason } : {}), version } satisfies BodyOf<'/api/v1/cases/{id}/accept-transfer', 'post'>;
    try {
      // The route and its body are built together above (a union of routes TypeScript cannot correlate).
      const next = await api.POST(ROUTE[action], { params: { path: { id: String(c.id) } }, body } as never) as CaseDto;
      onDone(next);
    } catch (err) {
      setError(isApiError(err) ? err : undefined);
      setBusy(false);
      // Someone else changed the case (or decided the transfer) meanwhile: show why, and reload what it is now.
      if (isApiError(err) && err.status === 409) onConflict(err.message);
    }
  };
  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  const label: Msg = action === 'escalate' ? { zh: '上报理由（本级为何无法解决）', en: 'Why this platform cannot solve it' }
    : action === 'assign_down' ? { zh: '下派说明', en: 'Instruction to the lower platform' }
    : action === 'refuse_transfer' ? { zh: '退回（拒收）理由', en: 'Why it is refused' } : { zh: '备注（可选）', en: 'Note (optional)' };
  return (
    <form className="level-form" onSubmit={submit} aria-label={t(levelMsg(action))} data-level-form={action}>
      <FormError>{error && !error.field ? error.message : error && !['reason', 'toRegionId', 'note'].includes(error.field ?? '') ? error.message : undefined}</FormError>
      {action === 'escalate' && (
        <p className="level-target">{t({ zh: '上报至：', en: 'To: ' })}<strong>{targets.data?.escalateTo?.name ?? '…'}</strong></p>
      )}
      {action === 'assign_down' && (
        <Select label={t({ zh: '下派至（下级平台）', en: 'Assign to (lower platform)' })} required value={to} name="toRegionId"
          placeholder={t({ zh: '请选择', en: 'Choose' })} error={fieldError('toRegionId')}
          options={(targets.data?.assignDownTo ?? []).map((p) => ({ value: p.id, label: `${p.name}（${t(p.levelLabel)}）` }))}
          onChange={(e) => setTo(e.target.value)} />
      )}
      <TextArea label={t(label)} required={needsReason} value={reason} name="reason" rows={3} maxLength={2000}
        error={fieldError('reason') ?? fieldError('note')} onChange={(e) => setReason(e.target.value)} />
      <div className="form-actions">
        <button type="submit" className={`btn ${action === 'refuse_transfer' ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
          {busy ? t({ zh: '提交中…', en: 'Sending…' }) : t({ zh: '确认{a}', en: 'Confirm: {a}' }, { a: t(levelMsg(action)) })}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

/** The level panel of the case detail page. `onChanged` reloads the case and its history. */
export function LevelPanel({ c, onChanged }: { c: CaseDto; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const [open, setOpen] = useState<LevelAction | undefined>();
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | undefined>();
  const transfers = useQuery((signal) => api.GET('/api/v1/cases/{id}/transfers', { params: { path: { id: String(c.id) } }, signal }), [c.id, c.version]);
  useLiveEvents((e) => { if (Number(e.data.caseId) === c.id) onChanged(); }, LEVEL_TOPICS, can('events.read'));
  const actions = LEVEL_ACTIONS.filter((a) => c.allowedActions.includes(a));
  const p = c.platform;
  const pt = c.pendingTransfer;
  return (
    <section className="card level-panel" aria-labelledby="level-h" data-testid="level-panel">
      <h2 id="level-h">{t({ zh: '处理层级', en: 'Handling level' })}</h2>
      <p className="level-now">
        {p ? <><span className={`level-badge lv-${p.level}`} data-testid="platform-level">{t(LEVEL_MSG[p.level] ?? p.levelLabel)}</span>
          <strong data-testid="platform-name">{p.region.name}</strong></>
          : <span className="muted">{t({ zh: '未指定处理平台', en: 'No handling platform' })}</span>}
      </p>
      {pt && (
        <div className="pending-transfer" role="status" data-testid="pending-transfer">
          <strong>{t(TRANSFER_KIND[pt.kind] ?? { zh: pt.kind, en: pt.kind })}</strong>
          {' '}{pt.from.name} → {pt.to.name}
          <div>{t({ zh: '理由：', en: 'Reason: ' })}{pt.reason}</div>
          <div className="muted small">{pt.requestedBy.name ?? pt.requestedBy.id} · {formatDateTime(pt.requestedAt, locale)} · {t({ zh: '等待{p}接收或退回', en: 'waiting for {p} to accept or refuse' }, { p: pt.to.name })}</div>
        </div>
      )}
      {notice && <div className={notice.ok ? 'notice-ok' : 'form-error'} role={notice.ok ? 'status' : 'alert'}>{notice.text}</div>}
      {actions.length > 0 && (
        <div className="action-buttons">
          {actions.map((a) => (
            <button key={a} type="button" className={`btn ${open === a ? 'btn-primary' : 'btn-strong'}`} data-level-action={a} aria-expanded={open === a}
              onClick={() => { setNotice(undefined); setOpen(open === a ? undefined : a); }}>
              {t(levelMsg(a))}
            </button>
          ))}
        </div>
      )}
      {open && actions.includes(open) && (
        <TransferForm key={open} action={open} c={c} onCancel={() => setOpen(undefined)}
          onConflict={(message) => {
            setNotice({ ok: false, text: `${message}${t({ zh: '（已重新加载案件）', en: ' (the case was reloaded)' })}` });
            setOpen(undefined);
            onChanged();
          }}
          onDone={(next) => {
            setNotice({
              ok: true,
              text: next.pendingTransfer
                ? t({ zh: '已{a}，等待{p}接收', en: 'Done ({a}): waiting for {p} to accept' }, { a: t(levelMsg(open)), p: next.pendingTransfer.to.name })
                : t({ zh: '已{a}：本案现由{p}处理', en: 'Done ({a}): the case is now handled by {p}' }, { a: t(levelMsg(open)), p: next.platform?.region.name ?? '—' }),
            });
            setOpen(undefined);
            onChanged();
          }} />
      )}
      {transfers.data && transfers.data.items.length > 0 && (
        <details className="level-transfers">
          <summary>{t({ zh: '层级流转记录（{n}）', en: 'Movements between levels ({n})' }, { n: transfers.data.items.length })}</summary>
          <ol>
            {transfers.data.items.map((x) => (
              <li key={x.id}>
                <strong>{t(TRANSFER_KIND[x.kind] ?? { zh: x.kind, en: x.kind })}</strong> {x.from.name} → {x.to.name}
                {' · '}<span className={`transfer-status ts-${x.status}`}>{t(TRANSFER_STATUS[x.status] ?? { zh: x.status, en: x.status })}</span>
                <div className="muted small">{formatDateTime(x.requestedAt, locale)} · {x.reason}</div>
                {x.decisionReason && x.status === 'refused' && <div className="small">{t({ zh: '退回理由：', en: 'Refused because: ' })}{x.decisionReason}</div>}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
