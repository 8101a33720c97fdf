/**
 * The city's summons settings (PUT /api/v1/summons/settings, rule.manage): minutes to report per kind of whistle and
 * the on-site check-in radius. New summonses use them at once; open ones keep their deadline.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.ts';
import { FormError, TextField } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { KIND } from './model.ts';

const KINDS = ['routine', 'tackling', 'emergency'] as const;

export function SummonsSettingsCard() {
  const { t } = useI18n();
  const errText = useErrorText();
  const q = useQuery((signal) => api.GET('/api/v1/summons/settings', { signal }), []);
  const [form, setForm] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  useEffect(() => {
    if (!q.data) return;
    setForm({ ...Object.fromEntries(KINDS.map((k) => [k, String(q.data!.reportLimitMinutes[k])])), radius: String(q.data.checkInRadiusMeters) });
  }, [q.data]);
  if (q.error && !q.data) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading inline />;
  const field = (f: string) => (isApiError(error) && error.field === f ? error.message : undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setSaved(false); setError(undefined);
    try {
      await api.PUT('/api/v1/summons/settings', {
        body: {
          reportLimitMinutes: { routine: Number(form.routine), tackling: Number(form.tackling), emergency: Number(form.emergency) },
          checkInRadiusMeters: Number(form.radius),
        },
      });
      setSaved(true);
      q.reload();
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  return (
    <form className="card summons-settings" onSubmit={submit} aria-label={t({ zh: '吹哨报到设置', en: 'Summons settings' })}>
      {q.data.problems?.map((p) => (
        <p key={p.setting} className="form-error" role="alert">{t({ zh: '已保存的设置无法使用，正在使用默认值：{m}', en: 'The stored setting cannot be used; the defaults apply: {m}' }, { m: p.message })}</p>
      ))}
      <div className="summons-row">
        {KINDS.map((k) => (
          <TextField key={k} type="number" min={1} max={10080} required label={t({ zh: '{k}报到时限（分钟）', en: '{k}: minutes to report' }, { k: t(KIND[k]) })}
            value={form[k] ?? ''} onChange={(e) => setForm((x) => ({ ...x, [k]: e.target.value }))} error={field(`reportLimitMinutes.${k}`)} />
        ))}
        <TextField type="number" min={10} max={20000} required label={t({ zh: '现场签到半径（米）', en: 'On-site check-in radius (m)' })}
          value={form.radius ?? ''} onChange={(e) => setForm((x) => ({ ...x, radius: e.target.value }))} error={field('checkInRadiusMeters')} />
      </div>
      <p className="muted small">{t({ zh: '北京试点：部门 30 分钟内报到。新吹哨立即按新设置计时，进行中的吹哨保持原时限。', en: 'Beijing\'s pilot: departments report within 30 minutes. New summonses use the new settings; open ones keep their deadline.' })}</p>
      <div className="summons-buttons">
        <button type="submit" className="btn btn-primary" disabled={busy}>{t({ zh: '保存', en: 'Save' })}</button>
        {saved && <span role="status">{t({ zh: '已保存', en: 'Saved' })}</span>}
      </div>
      <FormError>{error && !(isApiError(error) && error.field && field(error.field)) ? errText(error) : undefined}</FormError>
    </form>
  );
}
