/**
 * /rosters — 值班表: who is on duty when, per centre (region) and unit, for a week; shift leaders, unit leaders and
 * centre leaders add and delete entries (the API checks overlaps and scope and names the field on a refusal).
 * Times are entered and shown in the city's time zone (whatever the browser's).
 */
import { useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { cityDayStart, cityOffsetMs, formatDateTime, useI18n } from '../../app/i18n.ts';
import { Link } from '../../app/router.tsx';
import { FormError, Select, TextField } from '../../components/Form.tsx';
import { Page } from '../../components/Page.tsx';
import { ErrorState, Loading } from '../../components/States.tsx';
import { ROLES } from '../../../../src/domain/policy/permissions.ts';
import './resources.css';

const DAY = 86_400_000;
/** An instant as a datetime-local value in the city's time. */
const localInput = (ms: number) => new Date(ms + cityOffsetMs(ms)).toISOString().slice(0, 16);
/** A datetime-local value in the city's time as an instant (NaN when empty or malformed). */
function fromLocalInput(v: string): number {
  const naive = Date.parse(`${v}Z`);
  return Number.isFinite(naive) ? naive - cityOffsetMs(naive) : NaN;
}
const startOfToday = () => cityDayStart(Date.now());

function RosterForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useI18n();
  const people = useQuery((signal) => api.GET('/api/v1/rosters/people', { signal }), []);
  const regions = useQuery((signal) => api.GET('/api/v1/regions', { signal }), []);
  const units = useQuery((signal) => api.GET('/api/v1/units', { signal }), []);
  const base = startOfToday() + DAY;
  const [form, setForm] = useState({ userId: '', dutyRole: 'dispatcher', regionId: '', unitId: '', startAt: localInput(base + 8 * 3600_000), endAt: localInput(base + 17 * 3600_000), note: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) => { const v = e.currentTarget.value; setForm((f) => ({ ...f, [k]: v })); };
  const apiErr = isApiError(error) ? error : undefined;
  // The server names the field in English; the common refusals are said here in the user's language.
  const err = (field: string) => {
    if (apiErr?.field !== field) return undefined;
    if (field === 'startAt' && apiErr.code === 'CONFLICT') return t({ zh: '此人在这段时间已有排班，时段不能重叠。', en: 'This person is already on the roster in this period; entries may not overlap.' });
    if (field === 'endAt' && /after startAt/.test(apiErr.message)) return t({ zh: '结束时间须晚于开始时间。', en: 'The end must be after the start.' });
    if (field === 'endAt' && /at most/.test(apiErr.message)) return t({ zh: '单次值班最长 26 小时，请拆分。', en: 'A duty lasts at most 26 h; split it.' });
    return apiErr.message;
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(undefined);
    try {
      const start = fromLocalInput(form.startAt);
      const end = fromLocalInput(form.endAt);
      await api.POST('/api/v1/rosters', { body: {
        userId: form.userId, dutyRole: form.dutyRole as never, regionId: form.regionId || null, unitId: form.unitId || null,
        startAt: Number.isFinite(start) ? new Date(start).toISOString() : form.startAt, endAt: Number.isFinite(end) ? new Date(end).toISOString() : form.endAt,
        note: form.note || null,
      } });
      onSaved();
    } catch (x) { setError(x as Error); } finally { setBusy(false); }
  };
  return (
    <section className="card" aria-labelledby="roster-new-h">
      <h2 id="roster-new-h">{t({ zh: '排班', en: 'Add to the roster' })}</h2>
      <form className="roster-form" onSubmit={submit} data-testid="roster-form">
        <Select label={t({ zh: '人员', en: 'Person' })} required value={form.userId} onChange={set('userId')} placeholder={t({ zh: '请选择', en: 'Choose' })}
          options={(people.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.username}）` }))} error={err('userId')} />
        <Select label={t({ zh: '值班角色', en: 'Role on duty' })} value={form.dutyRole} onChange={set('dutyRole')}
          options={ROLES.map((r) => ({ value: r.role, label: t({ zh: r.zh, en: r.en }) }))} error={err('dutyRole')} />
        <Select label={t({ zh: '中心（区域）', en: 'Centre (region)' })} value={form.regionId} onChange={set('regionId')} placeholder="—"
          options={(regions.data?.items ?? []).filter((r) => r.level !== 'community').map((r) => ({ value: r.id, label: r.name }))} error={err('regionId')} />
        <Select label={t({ zh: '单位', en: 'Unit' })} value={form.unitId} onChange={set('unitId')} placeholder="—"
          options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))} error={err('unitId')} />
        <TextField label={t({ zh: '开始', en: 'Start' })} type="datetime-local" required value={form.startAt} onChange={set('startAt')} error={err('startAt')} />
        <TextField label={t({ zh: '结束', en: 'End' })} type="datetime-local" required value={form.endAt} onChange={set('endAt')} error={err('endAt')} />
        <TextField label={t({ zh: '备注', en: 'Note' })} value={form.note} onChange={set('note')} maxLength={500} />
        <button type="submit" className="btn btn-primary" disabled={busy}>{t({ zh: '保存', en: 'Save' })}</button>
      </form>
      {error && (!apiErr?.field || !['userId', 'dutyRole', 'regionId', 'unitId', 'startAt', 'endAt'].includes(apiErr.field)) && <FormError>{error.message}</FormError>}
    </section>
  );
}

export default function RosterPage() {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const [from, setFrom] = useState(startOfToday);
  const list = useQuery((signal) => api.GET('/api/v1/rosters', { params: { query: { from: new Date(from).toISOString(), to: new Date(from + 7 * DAY).toISOString() } }, signal }), [from]);
  const [error, setError] = useState<unknown>();
  const remove = async (id: number) => {
    if (!window.confirm(t({ zh: '删除这条排班？', en: 'Delete this entry?' }))) return;
    try { await api.DELETE('/api/v1/rosters/{id}', { params: { path: { id: String(id) } } }); list.reload(); } catch (e) { setError(e); }
  };
  return (
    <Page title={t({ zh: '值班表', en: 'Rosters' })} actions={<>
      <button type="button" className="btn" onClick={() => setFrom(from - 7 * DAY)}>{t({ zh: '← 上一周', en: '← Previous week' })}</button>
      <button type="button" className="btn" onClick={() => setFrom(from + 7 * DAY)}>{t({ zh: '下一周 →', en: 'Next week →' })}</button>
      <Link to="/resources" className="btn">{t({ zh: '力量分布', en: 'Field resources' })}</Link>
    </>}>
      {can('roster.edit') && <RosterForm onSaved={list.reload} />}
      <section className="card" aria-labelledby="roster-h">
        <h2 id="roster-h">{t({ zh: '{a} 起一周', en: 'Week from {a}' }, { a: formatDateTime(from, locale).slice(0, 10) })}</h2>
        {error !== undefined && <ErrorState error={error} />}
        {list.error && !list.data ? <ErrorState error={list.error} onRetry={list.reload} /> : !list.data ? <Loading inline /> : list.data.items.length === 0
          ? <p className="muted">{t({ zh: '本周还没有排班。', en: 'No entries this week.' })}</p>
          : (
            <table className="roster-table" data-testid="roster-table">
              <thead><tr>
                <th>{t({ zh: '人员', en: 'Person' })}</th><th>{t({ zh: '值班角色', en: 'Role' })}</th><th>{t({ zh: '中心 / 单位', en: 'Centre / unit' })}</th>
                <th>{t({ zh: '开始', en: 'Start' })}</th><th>{t({ zh: '结束', en: 'End' })}</th><th>{t({ zh: '状态', en: 'Now' })}</th><th />
              </tr></thead>
              <tbody>
                {list.data.items.map((e) => (
                  <tr key={e.id}>
                    <td>{e.user.name}</td>
                    <td>{t(e.dutyRoleLabel)}</td>
                    <td>{[e.region?.name, e.unit?.name].filter(Boolean).join(' / ')}</td>
                    <td>{formatDateTime(e.startAt, locale)}</td>
                    <td>{formatDateTime(e.endAt, locale)}</td>
                    <td>{e.onDutyNow ? <strong>{t({ zh: '值班中', en: 'on duty' })}</strong> : ''}</td>
                    <td>{e.canEdit && <button type="button" className="btn btn-danger m-btn-small" onClick={() => void remove(e.id)}>{t({ zh: '删除', en: 'Delete' })}</button>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </section>
    </Page>
  );
}
