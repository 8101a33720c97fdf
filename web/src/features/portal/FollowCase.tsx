/** Follow a case by its number: the public stage and steps (no personal data); rate it once it is closed. */
import { useEffect, useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError } from '../../app/api.ts';
import { formatDateTime, useI18n } from '../../app/i18n.ts';
import { navigate } from '../../app/router.tsx';
import { FormError, TextArea, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { PhotoStrip } from '../../components/PhotoViewer.tsx';
import { codeFor, rememberedReports, type PublicCase, type Rating } from './store.ts';

const RATINGS = [
  { value: 'satisfied', zh: '满意', en: 'Satisfied' },
  { value: 'basically_satisfied', zh: '基本满意', en: 'Mostly satisfied' },
  { value: 'unsatisfied', zh: '不满意', en: 'Not satisfied' },
] as const satisfies readonly { value: Rating; zh: string; en: string }[];

export function FollowCase({ caseNo }: { caseNo: string }) {
  const { t } = useI18n();
  const [input, setInput] = useState(caseNo);
  useEffect(() => setInput(caseNo), [caseNo]);
  const mine = rememberedReports();
  const lookup = (e: FormEvent) => {
    e.preventDefault();
    const no = input.trim();
    if (no) navigate(`/portal?no=${encodeURIComponent(no)}`);
  };
  return (
    <div>
      <form className="portal-card portal-lookup" onSubmit={lookup} role="search">
        <TextField label={t({ zh: '案件编号', en: 'Case number' })} value={input} inputMode="numeric" autoComplete="off" maxLength={40}
          onChange={(e) => setInput(e.target.value)} placeholder={t({ zh: '提交后获得的编号', en: 'The number you were given' })} />
        <button type="submit" className="btn btn-primary" disabled={!input.trim()}>{t({ zh: '查询', en: 'Look up' })}</button>
      </form>
      {caseNo ? <CaseView caseNo={caseNo} /> : mine.length > 0 && (
        <div className="portal-card">
          <h2 className="portal-h2">{t({ zh: '本机提交过的反映', en: 'Reports sent from this device' })}</h2>
          <ul className="portal-mine">
            {mine.map((r) => (
              <li key={r.caseNo}><button type="button" className="btn-link" onClick={() => navigate(`/portal?no=${encodeURIComponent(r.caseNo)}`)}>{r.caseNo}</button>
                <span className="muted small"> · {formatDateTime(r.at)}</span></li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function CaseView({ caseNo }: { caseNo: string }) {
  const { t, locale } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/public/cases/{caseNo}', { params: { path: { caseNo } }, signal }), [caseNo]);
  const [rated, setRated] = useState<PublicCase | undefined>();
  useEffect(() => setRated(undefined), [caseNo]);
  if (q.error) {
    return q.error.status === 404
      ? <div className="portal-card"><EmptyState title={t({ zh: '未找到该编号的案件', en: 'No case with this number' })}>{t({ zh: '请核对编号后重试。', en: 'Check the number and try again.' })}</EmptyState></div>
      : <div className="portal-card"><ErrorState error={q.error} onRetry={q.reload} /></div>;
  }
  if (!q.data) return <div className="portal-card"><Loading /></div>;
  const c = rated ?? q.data;
  const label = (l: { zh: string; en: string }) => (locale === 'en' ? l.en : l.zh);
  return (
    <article className="portal-card portal-case" aria-labelledby="case-title" data-testid="portal-case">
      <header className="portal-case-head">
        <h2 id="case-title" className="portal-h2">{t({ zh: '案件 {no}', en: 'Case {no}' }, { no: c.caseNo })}</h2>
        <span className={`badge ${c.status === 'closed' ? 'badge-closed' : 'badge-open'}`} data-testid="case-status">
          {c.status === 'closed' ? t({ zh: '已办结', en: 'Closed' }) : t({ zh: '办理中', en: 'Open' })}
        </span>
      </header>
      <p className="portal-stage" data-testid="case-stage">{label(c.stageLabel)}</p>
      <dl className="portal-facts">
        <dt>{t({ zh: '问题类型', en: 'Problem' })}</dt><dd>{c.matter.name}</dd>
        <dt>{t({ zh: '所在街镇', en: 'Street or town' })}</dt><dd>{[c.district, c.street].filter(Boolean).join(' ') || '—'}</dd>
        <dt>{t({ zh: '提交时间', en: 'Reported' })}</dt><dd>{formatDateTime(c.createdAt, locale)}</dd>
        <dt>{t({ zh: '最近更新', en: 'Updated' })}</dt><dd>{formatDateTime(c.updatedAt, locale)}</dd>
      </dl>
      {c.mergedWithOthers && <p className="muted small">{t({ zh: '此问题已有其他市民反映，我们将合并处理，进度同步显示。', en: 'Others reported this too; it is handled together.' })}</p>}
      <h3 className="portal-h3">{t({ zh: '办理进度', en: 'Progress' })}</h3>
      <ol className="portal-timeline">
        {c.steps.map((s, i) => (
          <li key={i} className={i === c.steps.length - 1 ? 'current' : ''}>
            <span className="portal-timeline-label">{label(s.label)}</span>
            <time className="muted small" dateTime={s.at}>{formatDateTime(s.at, locale)}</time>
          </li>
        ))}
      </ol>
      {c.result && (
        <section className="portal-result" aria-labelledby="result-title" data-testid="case-result">
          <h3 id="result-title" className="portal-h3">{t({ zh: '处理结果', en: 'What was done' })}</h3>
          {c.result.text && <p data-testid="case-result-text">{c.result.text}</p>}
          <p className="muted small">{t({ zh: '处理时间：', en: 'Handled: ' })}{formatDateTime(c.result.at, locale)}</p>
          <PhotoStrip photos={c.result.photos.map((p, i) => ({ id: p.id, url: p.url, label: t({ zh: '处理后照片 {n}', en: 'Photo after handling {n}' }, { n: i + 1 }) }))} />
        </section>
      )}
      {c.rating ? (
        <p className="portal-rated" data-testid="case-rating">
          {t({ zh: '您的评价：', en: 'Your rating: ' })}<strong>{label(RATINGS.find((r) => r.value === c.rating!.value) ?? { zh: c.rating.value, en: c.rating.value })}</strong>
          <span className="muted small"> · {formatDateTime(c.rating.at, locale)}</span>
        </p>
      ) : c.ratable ? <RatingForm caseNo={c.caseNo} onRated={setRated} />
        : c.status === 'open' ? <p className="muted small">{t({ zh: '办结后可以对处理结果进行评价。', en: 'You can rate the result once the case is closed.' })}</p> : null}
    </article>
  );
}

function RatingForm({ caseNo, onRated }: { caseNo: string; onRated: (c: PublicCase) => void }) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const [rating, setRating] = useState<Rating | ''>('');
  const [comment, setComment] = useState('');
  const [code, setCode] = useState(() => codeFor(caseNo) ?? '');
  const [error, setError] = useState<ApiError | undefined>();
  const [ratingError, setRatingError] = useState('');
  const [saving, setSaving] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (saving) return;
    if (!rating) { setRatingError(t({ zh: '请选择满意程度', en: 'Choose a rating' })); return; }
    setSaving(true);
    setError(undefined);
    try {
      onRated(await api.POST('/api/v1/public/cases/{caseNo}/rating', { params: { path: { caseNo } }, body: { code: code.trim(), rating, ...(comment.trim() ? { comment: comment.trim() } : {}) } }));
    } catch (err) {
      setError(isApiError(err) ? err : undefined);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="portal-rating" onSubmit={submit} noValidate aria-label={t({ zh: '评价处理结果', en: 'Rate the result' })}>
      <h3 className="portal-h3">{t({ zh: '评价处理结果', en: 'Rate the result' })}</h3>
      <fieldset className="rating-options" aria-describedby={ratingError ? 'rating-error' : undefined}>
        <legend className="sr-only">{t({ zh: '满意程度', en: 'Rating' })}</legend>
        {RATINGS.map((r) => (
          <label key={r.value} className={rating === r.value ? 'on' : ''}>
            <input type="radio" name="rating" value={r.value} checked={rating === r.value} onChange={() => { setRating(r.value); setRatingError(''); }} />
            {locale === 'en' ? r.en : r.zh}
          </label>
        ))}
      </fieldset>
      {ratingError && <div id="rating-error" className="field-error" role="alert">{ratingError}</div>}
      <TextArea label={t({ zh: '意见建议（可选）', en: 'Comment (optional)' })} value={comment} maxLength={500} rows={2} onChange={(e) => setComment(e.target.value)} />
      <TextField label={t({ zh: '查询码', en: 'Tracking code' })} required value={code} maxLength={40} autoComplete="off" onChange={(e) => setCode(e.target.value)}
        hint={t({ zh: '提交反映时获得的查询码，如 ABCDE-FGHJK', en: 'The code you got when reporting, e.g. ABCDE-FGHJK' })}
        error={error?.field === 'code' ? t({ zh: '查询码不正确', en: 'Wrong tracking code' }) : undefined} />
      <FormError>{error && error.field !== 'code' ? errorText(error) : undefined}</FormError>
      <button type="submit" className="btn btn-primary btn-block" disabled={saving || !code.trim()}>{saving ? t({ zh: '正在提交…', en: 'Sending…' }) : t({ zh: '提交评价', en: 'Send rating' })}</button>
    </form>
  );
}
