/**
 * One summons: its kind, reason and meeting place; each department's report state with a countdown to its
 * deadline; and what the caller may do (from the response's allowedActions): report (现场签到 with the phone's
 * position, or 线上报到), close with an outcome, rate each department. Used on the case page and the list page.
 */
import { useState, type FormEvent } from 'react';
import { api, isApiError, type ApiError } from '../../app/api.ts';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { FormError, Select, TextArea, TextField } from '../../components/Form.tsx';
import { useErrorText } from '../../components/States.tsx';
import { ClockCountdown } from '../cases/Countdown.tsx';
import { DEPT_STATE, HISTORY_ACTION, KIND, MODE, OUTCOME, label, type Department, type Summons } from './model.ts';

const fieldError = (e: ApiError | Error | undefined, field: string) => (e && isApiError(e) && e.field === field ? e.message : undefined);

/** The phone's position once (high accuracy, 15 s). */
function currentPosition(): Promise<GeolocationPosition> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error('geolocation unsupported')); return; }
    navigator.geolocation.getCurrentPosition(resolve, reject, { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 });
  });
}

function ReportBox({ s, onChanged }: { s: Summons; onChanged: (next: Summons) => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [unitId, setUnitId] = useState(s.reportableUnitIds[0] ?? '');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'' | 'on_site' | 'online'>('');
  const [error, setError] = useState<ApiError | Error | undefined>();
  const names = new Map(s.departments.map((d) => [d.unit.id, d.unit.name]));
  const send = async (mode: 'on_site' | 'online') => {
    setBusy(mode);
    setError(undefined);
    try {
      let position: { lon: number; lat: number; accuracy?: number } | undefined;
      if (mode === 'on_site') {
        try {
          const p = await currentPosition();
          position = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: Math.round(p.coords.accuracy) };
        } catch {
          throw new Error(t({ zh: '无法获取定位：请允许浏览器使用位置信息，或选择线上报到', en: 'No position: allow location access, or report online' }));
        }
      }
      onChanged(await api.POST('/api/v1/summons/{id}/report', {
        params: { path: { id: String(s.id) } }, body: { unitId, mode, ...(position ? { position } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
      }));
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy('');
    }
  };
  return (
    <div className="summons-box" aria-label={t({ zh: '报到', en: 'Report' })}>
      {s.reportableUnitIds.length > 1 && (
        <Select label={t({ zh: '报到单位', en: 'Reporting for' })} value={unitId} onChange={(e) => setUnitId(e.target.value)}
          options={s.reportableUnitIds.map((u) => ({ value: u, label: names.get(u) ?? u }))} />
      )}
      <TextField label={t({ zh: '报到说明（可选）', en: 'Note (optional)' })} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
      <div className="summons-buttons">
        <button type="button" className="btn btn-primary" disabled={!!busy} onClick={() => send('on_site')}>
          {busy === 'on_site' ? t({ zh: '定位中…', en: 'Locating…' }) : t({ zh: '现场签到', en: 'Check in on site' })}
        </button>
        <button type="button" className="btn" disabled={!!busy} onClick={() => send('online')}>{t({ zh: '线上报到', en: 'Report online' })}</button>
      </div>
      <p className="muted small">{t({ zh: '现场签到须在会商地点 {r} 米内', en: 'On-site check-in within {r} m of the meeting place' }, { r: s.checkInRadiusMeters })}</p>
      <FormError>{error ? errText(error) : undefined}</FormError>
    </div>
  );
}

function CloseBox({ s, onChanged }: { s: Summons; onChanged: (next: Summons) => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await api.POST('/api/v1/summons/{id}/close', { params: { path: { id: String(s.id) } }, body: { outcome: outcome as 'resolved', note } }));
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const waiting = s.departments.filter((d) => d.state === 'summoned').length;
  return (
    <form className="summons-box" onSubmit={submit} aria-label={t({ zh: '结束吹哨', en: 'Close the summons' })}>
      <Select label={t({ zh: '处置结果', en: 'Outcome' })} required value={outcome} onChange={(e) => setOutcome(e.target.value)} placeholder={t({ zh: '请选择', en: 'Choose' })}
        options={Object.entries(OUTCOME).map(([value, m]) => ({ value, label: t(m) }))} error={fieldError(error, 'outcome')} />
      <TextArea label={t({ zh: '结果说明', en: 'Note' })} required value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} error={fieldError(error, 'note')} />
      {waiting > 0 && <p className="muted small">{t({ zh: '尚有 {n} 个部门未报到，结束后记为缺席', en: '{n} department(s) have not reported: they will be marked absent' }, { n: waiting })}</p>}
      <button type="submit" className="btn btn-primary" disabled={busy}>{t({ zh: '结束吹哨', en: 'Close the summons' })}</button>
      <FormError>{error && !isApiError(error) ? errText(error) : error && isApiError(error) && !['outcome', 'note'].includes(error.field ?? '') ? errText(error) : undefined}</FormError>
    </form>
  );
}

function RateRow({ s, d, onChanged }: { s: Summons; d: Department; onChanged: (next: Summons) => void }) {
  const { t } = useI18n();
  const errText = useErrorText();
  const [rating, setRating] = useState('5');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await api.POST('/api/v1/summons/{id}/rate', {
        params: { path: { id: String(s.id) } }, body: { unitId: d.unit.id, rating: Number(rating), ...(comment.trim() ? { comment: comment.trim() } : {}) },
      }));
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="summons-rate" onSubmit={submit} aria-label={t({ zh: '评价 {u}', en: 'Rate {u}' }, { u: d.unit.name })}>
      <Select label={t({ zh: '评分', en: 'Rating' })} value={rating} onChange={(e) => setRating(e.target.value)}
        options={[5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: `${'★'.repeat(n)}${'☆'.repeat(5 - n)} ${n}` }))} />
      <TextField label={t({ zh: '评语（可选）', en: 'Comment (optional)' })} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} />
      <button type="submit" className="btn" disabled={busy}>{t({ zh: '评价', en: 'Rate' })}</button>
      <FormError>{error ? errText(error) : undefined}</FormError>
    </form>
  );
}

function DepartmentRow({ s, d, onChanged }: { s: Summons; d: Department; onChanged: (next: Summons) => void }) {
  const { t, locale } = useI18n();
  const stateClass = d.state === 'reported' ? (d.late ? 'late' : 'ok') : d.state === 'absent' ? 'absent' : d.overdue ? 'late' : 'waiting';
  return (
    <li className={`summons-dept dept-${stateClass}`} data-unit={d.unit.id}>
      <div className="summons-dept-head">
        <strong>{d.unit.name}</strong>
        <span className={`summons-chip chip-${stateClass}`} data-testid="dept-state">
          {t(label(DEPT_STATE, d.state))}{d.state === 'reported' && d.late ? ` · ${t({ zh: '迟到', en: 'late' })}` : ''}
        </span>
        {d.state === 'summoned' && s.state === 'open' && <ClockCountdown dueAt={d.dueAt} />}
      </div>
      {d.reportedAt && (
        <div className="muted small">
          {formatDateTime(d.reportedAt, locale)} · {t(label(MODE, d.reportMode))}
          {d.distanceMeters !== null ? ` · ${t({ zh: '距会商点 {m} 米', en: '{m} m from the meeting place' }, { m: d.distanceMeters })}` : ''}
          {d.reportedBy ? ` · ${d.reportedBy.name}` : ''}{d.note ? ` · ${d.note}` : ''}
        </div>
      )}
      {d.rating !== null && (
        <div className="small" data-testid="dept-rating">
          <span aria-label={t({ zh: '{n} 星', en: '{n} stars' }, { n: d.rating })}>{'★'.repeat(d.rating)}{'☆'.repeat(5 - d.rating)}</span>
          {d.ratingComment ? ` ${d.ratingComment}` : ''}
        </div>
      )}
      {s.ratableUnitIds.includes(d.unit.id) && <RateRow s={s} d={d} onChanged={onChanged} />}
    </li>
  );
}

export function SummonsCard({ s, onChanged, showCase = false }: { s: Summons; onChanged: (next: Summons) => void; showCase?: boolean }) {
  const { t, locale } = useI18n();
  const [showHistory, setShowHistory] = useState(false);
  return (
    <article className={`summons-card summons-${s.state} kind-${s.kind}`} data-summons-id={s.id}>
      <header className="summons-head">
        <span className={`summons-kind kind-${s.kind}`}>{t(label(KIND, s.kind))}</span>
        <span className="summons-state" data-testid="summons-state">{s.state === 'open' ? t({ zh: '进行中', en: 'Open' }) : t({ zh: '已结束', en: 'Closed' })}</span>
        {showCase && (s.caseVisible ? <Link to={`/cases/${s.caseId}`}>{t({ zh: '案件 {n}', en: 'Case {n}' }, { n: s.caseNo })}</Link>
          : <span>{t({ zh: '案件 {n}', en: 'Case {n}' }, { n: s.caseNo })}</span>)}
        <span className="muted small">{s.street.name} · {s.issuerUnit?.name ?? s.issuedBy?.name ?? ''} · {formatDateTime(s.issuedAt, locale)}</span>
      </header>
      <p className="summons-reason">{s.reason}</p>
      <div className="muted small">
        {t({ zh: '会商方式：{m}', en: 'Meeting: {m}' }, { m: t(label(MODE, s.mode)) })}
        {s.place.address ? ` · ${t({ zh: '地点：{a}', en: 'Place: {a}' }, { a: s.place.address })}`
          : s.place.lon !== null ? ` · ${t({ zh: '地点：案件位置', en: 'Place: the case\'s location' })}` : ''}
        {` · ${t({ zh: '报到时限 {n} 分钟', en: 'report within {n} min' }, { n: s.reportLimitMinutes })}`}
      </div>
      <ul className="summons-depts">
        {s.departments.map((d) => <DepartmentRow key={d.unit.id} s={s} d={d} onChanged={onChanged} />)}
      </ul>
      {s.state === 'closed' && (
        <p className="summons-outcome" data-testid="summons-outcome">
          <strong>{t(label(OUTCOME, s.outcome))}</strong>{s.outcomeNote ? `：${s.outcomeNote}` : ''}
          {s.closedAt ? <span className="muted small"> · {formatDateTime(s.closedAt, locale)}</span> : null}
        </p>
      )}
      {s.allowedActions.includes('report') && <ReportBox s={s} onChanged={onChanged} />}
      {s.allowedActions.includes('close') && <CloseBox s={s} onChanged={onChanged} />}
      {s.history && s.history.length > 0 && (
        <div>
          <button type="button" className="summons-link small" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
            {showHistory ? t({ zh: '收起记录', en: 'Hide the timeline' }) : t({ zh: '吹哨记录（{n}）', en: 'Timeline ({n})' }, { n: s.history.length })}
          </button>
          {showHistory && (
            <ol className="summons-history">
              {s.history.map((h) => (
                <li key={h.id}>
                  <time dateTime={h.at}>{formatDateTime(h.at, locale)}</time> · {t(label(HISTORY_ACTION, h.action))}
                  {h.unitId ? ` · ${s.departments.find((d) => d.unit.id === h.unitId)?.unit.name ?? h.unitId}` : ''}
                  {h.actorName ? ` · ${h.actorName}` : ''}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </article>
  );
}
