/**
 * The city's work time (PUT /api/v1/calendar/settings): the work periods of a work day, the weekly rest days, how
 * limits in days are counted, and the units that keep other hours. The server validates the whole change (errors
 * name the field) before anything is written; new clocks use it at once.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError, type BodyOf, type ResponseOf } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { FormError, Select } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { fieldError } from './shared.tsx';

type Settings = ResponseOf<'/api/v1/calendar/settings', 'get'>;
type SettingsBody = BodyOf<'/api/v1/calendar/settings', 'put'>;
type DayCounting = NonNullable<SettingsBody['dayCounting']>;
interface Period { start: string; end: string }
interface UnitRow { key: number; unitId: string; periods: string; everyDay: boolean }

const WEEK = [1, 2, 3, 4, 5, 6, 0];
const WEEK_ZH = ['日', '一', '二', '三', '四', '五', '六'];
const WEEK_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
let keySeq = 0;

const periodsText = (ps: readonly Period[]) => ps.map((p) => `${p.start}-${p.end}`).join(', ');
/** "08:00-12:00, 13:00-18:00" → periods (the server checks the times). */
const parsePeriods = (text: string): Period[] => text.split(/[,，;；、]/).map((s) => s.trim()).filter(Boolean).map((s) => {
  const [start = '', end = ''] = s.split(/\s*[-–~～]\s*/);
  return { start, end };
});

export function CalendarSettingsCard({ onSaved }: { onSaved: () => void }) {
  const q = useQuery((signal) => api.GET('/api/v1/calendar/settings', { signal }), []);
  const units = useQuery((signal) => api.GET('/api/v1/units', { signal }), []);
  if (q.error) return <section className="card admin-wide"><ErrorState error={q.error} onRetry={q.reload} /></section>;
  if (!q.data || !units.data) return <section className="card admin-wide"><Loading /></section>;
  return <SettingsForm settings={q.data} units={units.data.items} onSaved={() => { q.reload(); onSaved(); }} />;
}

function SettingsForm({ settings, units, onSaved }: { settings: Settings; units: readonly { id: string; name: string; code: string }[]; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const [periods, setPeriods] = useState<Period[]>(settings.workPeriods);
  const [weekend, setWeekend] = useState<number[]>(settings.weekendDays);
  const [dayCounting, setDayCounting] = useState<DayCounting>(settings.dayCounting as DayCounting);
  const toRows = (s: Settings): UnitRow[] => s.unitWorkPeriods.map((u) => ({ key: ++keySeq, unitId: u.unitId, periods: periodsText(u.workPeriods), everyDay: u.everyDay }));
  const [unitRows, setUnitRows] = useState<UnitRow[]>(() => toRows(settings));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setPeriods(settings.workPeriods); setWeekend(settings.weekendDays); setDayCounting(settings.dayCounting as DayCounting); setUnitRows(toRows(settings));
  }, [settings]);

  const apiErr = isApiError(error) ? error : undefined;
  const periodError = (i: number) => fieldError(apiErr, `workPeriods[${i}]`);
  const unitError = (i: number) => fieldError(apiErr, `unitWorkPeriods[${i}]`);
  const setPeriod = (i: number, p: Partial<Period>) => setPeriods(periods.map((x, j) => (j === i ? { ...x, ...p } : x)));
  const setUnit = (key: number, p: Partial<UnitRow>) => setUnitRows(unitRows.map((r) => (r.key === key ? { ...r, ...p } : r)));
  const unitOptions = units.map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(undefined); setSaved(false);
    try {
      await api.PUT('/api/v1/calendar/settings', {
        body: {
          workPeriods: periods, weekendDays: weekend, dayCounting,
          unitWorkPeriods: unitRows.map((r) => ({ unitId: r.unitId, workPeriods: parsePeriods(r.periods), everyDay: r.everyDay })),
        },
      });
      setSaved(true);
      onSaved();
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };

  return (
    <section className="card admin-wide" aria-labelledby="cal-settings-h" data-testid="calendar-settings">
      <h2 id="cal-settings-h">{t({ zh: '工作时间设置', en: 'Work time settings' })}</h2>
      <p className="muted">{t({
        zh: '工作时、工作日时限只在工作时段内计时。修改后新启动的计时立即按新设置计算，已在计时的案件保持原截止时间。',
        en: 'Limits in work hours and work days count only inside the work periods. New clocks use a change at once; running clocks keep their deadlines.',
      })}</p>
      <form onSubmit={submit}>
        <fieldset className="field">
          <legend>{t({ zh: '全市工作时段', en: "The city's work periods" })}</legend>
          {periods.map((p, i) => (
            <div key={i} className="period-row">
              <label htmlFor={`wp-${i}-s`} className="sr-only">{t({ zh: '第 {n} 段开始', en: 'Period {n} start' }, { n: i + 1 })}</label>
              <input id={`wp-${i}-s`} value={p.start} onChange={(e) => setPeriod(i, { start: e.currentTarget.value })} placeholder="09:00" inputMode="numeric" maxLength={5}
                aria-invalid={periodError(i) ? true : undefined} />
              <span aria-hidden="true">–</span>
              <label htmlFor={`wp-${i}-e`} className="sr-only">{t({ zh: '第 {n} 段结束', en: 'Period {n} end' }, { n: i + 1 })}</label>
              <input id={`wp-${i}-e`} value={p.end} onChange={(e) => setPeriod(i, { end: e.currentTarget.value })} placeholder="17:30" inputMode="numeric" maxLength={5}
                aria-invalid={periodError(i) ? true : undefined} />
              <button type="button" className="btn btn-small" onClick={() => setPeriods(periods.filter((_, j) => j !== i))} disabled={periods.length <= 1}
                aria-label={t({ zh: '删除第 {n} 段', en: 'Remove period {n}' }, { n: i + 1 })}>
                {t({ zh: '删除', en: 'Remove' })}
              </button>
              {periodError(i) && <div className="field-error" role="alert">{periodError(i)}</div>}
            </div>
          ))}
          <div className="form-actions period-add">
            <button type="button" className="btn btn-small" onClick={() => setPeriods([...periods, { start: '', end: '' }])}>{t({ zh: '添加时段', en: 'Add a period' })}</button>
          </div>
          {fieldError(apiErr, 'workPeriods') && !periods.some((_, i) => periodError(i)) && <div className="field-error" role="alert">{apiErr!.message}</div>}
        </fieldset>
        <fieldset className={`field${fieldError(apiErr, 'weekendDays') ? ' field-invalid' : ''}`}>
          <legend>{t({ zh: '每周休息日', en: 'Weekly rest days' })}</legend>
          <div className="role-grid">
            {WEEK.map((d) => (
              <label key={d} className="check">
                <input type="checkbox" checked={weekend.includes(d)} onChange={(e) => setWeekend(e.currentTarget.checked ? [...weekend, d].sort() : weekend.filter((x) => x !== d))} />
                {locale === 'en' ? WEEK_EN[d] : `周${WEEK_ZH[d]}`}
              </label>
            ))}
          </div>
          {fieldError(apiErr, 'weekendDays') && <div className="field-error" role="alert">{apiErr!.message}</div>}
        </fieldset>
        <Select label={t({ zh: '按日计算的时限', en: 'Limits in days' })} value={dayCounting} onChange={(e) => setDayCounting(e.currentTarget.value as DayCounting)}
          error={fieldError(apiErr, 'dayCounting')}
          hint={dayCounting === 'next_day_close_of_business'
            ? t({ zh: '开始当日不计入，第 N 日下班时届满（民法典第 201、203 条）。', en: 'The start day does not count; N days end at close of business of the Nth day.' })
            : t({ zh: '从开始时刻起累计 N 个工作日的工作时长（如 10:00 起 1 个工作日到次一工作日 10:00）。', en: 'N × a work day’s hours from the start instant (10:00 + 1 work day = 10:00 on the next work day).' })}
          options={[
            { value: 'next_day_close_of_business', label: t({ zh: '次日起算，第 N 日下班届满（默认）', en: 'From the next day (default)' }) },
            { value: 'elapsed_work_time', label: t({ zh: '从开始时刻累计工作时长', en: 'Elapsed work time from the start instant' }) },
          ]} />

        <h3>{t({ zh: '单独作息的单位', en: 'Units that keep other hours' })}</h3>
        <p className="muted">{t({
          zh: '处置时限按单位自己的工作时段计算（与全市共用节假日）；下级单位沿用上级的设置。“全年无休”的单位没有周末和节假日。时段写法：08:00-12:00, 13:00-18:00；24 小时值班写 00:00-24:00。',
          en: "The unit's handling clock runs on its own periods (the city's holidays apply); sub-units inherit them. A unit on duty every day has no weekend or holiday. Periods: 08:00-12:00, 13:00-18:00; round the clock: 00:00-24:00.",
        })}</p>
        {unitRows.length > 0 && (
          <div className="table-wrap table-edit">
            <table className="table" data-testid="unit-periods">
              <thead><tr>
                <th>{t({ zh: '单位', en: 'Unit' })}</th><th>{t({ zh: '工作时段', en: 'Work periods' })}</th><th>{t({ zh: '全年无休', en: 'Every day' })}</th><th />
              </tr></thead>
              <tbody>
                {unitRows.map((r, i) => (
                  <tr key={r.key} className={unitError(i) ? 'row-error' : undefined}>
                    <td>
                      <select aria-label={t({ zh: '第 {n} 行的单位', en: 'Unit of row {n}' }, { n: i + 1 })} value={r.unitId} onChange={(e) => setUnit(r.key, { unitId: e.currentTarget.value })}>
                        <option value="">{t({ zh: '请选择', en: 'Choose' })}</option>
                        {unitOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
                      </select>
                    </td>
                    <td>
                      <input aria-label={t({ zh: '第 {n} 行的工作时段', en: 'Work periods of row {n}' }, { n: i + 1 })} value={r.periods} placeholder="08:00-18:00" onChange={(e) => setUnit(r.key, { periods: e.currentTarget.value })} />
                      {unitError(i) && <div className="field-error" role="alert">{unitError(i)}</div>}
                    </td>
                    <td><input type="checkbox" aria-label={t({ zh: '第 {n} 行全年无休', en: 'Row {n} on duty every day' }, { n: i + 1 })} checked={r.everyDay} onChange={(e) => setUnit(r.key, { everyDay: e.currentTarget.checked })} /></td>
                    <td><button type="button" className="btn btn-small" onClick={() => setUnitRows(unitRows.filter((x) => x.key !== r.key))}
                      aria-label={t({ zh: '删除第 {n} 行', en: 'Remove row {n}' }, { n: i + 1 })}>{t({ zh: '删除', en: 'Remove' })}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="btn btn-small" onClick={() => setUnitRows([...unitRows, { key: ++keySeq, unitId: '', periods: '08:00-18:00', everyDay: false }])}>
            {t({ zh: '添加单位', en: 'Add a unit' })}
          </button>
        </div>
        {error && !apiErr?.field && <FormError>{errorText(error)}</FormError>}
        {apiErr?.field && !/^(workPeriods|weekendDays|dayCounting|unitWorkPeriods)/.test(apiErr.field) && <FormError>{apiErr.message}</FormError>}
        {saved && <div className="notice notice-ok" role="status">{t({ zh: '已保存，新的计时立即生效。', en: 'Saved; new clocks use it now.' })}</div>}
        <div className="save-bar">
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t({ zh: '正在保存…', en: 'Saving…' }) : t({ zh: '保存工作时间', en: 'Save work time' })}</button>
        </div>
      </form>
    </section>
  );
}
