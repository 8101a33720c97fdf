/**
 * The 12345 feedback limits (接诉即办, PUT /api/v1/hotline/feedback-limits): the limit of each class, which class an
 * urgency puts a call in, and the words and matter classes that mark a utility outage. New calls use them at once.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError, type BodyOf, type ResponseOf } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { FormError, TextField } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { fieldError, LIMIT_UNIT_LABELS, LIMIT_UNITS, URGENCIES, URGENCY_LABELS, useLabel } from './shared.tsx';

type Policy = ResponseOf<'/api/v1/hotline/feedback-limits', 'get'>;
type Body = BodyOf<'/api/v1/hotline/feedback-limits', 'put'>;
type LimitBody = NonNullable<NonNullable<Body['limits']>['threat']>;
type ClassName = 'threat' | 'utility' | 'general' | 'complex';
const CLASSES: readonly ClassName[] = ['threat', 'utility', 'general', 'complex'];

const words = (text: string) => text.split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean);

export function HotlineLimitsCard() {
  const q = useQuery((signal) => api.GET('/api/v1/hotline/feedback-limits', { signal }), []);
  if (q.error) return <section className="card admin-wide"><ErrorState error={q.error} onRetry={q.reload} /></section>;
  if (!q.data) return <section className="card admin-wide"><Loading /></section>;
  return <LimitsForm policy={q.data} onSaved={q.reload} />;
}

function LimitsForm({ policy, onSaved }: { policy: Policy; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const label = useLabel();
  const errorText = useErrorText();
  const init = (p: Policy) => ({
    limits: Object.fromEntries(CLASSES.map((c) => [c, { amount: String(p.limits[c]?.amount ?? ''), unit: String(p.limits[c]?.unit ?? 'natural_hours') }])) as Record<ClassName, { amount: string; unit: string }>,
    urgency: { normal: p.urgencyClasses.normal ?? '', urgent: p.urgencyClasses.urgent ?? '', very_urgent: p.urgencyClasses.very_urgent ?? '' } as Record<string, string>,
    utilityWords: p.utilityWords.join('、'),
    utilityClasses: p.utilityMatterClasses.join(', '),
  });
  const [form, setForm] = useState(() => init(policy));
  useEffect(() => setForm(init(policy)), [policy]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [saved, setSaved] = useState(false);
  const apiErr = isApiError(error) ? error : undefined;
  const classLabel = (c: ClassName) => (locale === 'en' ? policy.limits[c]?.label.en : policy.limits[c]?.label.zh) ?? c;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(undefined); setSaved(false);
    try {
      const limits = Object.fromEntries(CLASSES.map((c) => [c, { amount: Number(form.limits[c].amount), unit: form.limits[c].unit as LimitBody['unit'] }]));
      const urgencyClasses = Object.fromEntries(URGENCIES.map((u) => [u, (form.urgency[u] || null) as ClassName | null]));
      await api.PUT('/api/v1/hotline/feedback-limits', {
        body: { limits, urgencyClasses, utilityWords: words(form.utilityWords), utilityMatterClasses: words(form.utilityClasses) } as Body,
      });
      setSaved(true);
      onSaved();
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };

  return (
    <section className="card admin-wide" aria-labelledby="hotline-limits-h" data-testid="hotline-limits">
      <h2 id="hotline-limits-h">{t({ zh: '12345 答复时限（接诉即办）', en: '12345 feedback limits' })}</h2>
      <p className="muted">{t({
        zh: '来电人须在时限内得到实质答复；到 80% 黄灯预警，到期红灯超时，直到回访或结案。默认值为北京接诉即办：2 小时 / 24 小时 / 7 天 / 15 天。',
        en: 'The caller must have a substantive answer within the limit: yellow at 80 %, red when due, until the callback or closure. Defaults: Beijing, 2 h / 24 h / 7 d / 15 d.',
      })}</p>
      {(policy.problems ?? []).length > 0 && (
        <div className="notice notice-error" role="alert">{(policy.problems ?? []).map((p) => p.message).join('；')}</div>
      )}
      <form onSubmit={submit}>
        <div className="table-wrap table-edit">
          <table className="table">
            <thead><tr><th>{t({ zh: '类别', en: 'Class' })}</th><th>{t({ zh: '时长', en: 'Amount' })}</th><th>{t({ zh: '单位', en: 'Unit' })}</th></tr></thead>
            <tbody>
              {CLASSES.map((c) => (
                <tr key={c} className={fieldError(apiErr, `limits.${c}`) ? 'row-error' : undefined}>
                  <td>{classLabel(c)}</td>
                  <td>
                    <input type="number" min={0} step="any" className="input-narrow" aria-label={t({ zh: '{c}的时长', en: 'Amount for {c}' }, { c: classLabel(c) })}
                      value={form.limits[c].amount} onChange={(e) => setForm({ ...form, limits: { ...form.limits, [c]: { ...form.limits[c], amount: e.currentTarget.value } } })} />
                    {fieldError(apiErr, `limits.${c}`) && <div className="field-error" role="alert">{apiErr!.message}</div>}
                  </td>
                  <td>
                    <select aria-label={t({ zh: '{c}的单位', en: 'Unit for {c}' }, { c: classLabel(c) })} value={form.limits[c].unit}
                      onChange={(e) => setForm({ ...form, limits: { ...form.limits, [c]: { ...form.limits[c], unit: e.currentTarget.value } } })}>
                      {LIMIT_UNITS.map((u) => <option key={u} value={u}>{label(LIMIT_UNIT_LABELS, u)}</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3>{t({ zh: '紧急程度对应的类别', en: 'Class by urgency' })}</h3>
        <div className="form-cols">
          {URGENCIES.map((u) => (
            <div className="field" key={u}>
              <label htmlFor={`fb-urg-${u}`}>{label(URGENCY_LABELS, u)}</label>
              <select id={`fb-urg-${u}`} value={form.urgency[u]} onChange={(e) => setForm({ ...form, urgency: { ...form.urgency, [u]: e.currentTarget.value } })}>
                <option value="">{t({ zh: '按事项和来电内容判断', en: 'By the matter and the words' })}</option>
                {CLASSES.map((c) => <option key={c} value={c}>{classLabel(c)}</option>)}
              </select>
            </div>
          ))}
        </div>
        <div className="form-cols">
          <TextField label={t({ zh: '表示水电气热故障的词', en: 'Words marking a utility outage' })} value={form.utilityWords}
            onChange={(e) => setForm({ ...form, utilityWords: e.currentTarget.value })} error={fieldError(apiErr, 'utilityWords')} />
          <TextField label={t({ zh: '水电气热事项（编码前两位）', en: 'Utility matter classes (2 digits)' })} value={form.utilityClasses}
            onChange={(e) => setForm({ ...form, utilityClasses: e.currentTarget.value })} error={fieldError(apiErr, 'utilityMatterClasses')} />
        </div>
        {error && !fieldError(apiErr, 'limits', 'utilityWords', 'utilityMatterClasses') && <FormError>{apiErr?.message ?? errorText(error)}</FormError>}
        {saved && <div className="notice notice-ok" role="status">{t({ zh: '已保存，新来电立即按此计时。', en: 'Saved; new calls use it now.' })}</div>}
        <div className="save-bar">
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t({ zh: '正在保存…', en: 'Saving…' }) : t({ zh: '保存答复时限', en: 'Save feedback limits' })}</button>
        </div>
      </form>
    </section>
  );
}
