/**
 * 联勤联动 panel of the case detail page: the lead unit and every assisting unit's task (state, deadline counting
 * down inside the case's handling deadline, handler, result, photos, its part of the bundled limit), with exactly the
 * actions the API says this viewer may take (GET /cases/{id}/assists → tasks[].allowedActions, mayAdd): sign /
 * return / complete for the assisting unit; add / waive / rule for the centre. Live: assist events reload it.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError, type Schema } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, formatDuration, useI18n, type Msg } from '../../app/i18n.ts';
import { useLiveEvents } from '../../app/sse.ts';
import { FormError, Select, TextArea, TextField } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { ClockCountdown } from '../cases/Countdown.tsx';
import { LIMIT_UNITS, useUnits, type CaseDto } from '../cases/model.ts';
import { uploadPhotos } from './assists.ts';
import './joint.css';

type Board = Schema<'AssistBoard'>;
type Task = Board['tasks'][number];
type TaskAction = 'sign' | 'return' | 'complete' | 'waive' | 'rule';

export const ASSIST_TOPICS = ['assist.assigned', 'assist.signed', 'assist.returned', 'assist.completed', 'assist.waived'] as const;

const ACTION_LABEL: Record<TaskAction, Msg> = {
  sign: { zh: '签收', en: 'Sign' }, return: { zh: '退回', en: 'Return' }, complete: { zh: '完成协办', en: 'Complete' },
  waive: { zh: '免除', en: 'Waive' }, rule: { zh: '裁定', en: 'Rule' },
};

const minutes = (ms: number | null, locale: 'zh-CN' | 'en') => (ms === null ? '—' : formatDuration(ms, locale));

/** One action's small form (sign needs none). */
function TaskForm({ c, task, action, onDone, onCancel }: { c: CaseDto; task: Task; action: TaskAction; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const units = useUnits();
  const [v, setV] = useState<Record<string, string>>({ outcome: 'keep' });
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const set = (k: string, x: string) => setV((o) => ({ ...o, [k]: x }));
  const fieldErr = (f: string) => (error && isApiError(error) && error.field === f ? error.message : undefined);
  const path = { params: { path: { id: String(c.id), taskId: String(task.id) } } };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (action === 'sign') await api.POST('/api/v1/cases/{id}/assists/{taskId}/sign', { ...path, body: {} });
      if (action === 'return') await api.POST('/api/v1/cases/{id}/assists/{taskId}/return', { ...path, body: { reason: v.reason ?? '', basis: v.basis ?? '' } });
      if (action === 'complete') await api.POST('/api/v1/cases/{id}/assists/{taskId}/complete', { ...path, body: { result: v.result ?? '', photos: await uploadPhotos(files) } });
      if (action === 'waive') await api.POST('/api/v1/cases/{id}/assists/{taskId}/waive', { ...path, body: { reason: v.reason ?? '' } });
      if (action === 'rule') {
        const outcome = (v.outcome ?? 'keep') as 'keep' | 'waive' | 'reassign';
        await api.POST('/api/v1/cases/{id}/assists/{taskId}/rule', { ...path, body: { outcome, ruling: v.ruling ?? '', ...(outcome === 'reassign' ? { unitId: v.unitId ?? '' } : {}) } });
      }
      onDone();
    } catch (err) {
      setBusy(false);
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  const unitOptions = (units ?? []).filter((u) => u.active && u.id !== task.unit.id && u.id !== c.assignedUnit?.id).map((u) => ({ value: u.id, label: u.name }));
  const formLevel = error && !(isApiError(error) && error.field && ['reason', 'basis', 'result', 'photos', 'ruling', 'unitId', 'outcome'].includes(error.field)) ? errText(error) : undefined;
  return (
    <form className="assist-form" onSubmit={submit} aria-label={`${t(ACTION_LABEL[action])} · ${task.unit.name}`}>
      <FormError>{formLevel}</FormError>
      {action === 'return' && <>
        <TextArea label={t({ zh: '退回原因', en: 'Why you return it' })} required rows={2} value={v.reason ?? ''} error={fieldErr('reason')} onChange={(e) => set('reason', e.target.value)} />
        <TextArea label={t({ zh: '依据（法规、清单条目）', en: 'Basis (regulation, list item)' })} required rows={2} value={v.basis ?? ''} error={fieldErr('basis')} onChange={(e) => set('basis', e.target.value)} />
      </>}
      {action === 'complete' && <>
        <TextArea label={t({ zh: '协办结果', en: 'What your unit did' })} required rows={3} value={v.result ?? ''} error={fieldErr('result')} onChange={(e) => set('result', e.target.value)} />
        <TextField label={t({ zh: '现场照片', en: 'Photos' })} type="file" accept="image/*" multiple required error={fieldErr('photos')}
          hint={t({ zh: '至少一张（最多 10 张），提交时上传', en: 'At least one (up to 10), uploaded when you submit' })}
          onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, 10))} />
      </>}
      {action === 'waive' && (
        <TextArea label={t({ zh: '免除理由', en: 'Why it is waived' })} required rows={2} value={v.reason ?? ''} error={fieldErr('reason')} onChange={(e) => set('reason', e.target.value)} />
      )}
      {action === 'rule' && <>
        {task.returnReason && <p className="muted small">{t({ zh: '退回原因：{r}；依据：{b}', en: 'Returned because: {r}; basis: {b}' }, { r: task.returnReason, b: task.returnBasis ?? '—' })}</p>}
        <Select label={t({ zh: '裁定结果', en: 'Outcome' })} required value={v.outcome ?? 'keep'} onChange={(e) => set('outcome', e.target.value)} error={fieldErr('outcome')} options={[
          { value: 'keep', label: t({ zh: '维持：仍由该单位协办（记推诿）', en: 'Keep: the same unit (counts as buck-passing)' }) },
          { value: 'reassign', label: t({ zh: '改派其他单位协办', en: 'Reassign to another unit' }) },
          { value: 'waive', label: t({ zh: '免除该协办任务', en: 'Waive the task' }) },
        ]} />
        {v.outcome === 'reassign' && (
          <Select label={t({ zh: '改派单位', en: 'New assisting unit' })} required value={v.unitId ?? ''} error={fieldErr('unitId')}
            placeholder={t({ zh: '请选择单位', en: 'Choose a unit' })} options={unitOptions} onChange={(e) => set('unitId', e.target.value)} />
        )}
        <TextArea label={t({ zh: '裁定意见及依据', en: 'Ruling and its basis' })} required rows={2} value={v.ruling ?? ''} error={fieldErr('ruling')} onChange={(e) => set('ruling', e.target.value)} />
      </>}
      <div className="form-actions">
        <button type="submit" className={`btn ${action === 'return' || action === 'waive' ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
          {busy ? t({ zh: '提交中…', en: 'Sending…' }) : t({ zh: '确认{a}', en: 'Confirm: {a}' }, { a: t(ACTION_LABEL[action]) })}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function TaskCard({ c, task, open, onOpen, onDone }: { c: CaseDto; task: Task; open: TaskAction | undefined; onOpen: (a: TaskAction | undefined) => void; onDone: () => void }) {
  const { t, locale } = useI18n();
  const running = task.state === 'dispatched' || task.state === 'signed';
  return (
    <li className={`assist-task at-${task.state}`} data-testid="assist-task" data-unit-id={task.unit.id} data-state={task.state}>
      <div className="assist-head">
        <span className="assist-tag">{t({ zh: '协办', en: 'Assisting' })}</span>
        <strong className="assist-unit">{task.unit.name}</strong>
        <span className={`assist-state as-${task.state}`} data-testid="assist-state">{t(task.stateLabel)}</span>
        {running && task.dueAt ? <ClockCountdown dueAt={task.dueAt} /> : null}
        {task.part.overdue && !running && <span className="countdown countdown-overdue">{t({ zh: '超时', en: 'overdue' })}</span>}
      </div>
      <p className="assist-instruction">{task.instruction}</p>
      <dl className="assist-facts">
        <div><dt>{t({ zh: '时限', en: 'Due' })}</dt><dd>{task.dueAt ? formatDateTime(task.dueAt, locale) : '—'}</dd></div>
        <div><dt>{t({ zh: '签收人', en: 'Handler' })}</dt><dd>{task.handler ? `${task.handler.name ?? task.handler.id}${task.signedAt ? ` · ${formatDateTime(task.signedAt, locale)}` : ''}` : '—'}</dd></div>
        <div><dt>{t({ zh: '签收 / 完成用时', en: 'To sign / to done' })}</dt><dd>{minutes(task.part.signMs, locale)} / {minutes(task.part.doneMs, locale)}</dd></div>
        {task.result && <div className="wide"><dt>{t({ zh: '协办结果', en: 'Result' })}</dt><dd data-testid="assist-result">{task.result}</dd></div>}
        {task.returnReason && <div className="wide"><dt>{t({ zh: '退回', en: 'Returned' })}</dt><dd>{task.returnReason}（{t({ zh: '依据', en: 'basis' })}：{task.returnBasis ?? '—'}）</dd></div>}
        {task.ruling && <div className="wide"><dt>{t({ zh: '中心意见', en: 'Centre' })}</dt><dd>{task.ruling}</dd></div>}
      </dl>
      {task.photoIds.length > 0 && (
        <ul className="photos">
          {task.photoIds.map((id, i) => (
            <li key={id}><a href={`/api/v1/attachments/${encodeURIComponent(id)}`} target="_blank" rel="noreferrer">
              <img src={`/api/v1/attachments/${encodeURIComponent(id)}`} alt={t({ zh: '{u}协办照片 {n}', en: '{u} photo {n}' }, { u: task.unit.name, n: i + 1 })} loading="lazy" />
            </a></li>
          ))}
        </ul>
      )}
      {task.allowedActions.length > 0 && (
        <div className="action-buttons">
          {(task.allowedActions as TaskAction[]).map((a) => (
            <button key={a} type="button" className={`btn btn-small ${open === a ? 'btn-primary' : a === 'sign' || a === 'complete' || a === 'rule' ? 'btn-strong' : ''}`}
              data-assist-action={a} aria-expanded={open === a} onClick={() => onOpen(open === a ? undefined : a)}>
              {t(ACTION_LABEL[a])}
            </button>
          ))}
        </div>
      )}
      {open && <TaskForm c={c} task={task} action={open} onCancel={() => onOpen(undefined)} onDone={() => { onOpen(undefined); onDone(); }} />}
    </li>
  );
}

/** The centre adds assisting units to a case in handling, each with what is asked of it. */
function AddAssists({ c, board, onDone }: { c: CaseDto; board: Board; onDone: () => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const units = useUnits();
  const [open, setOpen] = useState(false);
  const [v, setV] = useState({ unitId: '', instruction: '', amount: '', unit: 'work_hours' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const holding = new Set(board.tasks.filter((x) => ['dispatched', 'signed', 'returned'].includes(x.state)).map((x) => x.unit.id));
  const options = (units ?? []).filter((u) => u.active && u.id !== c.assignedUnit?.id && !holding.has(u.id)).map((u) => ({ value: u.id, label: u.name }));
  if (!open) return <button type="button" className="btn btn-small" data-testid="assist-add" onClick={() => setOpen(true)}>{t({ zh: '增派协办单位', en: 'Add an assisting unit' })}</button>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const limit = Number(v.amount) > 0 ? { limit: { amount: Number(v.amount), unit: v.unit as 'work_hours' } } : {};
      await api.POST('/api/v1/cases/{id}/assists', { params: { path: { id: String(c.id) } }, body: { assists: [{ unitId: v.unitId, instruction: v.instruction, ...limit }] } });
      setOpen(false);
      setV({ unitId: '', instruction: '', amount: '', unit: 'work_hours' });
      onDone();
    } catch (err) { setError(err); }
    setBusy(false);
  };
  return (
    <form className="assist-form" onSubmit={submit} aria-label={t({ zh: '增派协办单位', en: 'Add an assisting unit' })}>
      <FormError>{error ? errText(error) : undefined}</FormError>
      <Select label={t({ zh: '协办单位', en: 'Assisting unit' })} required value={v.unitId} placeholder={t({ zh: '请选择单位', en: 'Choose a unit' })} options={options}
        onChange={(e) => setV({ ...v, unitId: e.target.value })} />
      <TextArea label={t({ zh: '协办事项', en: 'What is asked of it' })} rows={2} value={v.instruction} onChange={(e) => setV({ ...v, instruction: e.target.value })} />
      <div className="assist-limit">
        <TextField label={t({ zh: '协办时限（可选，不超过案件处置时限）', en: 'Own time limit (optional, inside the case\'s)' })} type="number" min="0.1" step="any" value={v.amount}
          onChange={(e) => setV({ ...v, amount: e.target.value })} />
        <Select label={t({ zh: '单位', en: 'Unit' })} value={v.unit} options={Object.entries(LIMIT_UNITS).map(([value, label]) => ({ value, label: t(label) }))}
          onChange={(e) => setV({ ...v, unit: e.target.value })} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{t({ zh: '确认增派', en: 'Add' })}</button>
        <button type="button" className="btn" onClick={() => setOpen(false)} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

export function JointPanel({ c, onChanged }: { c: CaseDto; onChanged?: () => void }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const board = useQuery((signal) => api.GET('/api/v1/cases/{id}/assists', { params: { path: { id: String(c.id) } }, signal }), [c.id, c.version]);
  const [open, setOpen] = useState<{ task: number; action: TaskAction } | undefined>();
  const reload = board.reload;
  useLiveEvents((e) => { if (Number(e.data.caseId) === c.id) reload(); }, ASSIST_TOPICS, can('events.read'));
  const b = board.data;
  const changed = () => { reload(); onChanged?.(); };
  const leadState = useMemo(() => t(c.stateLabel), [c.stateLabel, t]);
  if (!b) return board.error ? <section className="card"><ErrorState error={board.error} onRetry={reload} /></section> : <section className="card"><Loading inline /></section>;
  if (b.tasks.length === 0 && !b.mayAdd) return null;
  return (
    <section className="card joint-panel" aria-labelledby="joint-h" data-testid="joint-panel">
      <h2 id="joint-h">{t({ zh: '联勤联动', en: 'Joint action' })}</h2>
      <div className="joint-lead">
        <span className="assist-tag lead">{t({ zh: '主办', en: 'Lead' })}</span>
        <strong>{b.lead.unit?.name ?? '—'}</strong>
        <span className="muted">{leadState}</span>
        {b.lead.dueAt && ['DISPATCHED', 'IN_PROGRESS'].includes(c.state) && <ClockCountdown dueAt={b.lead.dueAt} />}
        <span className="muted small">
          {b.lead.signedAt ? t({ zh: '签收于 {x}', en: 'signed {x}' }, { x: formatDateTime(b.lead.signedAt, locale) }) : t({ zh: '未签收', en: 'not signed' })}
        </span>
      </div>
      <p className={`joint-bundle ${b.bundle.settled ? 'ok' : 'open'}`} data-testid="joint-bundle">
        {b.bundle.settled
          ? t({ zh: '协办任务均已完成或免除，主办单位可处置反馈。', en: 'Every assisting task is done or waived: the lead may report disposal.' })
          : t({ zh: '{n} 项协办任务未完成：主办单位须待其完成或由中心免除后方可处置反馈。', en: '{n} assisting task(s) open: the lead reports disposal once they are done or waived by the centre.' }, { n: b.bundle.open })}
        {b.bundle.dueAt && <> {t({ zh: '捆绑处置时限：{x}', en: 'Bundled limit: {x}' }, { x: formatDateTime(b.bundle.dueAt, locale) })}</>}
      </p>
      {b.tasks.length > 0 && (
        <ul className="assist-list">
          {b.tasks.map((task) => (
            <TaskCard key={task.id} c={c} task={task} open={open?.task === task.id ? open.action : undefined}
              onOpen={(a) => setOpen(a ? { task: task.id, action: a } : undefined)} onDone={changed} />
          ))}
        </ul>
      )}
      {b.mayAdd && <AddAssists c={c} board={b} onDone={changed} />}
    </section>
  );
}
