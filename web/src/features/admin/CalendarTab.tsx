/**
 * The work calendar: a year as month grids (holidays, make-up workdays), the city's work time (periods, weekend, day
 * counting, units with their own hours) and the stored settings that could not be used, the yearly import, a
 * deadline tester (for the city or one unit).
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError, type BodyOf, type QueryOf, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { useI18n, formatDateTime, getCityTimeZone } from '../../app/i18n.ts';
import { FormError, Select, TextArea, TextField } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { LIMIT_UNIT_LABELS, LIMIT_UNITS, useLabel } from './shared.tsx';
import { CalendarSettingsCard } from './CalendarSettingsCard.tsx';
import { FileInput } from '../../components/FileInput.tsx';

type Calendar = ResponseOf<'/api/v1/calendar', 'get'>;
type Deadline = ResponseOf<'/api/v1/calendar/deadline', 'get'>;
type LimitUnit = QueryOf<'/api/v1/calendar/deadline', 'get'>['unit'];
/** What the import takes; the text area's JSON is sent as typed and checked by the server. */
type CalendarImportDoc = BodyOf<'/api/v1/calendar/import', 'post'>;

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEK_ZH = ['一', '二', '三', '四', '五', '六', '日'];
const WEEK_EN = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const pad = (n: number) => String(n).padStart(2, '0');

/** The local "today" in the city (YYYY-MM-DD). */
function cityToday(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: getCityTimeZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return parts;
}

/** The current calendar as an import document (make-up days go with the nearest holiday). */
function toImport(c: Calendar) {
  const byName = new Map<string, { name: string; daysOff: string[]; makeUpWorkdays: string[] }>();
  for (const h of c.holidays) {
    const name = h.name ?? '节假日';
    const e = byName.get(name) ?? { name, daysOff: [], makeUpWorkdays: [] };
    e.daysOff.push(h.date);
    byName.set(name, e);
  }
  const list = [...byName.values()];
  for (const d of c.makeUpWorkdays) {
    const t = Date.parse(d);
    let best = list[0];
    let dist = Infinity;
    for (const h of list) for (const x of h.daysOff) { const dd = Math.abs(Date.parse(x) - t); if (dd < dist) { dist = dd; best = h; } }
    best?.makeUpWorkdays.push(d);
  }
  return {
    source: '', year: c.year, weekend: c.weekendDays.map((d) => DAY_NAMES[d]),
    holidays: list.map((h) => (h.makeUpWorkdays.length ? h : { name: h.name, daysOff: h.daysOff })),
  };
}

/** What a problem's default is, in words: periods as "09:00–12:00、13:30–17:30", anything else as given. */
function defaultText(v: unknown): string {
  if (Array.isArray(v) && v.every((p) => p && typeof p === 'object' && 'start' in p && 'end' in p)) {
    return (v as { start: string; end: string }[]).map((p) => `${p.start}–${p.end}`).join('、');
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Holidays grouped by name, with their first and last day. */
function holidayPeriods(c: Calendar): { name: string; from: string; to: string }[] {
  const out = new Map<string, { name: string; from: string; to: string }>();
  for (const h of [...c.holidays].sort((a, b) => a.date.localeCompare(b.date))) {
    const name = h.name ?? '—';
    const p = out.get(name);
    if (p) p.to = h.date; else out.set(name, { name, from: h.date, to: h.date });
  }
  return [...out.values()];
}

export function CalendarTab() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [year, setYear] = useState(() => Number(cityToday().slice(0, 4)));
  const q = useQuery((signal) => api.GET('/api/v1/calendar', { signal, params: { query: { year } } }), [year]);
  const problems = q.data?.problems ?? [];
  const [picked, setPicked] = useState<string | undefined>();
  const manage = can('calendar.manage');
  return (
    <div className="admin-grid">
      {problems.length > 0 && (
        <div className="notice notice-error admin-wide" role="alert" data-testid="calendar-problems">
          <strong>{t({ zh: '以下已保存的设置无法使用，系统正按默认值运行：', en: 'These stored settings cannot be used; the defaults apply:' })}</strong>
          <ul>{problems.map((p, i) => (
            <li key={i}><code>{p.setting}</code> {p.message} — {t({ zh: '正在使用：', en: 'using: ' })}{defaultText(p.usingDefault)}</li>
          ))}</ul>
        </div>
      )}
      <section className="card admin-wide" aria-labelledby="calendar-h">
        <div className="row-between">
          <h2 id="calendar-h">{t({ zh: '{y} 年工作日历', en: 'Work calendar {y}' }, { y: year })}</h2>
          <div className="actions">
            <button type="button" className="btn" onClick={() => setYear(year - 1)} aria-label={t({ zh: '上一年', en: 'Previous year' })}>‹ {year - 1}</button>
            <button type="button" className="btn" onClick={() => setYear(year + 1)} aria-label={t({ zh: '下一年', en: 'Next year' })}>{year + 1} ›</button>
          </div>
        </div>
        {manage && (
          <p className="muted small">
            {t({ zh: '点击某一天，可设为法定节假日、调休上班日或恢复正常（须填写原因）。', en: 'Click a day to make it a holiday, a make-up workday or a normal day again (with a reason).' })}
          </p>
        )}
        {picked && q.data && q.data.year === year && (
          <DayEditor key={picked} cal={q.data} date={picked} onClose={() => setPicked(undefined)} onSaved={() => { setPicked(undefined); q.reload(); }} />
        )}
        {q.error ? <ErrorState error={q.error} onRetry={q.reload} />
          : !q.data || q.data.year !== year ? <Loading /> : <YearGrid cal={q.data} onPick={manage ? setPicked : undefined} picked={picked} />}
      </section>
      {can('calendar.manage') && <CalendarSettingsCard onSaved={q.reload} />}
      <DeadlineTester offset={q.data?.utcOffsetMinutes ?? 480} />
      {can('calendar.manage') && q.data && q.data.year === year && <CalendarImport cal={q.data} onDone={q.reload} />}
    </div>
  );
}

function YearGrid({ cal, onPick, picked }: { cal: Calendar; onPick?: (date: string) => void; picked?: string }) {
  const { t, locale } = useI18n();
  const holidays = useMemo(() => new Map(cal.holidays.map((h) => [h.date, h.name ?? ''])), [cal]);
  const reasons = useMemo(() => new Map(cal.days.map((d) => [d.date, d.name ?? ''])), [cal]);
  const makeUp = useMemo(() => new Set(cal.makeUpWorkdays), [cal]);
  const today = cityToday();
  const week = locale === 'en' ? WEEK_EN : WEEK_ZH;
  const months = Array.from({ length: 12 }, (_, m) => m);
  return (
    <>
      <p className="muted">
        {t({ zh: '工作时间', en: 'Work hours' })}: {cal.workPeriods.map((p) => `${p.start}–${p.end}`).join('、')} ·{' '}
        {cal.dayCounting === 'elapsed_work_time' ? t({ zh: '按日时限：从开始时刻累计', en: 'Days: elapsed from the start' }) : t({ zh: '按日时限：次日起算，第 N 日下班届满', en: 'Days: from the next day, to close of business' })} ·{' '}
        {t({ zh: '{h} 天法定节假日，{m} 天调休上班', en: '{h} holidays, {m} make-up workdays' }, { h: cal.holidays.length, m: cal.makeUpWorkdays.length })}
      </p>
      <ul className="legend" aria-label={t({ zh: '图例', en: 'Legend' })}>
        <li><span className="day day-work" aria-hidden="true">1</span>{t({ zh: '工作日', en: 'Work day' })}</li>
        <li><span className="day day-weekend" aria-hidden="true">1</span>{t({ zh: '周末', en: 'Weekend' })}</li>
        <li><span className="day day-holiday" aria-hidden="true">1</span>{t({ zh: '法定节假日', en: 'Holiday' })}</li>
        <li><span className="day day-makeup" aria-hidden="true">1</span>{t({ zh: '调休上班', en: 'Make-up workday' })}</li>
      </ul>
      <div className="months">
        {months.map((m) => {
          const first = new Date(Date.UTC(cal.year, m, 1));
          const days = new Date(Date.UTC(cal.year, m + 1, 0)).getUTCDate();
          const lead = (first.getUTCDay() + 6) % 7; // Monday first
          const cells = [];
          for (let i = 0; i < lead; i++) cells.push(<div key={`e${i}`} className="day day-empty" aria-hidden="true" />);
          for (let d = 1; d <= days; d++) {
            const date = `${cal.year}-${pad(m + 1)}-${pad(d)}`;
            const dow = new Date(Date.UTC(cal.year, m, d)).getUTCDay();
            const hol = holidays.get(date);
            const kind = hol !== undefined ? 'holiday' : makeUp.has(date) ? 'makeup' : cal.weekendDays.includes(dow) ? 'weekend' : 'work';
            const kindText = kind === 'holiday' ? `${t({ zh: '法定节假日', en: 'Holiday' })}${hol ? ` ${hol}` : ''}`
              : kind === 'makeup' ? t({ zh: '调休上班', en: 'Make-up workday' }) : kind === 'weekend' ? t({ zh: '周末', en: 'Weekend' }) : t({ zh: '工作日', en: 'Work day' });
            const why = kind === 'makeup' && reasons.get(date) && reasons.get(date) !== '调休上班' ? `（${reasons.get(date)}）` : '';
            const inner = (
              <>
                <span aria-hidden="true">{d}</span>
                <span className="sr-only">{date} {kindText}{why}</span>
                {kind === 'makeup' && <span className="day-mark" aria-hidden="true">{t({ zh: '班', en: 'W' })}</span>}
                {kind === 'holiday' && <span className="day-mark" aria-hidden="true">{t({ zh: '休', en: 'H' })}</span>}
              </>
            );
            const cls = `day day-${kind}${date === today ? ' day-today' : ''}${date === picked ? ' day-picked' : ''}`;
            cells.push(onPick
              ? <button type="button" key={date} className={`${cls} day-button`} title={`${date} ${kindText}${why}`} data-date={date} data-kind={kind}
                aria-pressed={date === picked} onClick={() => onPick(date)}>{inner}</button>
              : <div key={date} className={cls} title={`${date} ${kindText}${why}`} data-date={date} data-kind={kind}>{inner}</div>);
          }
          return (
            <div key={m} className="month">
              <h3>{locale === 'en' ? new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' }).format(first) : `${m + 1}月`}</h3>
              <div className="month-grid">
                {week.map((w) => <div key={w} className="dow" aria-hidden="true">{w}</div>)}
                {cells}
              </div>
            </div>
          );
        })}
      </div>
      {cal.holidays.length > 0 && (
        <p className="muted holiday-list">
          {holidayPeriods(cal).map((p) => `${p.name} ${p.from.slice(5)}${p.to !== p.from ? `–${p.to.slice(5)}` : ''}`).join('；')}
        </p>
      )}
    </>
  );
}

function DeadlineTester({ offset }: { offset: number }) {
  const { t, locale } = useI18n();
  const label = useLabel();
  const errorText = useErrorText();
  const [start, setStart] = useState(() => `${cityToday()}T10:00`);
  const [amount, setAmount] = useState('3');
  const [unit, setUnit] = useState<LimitUnit>('work_days');
  const [unitId, setUnitId] = useState('');
  const units = useQuery((signal) => api.GET('/api/v1/units', { signal }), []);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Deadline | undefined>();
  const [error, setError] = useState<ApiError | Error | undefined>();
  const sign = offset >= 0 ? '+' : '-';
  const off = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(undefined); setResult(undefined);
    try {
      const iso = `${start.length === 16 ? `${start}:00` : start}${off}`;
      setResult(await api.GET('/api/v1/calendar/deadline', { params: { query: { start: iso, amount: Number(amount), unit, unitId: unitId || undefined } } }));
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  const apiErr = isApiError(error) ? error : undefined;
  return (
    <section className="card" aria-labelledby="deadline-h">
      <h2 id="deadline-h">{t({ zh: '时限计算器', en: 'Deadline calculator' })}</h2>
      <form onSubmit={submit}>
        <TextField label={t({ zh: '开始时间（城市本地时间 {o}）', en: 'Start (city time, {o})' }, { o: off })} type="datetime-local" required value={start}
          onChange={(e) => setStart(e.currentTarget.value)} error={apiErr?.field === 'start' ? apiErr.message : undefined} />
        <div className="form-cols form-cols-2">
          <TextField label={t({ zh: '时长', en: 'Amount' })} type="number" min={0} step="any" required value={amount} onChange={(e) => setAmount(e.currentTarget.value)}
            error={apiErr?.field === 'amount' ? apiErr.message : undefined} />
          <Select label={t({ zh: '单位', en: 'Unit' })} value={unit} onChange={(e) => setUnit(e.currentTarget.value as LimitUnit)} options={LIMIT_UNITS.map((u) => ({ value: u, label: label(LIMIT_UNIT_LABELS, u) }))} />
        </div>
        <Select label={t({ zh: '处置单位（可选）', en: 'Handling unit (optional)' })} value={unitId} onChange={(e) => setUnitId(e.currentTarget.value)}
          placeholder={t({ zh: '全市工作时间', en: "The city's hours" })} options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }))}
          error={apiErr?.field === 'unitId' ? apiErr.message : undefined} />
        <button type="submit" className="btn btn-primary" disabled={busy}>{t({ zh: '计算截止时间', en: 'Compute the deadline' })}</button>
      </form>
      {error && !apiErr?.field && <FormError>{errorText(error)}</FormError>}
      {error && apiErr?.field && !['start', 'amount', 'unitId'].includes(apiErr.field) && <FormError>{apiErr.message}</FormError>}
      {result && (
        <dl className="kv answer" data-testid="deadline-result" aria-live="polite">
          <dt>{t({ zh: '截止时间', en: 'Deadline' })}</dt><dd><strong data-testid="deadline-at" data-iso={result.deadline}>{formatDateTime(result.deadline, locale)}</strong></dd>
          <dt>{t({ zh: '黄灯预警', en: 'Yellow warning' })}</dt><dd>{formatDateTime(result.warningAt, locale)}</dd>
          <dt>{t({ zh: '按此工作时间', en: 'On these hours' })}</dt><dd data-testid="deadline-periods">{result.calendar.workPeriods.map((p) => `${p.start}–${p.end}`).join('、')}</dd>
          <dt>{t({ zh: '开始时在工作时间内', en: 'Starts in work time' })}</dt>
          <dd>{result.startsInWorkTime ? t({ zh: '是', en: 'yes' }) : t({ zh: '否（从下一个工作时段开始计时）', en: 'no (counting starts at the next work period)' })}</dd>
        </dl>
      )}
    </section>
  );
}

function CalendarImport({ cal, onDone }: { cal: Calendar; onDone: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [text, setText] = useState(() => JSON.stringify(toImport(cal), null, 2));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [done, setDone] = useState<ResponseOf<'/api/v1/calendar/import', 'post'> | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(undefined); setDone(undefined);
    try {
      let json: unknown;
      try { json = JSON.parse(text); } catch (err) { throw new Error(t({ zh: '不是有效的 JSON：{m}', en: 'Not valid JSON: {m}' }, { m: (err as Error).message }), { cause: err }); }
      setDone(await api.POST('/api/v1/calendar/import', { body: json as CalendarImportDoc }));
      onDone();
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  const loadFile = async (f: File | undefined) => { if (f) setText(await f.text()); };
  const apiErr = isApiError(error) ? error : undefined;
  return (
    <section className="card" aria-labelledby="cal-import-h">
      <h2 id="cal-import-h">{t({ zh: '导入年度节假日安排', en: "Import a year's holiday arrangement" })}</h2>
      <p className="muted">{t({
        zh: '按国务院办公厅发布的安排填写：year、weekend（休息日）、holidays（name、daysOff 放假日期、makeUpWorkdays 调休上班日期）。导入会替换该年的全部节假日和调休。',
        en: 'As published by the State Council: year, weekend, holidays (name, daysOff, makeUpWorkdays). It replaces that year\'s holidays and make-up workdays.',
      })}</p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="cal-file">{t({ zh: '从文件读取（可选）', en: 'Load from a file (optional)' })}</label>
          <FileInput id="cal-file" accept=".json,application/json" onFiles={(f) => void loadFile(f[0])} />
        </div>
        <TextArea label={t({ zh: '安排（JSON）', en: 'Arrangement (JSON)' })} value={text} onChange={(e) => setText(e.currentTarget.value)} rows={12} className="mono" spellCheck={false}
          error={apiErr?.field ? apiErr.message : undefined} />
        {error && !apiErr?.field && <FormError>{errorText(error)}</FormError>}
        {done && <div className="notice notice-ok" role="status">{t({ zh: '已导入 {y} 年：{h} 天节假日，{m} 天调休上班。', en: 'Imported {y}: {h} holidays, {m} make-up workdays.' }, { y: done.year, h: done.holidays, m: done.makeUpWorkdays })}</div>}
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t({ zh: '正在导入…', en: 'Importing…' }) : t({ zh: '导入', en: 'Import' })}</button>
      </form>
    </section>
  );
}

type DayKind = BodyOf<'/api/v1/calendar/days/{date}', 'put'>['kind'];

/** One day set by hand: holiday / make-up workday / normal, with the reason (a holiday's name is its reason). */
function DayEditor({ cal, date, onClose, onSaved }: { cal: Calendar; date: string; onClose: () => void; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const stored = cal.days.find((d) => d.date === date);
  const current: DayKind = stored?.kind === 'holiday' ? 'holiday' : stored?.kind === 'workday' ? 'workday' : 'normal';
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekend = cal.weekendDays.includes(dow);
  const [kind, setKind] = useState<DayKind>(current === 'normal' ? (weekend ? 'workday' : 'holiday') : current);
  const [reason, setReason] = useState(stored?.name && stored.name !== '调休上班' ? stored.name : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const apiErr = isApiError(error) ? error : undefined;
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => { form.current?.scrollIntoView?.({ block: 'nearest' }); form.current?.querySelector<HTMLInputElement>('input:not(:disabled)')?.focus(); }, []);
  const dayName = new Intl.DateTimeFormat(locale === 'en' ? 'en' : 'zh-CN', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
  const kindLabel = (k: DayKind) => (k === 'holiday' ? t({ zh: '法定节假日（放假）', en: 'Public holiday (day off)' })
    : k === 'workday' ? t({ zh: '调休上班日', en: 'Make-up workday' }) : t({ zh: '正常（按每周作息）', en: 'Normal (weekly pattern)' }));
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(undefined);
    try {
      await api.PUT('/api/v1/calendar/days/{date}', { params: { path: { date } }, body: { kind, reason: reason.trim() } });
      onSaved();
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  return (
    <form ref={form} className="subform day-editor" onSubmit={save} aria-labelledby="day-editor-h" data-testid="day-editor">
      <h3 id="day-editor-h">{t({ zh: '设置 {d}（{w}）', en: 'Set {d} ({w})' }, { d: date, w: dayName })}</h3>
      <p className="muted small">{t({ zh: '当前：', en: 'Now: ' })}{kindLabel(current)}{stored?.name ? ` · ${stored.name}` : ''}</p>
      <fieldset className={`field${apiErr?.field === 'kind' ? ' field-invalid' : ''}`}>
        <legend>{t({ zh: '改为', en: 'Make it' })}</legend>
        <div className="role-grid">
          {(['holiday', 'workday', 'normal'] as const).map((k) => (
            <label key={k} className="check">
              <input type="radio" name="day-kind" value={k} checked={kind === k} onChange={() => { setKind(k); setError(undefined); }}
                disabled={(k === 'workday' && !weekend) || (k === 'normal' && current === 'normal')} />
              {kindLabel(k)}
            </label>
          ))}
        </div>
        {!weekend && <div className="field-hint">{t({ zh: '调休上班日只能是周末。', en: 'Only a weekend day can be a make-up workday.' })}</div>}
        {apiErr?.field === 'kind' && <div className="field-error" role="alert">{apiErr.message}</div>}
      </fieldset>
      <TextField label={kind === 'holiday' ? t({ zh: '节日名称 / 原因', en: 'Holiday name / reason' }) : t({ zh: '原因', en: 'Reason' })} required maxLength={100}
        value={reason} onChange={(e) => { setReason(e.currentTarget.value); if (apiErr?.field === 'reason') setError(undefined); }}
        placeholder={kind === 'holiday' ? t({ zh: '如：国庆节', en: 'e.g. National Day' }) : kind === 'workday' ? t({ zh: '如：国庆节调休', en: 'e.g. National Day swap' }) : t({ zh: '如：取消临时放假', en: 'e.g. closure cancelled' })}
        error={apiErr?.field === 'reason' ? apiErr.message : undefined} />
      {error && !(apiErr && (apiErr.field === 'kind' || apiErr.field === 'reason')) && <FormError>{errorText(error)}</FormError>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t({ zh: '正在保存…', en: 'Saving…' }) : t({ zh: '保存', en: 'Save' })}</button>
        <button type="button" className="btn" onClick={onClose}>{t({ zh: '取消', en: 'Cancel' })}</button>
      </div>
    </form>
  );
}
