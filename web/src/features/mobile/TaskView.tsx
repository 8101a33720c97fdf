/**
 * One task on the phone: the case, where it is, its photos, and the on-site actions the API allows for it
 * (allowedActions): verify (属实 / 不属实), check pass / check fail, and for a grid member given the case to handle:
 * sign (签收) and dispose (处置完成, with the result and at least one photo). Bodies: src/http/routes/cases/case.schema.ts.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { api, isApiError, useQuery, type ApiError } from '../../app/api.ts';
import { formatDateTime, formatDuration, useI18n } from '../../app/i18n.ts';
import { Link, navigate } from '../../app/router.tsx';
import { MapView, type MapLayer } from '../../components/MapView.tsx';
import { TextArea, FormError } from '../../components/Form.tsx';
import { ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { distanceM, formatDistance, useGeolocation } from './geo.ts';
import { TASK_TOPICS, placeOf } from './types.ts';
import { useAuth } from '../../app/auth.tsx';
import { useLiveEvents } from '../../app/sse.ts';
import { setFlash } from './flash.ts';
import { PhotoStrip } from '../../components/PhotoViewer.tsx';
import { actionMsg, urgencyMsg } from '../cases/model.ts';
import { FileInput } from '../../components/FileInput.tsx';

type Choice = 'confirmed' | 'false' | 'check_pass' | 'check_fail' | 'sign' | 'dispose';

export function TaskView({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const geo = useGeolocation();
  const c = useQuery((signal) => api.GET('/api/v1/cases/{id}', { params: { path: { id } }, signal }), [id]);
  const h = useQuery((signal) => api.GET('/api/v1/cases/{id}/history', { params: { path: { id } }, signal }), [id]);
  // Another person's change to this case (the stream carries only cases this user may see) shows at once.
  const { can } = useAuth();
  useLiveEvents((e) => { if (String(e.data.caseId) === id) { c.reload(); h.reload(); } }, TASK_TOPICS, can('events.read'));
  const [choice, setChoice] = useState<Choice | undefined>();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<ApiError | undefined>();
  const [files, setFiles] = useState<File[]>([]);

  const cs = c.data;
  const layers = useMemo<MapLayer[]>(() => {
    const out: MapLayer[] = [];
    if (cs?.location) out.push({ id: 'task-point', type: 'circle', data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [cs.location.lon, cs.location.lat] } }] }, paint: { 'circle-color': '#d32f2f', 'circle-radius': 9, 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 } });
    if (geo.fix) out.push({ id: 'me', type: 'circle', data: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [geo.fix.lon, geo.fix.lat] } }] }, paint: { 'circle-color': '#1e88e5', 'circle-radius': 7, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
    return out;
  }, [cs?.location, geo.fix]);

  if (!cs && c.loading) return <Loading />;
  if (!cs) return <ErrorState error={c.error} onRetry={c.reload} />;

  const allowed = new Set(cs.allowedActions);
  const choices: { id: Choice; label: string; tone: string }[] = [];
  if (allowed.has('verify')) {
    choices.push({ id: 'confirmed', label: t({ zh: '属实', en: 'Confirmed' }), tone: 'ok' });
    choices.push({ id: 'false', label: t({ zh: '不属实', en: 'Not found' }), tone: 'bad' });
  }
  if (allowed.has('check_pass')) choices.push({ id: 'check_pass', label: t({ zh: '核查通过', en: 'Check passed' }), tone: 'ok' });
  if (allowed.has('check_fail')) choices.push({ id: 'check_fail', label: t({ zh: '核查不通过', en: 'Check failed' }), tone: 'bad' });
  if (allowed.has('sign')) choices.push({ id: 'sign', label: t({ zh: '签收', en: 'Sign for it' }), tone: 'ok' });
  if (allowed.has('dispose')) choices.push({ id: 'dispose', label: t({ zh: '处置完成', en: 'Done' }), tone: 'ok' });

  const textRequired = choice === 'false' || choice === 'check_fail' || choice === 'dispose';
  const textLabel = choice === 'check_fail' ? t({ zh: '不通过原因（需返工的问题）', en: 'What is still wrong' })
    : choice === 'false' ? t({ zh: '核实说明（不属实的原因）', en: 'Why it is not found' })
      : choice === 'dispose' ? t({ zh: '处置结果', en: 'What was done' })
        : t({ zh: '备注', en: 'Note' });
  const textField = choice === 'check_fail' ? 'reason' : choice === 'dispose' ? 'result' : 'note';
  // disposal needs a photo of the result (the API refuses it without one)
  const photosRequired = choice === 'dispose';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!choice) return;
    setBusy(true);
    setErr(undefined);
    const note = text.trim();
    try {
      // on-site photos are uploaded first, then sent with the result as evidence
      const ids: string[] = [];
      for (const f of files) {
        const fd = new FormData();
        fd.append('file', f, f.name);
        ids.push((await api.upload('/api/v1/attachments', fd)).id);
      }
      const photos = ids.length ? { photos: ids } : {};
      const path = { id: String(cs.id) };
      if (choice === 'confirmed' || choice === 'false') {
        await api.POST('/api/v1/cases/{id}/verify', { params: { path }, body: { outcome: choice, ...(note ? { note } : {}), ...photos, version: cs.version } });
      } else if (choice === 'check_pass') {
        await api.POST('/api/v1/cases/{id}/check-pass', { params: { path }, body: { ...(note ? { note } : {}), ...photos, version: cs.version } });
      } else if (choice === 'sign') {
        await api.POST('/api/v1/cases/{id}/sign', { params: { path }, body: { ...(note ? { note } : {}), version: cs.version } });
      } else if (choice === 'dispose') {
        await api.POST('/api/v1/cases/{id}/dispose', { params: { path }, body: { result: note, photos: ids, version: cs.version } });
      } else {
        await api.POST('/api/v1/cases/{id}/check-fail', { params: { path }, body: { reason: note, ...photos, version: cs.version } });
      }
      const done = choices.find((x) => x.id === choice)?.label ?? '';
      setFlash(t({ zh: '已提交：{no} {what}', en: 'Done: {no} {what}' }, { no: cs.caseNo, what: done }));
      navigate('/m');
    } catch (x) {
      setErr(isApiError(x) ? x : undefined);
      if (isApiError(x) && (x.status === 409 || x.code === 'VERSION_CONFLICT')) c.reload();
    } finally { setBusy(false); }
  };

  const due = cs.deadlines.stageDueAt ?? cs.deadlines.dueAt;
  const left = due ? Date.parse(due) - Date.now() : undefined;
  const items = h.data?.items ?? [];
  // what the centre said when it sent this task (the latest dispatch, verification request or check request)
  const sentBy = [...items].reverse().find((x) => ['dispatch', 'rule_dispute', 'request_verify', 'send_check', 'second_dispatch'].includes(x.action));
  const sentNote = sentBy && typeof sentBy.details.note === 'string' ? sentBy.details.note : undefined;
  // the unit's written result (the latest disposal), shown beside its photos on the check screen
  const disposal = [...items].reverse().find((x) => x.action === 'dispose');
  const result = disposal && typeof disposal.details.result === 'string' ? disposal.details.result : undefined;
  const groups = items.filter((x) => x.attachmentIds.length > 0);
  const reportPhotos = groups[0]?.attachmentIds;
  const dist = geo.fix && cs.location ? distanceM(geo.fix, cs.location) : undefined;
  const fieldErr = (name: string) => (err && err.field === name ? errorText(err) : undefined);

  return (
    <article className="m-taskview" aria-labelledby="m-task-title">
      <Link to="/m" className="m-back">← {t({ zh: '返回任务列表', en: 'Back to tasks' })}</Link>
      <header className="m-card">
        <div className="m-row">
          <span className={`m-kind m-kind-${cs.state.toLowerCase()}`}>{locale === 'en' ? cs.stateLabel.en : cs.stateLabel.zh}</span>
          <span className="muted">{cs.caseNo}</span>
        </div>
        <h2 id="m-task-title" className="m-task-title">{cs.matter.name}</h2>
        <p className="m-desc">{cs.description}</p>
        <dl className="m-facts">
          <dt>{t({ zh: '地点', en: 'Place' })}</dt><dd>{placeOf(cs)}{dist !== undefined && <> · <strong>{formatDistance(dist, locale)}</strong></>}</dd>
          <dt>{t({ zh: '紧急程度', en: 'Urgency' })}</dt><dd className={`urg-${cs.urgency}`} data-testid="m-urgency">{t(urgencyMsg(cs.urgency))}</dd>
          <dt>{t({ zh: '上报时间', en: 'Reported' })}</dt><dd>{formatDateTime(cs.createdAt, locale)}</dd>
          {sentNote && <><dt>{t({ zh: '中心说明', en: 'Centre\'s note' })}</dt><dd data-testid="m-sent-note">{sentNote}</dd></>}
          {left !== undefined && <><dt>{t({ zh: '剩余时间', en: 'Time left' })}</dt>
            <dd className={left < 0 ? 'm-overdue' : undefined}>{left < 0 ? t({ zh: '已超时 {d}', en: 'late by {d}' }, { d: formatDuration(-left, locale) }) : formatDuration(left, locale)}</dd></>}
        </dl>
      </header>

      {cs.location && (
        <MapView height={220} show={{ districts: false, streets: true, communities: false, grids: true }} layers={layers}
          onReady={(m) => m.jumpTo({ center: [cs.location!.lon, cs.location!.lat], zoom: 16 })}
          aria-label={t({ zh: '案件位置地图', en: 'Map of the case' })} />
      )}

      {(result || groups.length > 0) && (
        <section className="m-card m-photos" aria-label={t({ zh: '案件照片', en: 'Case photos' })}>
          {result && disposal && (
            <div className="m-result" data-testid="m-result">
              <strong>{t({ zh: '处置结果', en: 'What the unit did' })}</strong>
              <span className="muted small"> · {disposal.actor?.name ?? ''} {formatDateTime(disposal.at, locale)}</span>
              <p>{result}</p>
            </div>
          )}
          {groups.map((g) => (
            <div key={g.id} className="m-photo-group">
              <span className="muted small">{t(actionMsg(g.action))} · {formatDateTime(g.at, locale)}</span>
              <PhotoStrip photos={g.attachmentIds.map((id, i) => ({ id, label: `${t(actionMsg(g.action))} ${i + 1}` }))}
                compareWith={g.attachmentIds !== reportPhotos ? reportPhotos?.map((id, i) => ({ id, label: `${t({ zh: '上报照片', en: 'Report photo' })} ${i + 1}` })) : undefined}
                compareLabel={t({ zh: '处置前（上报照片）', en: 'Before (report photo)' })} />
            </div>
          ))}
        </section>
      )}

      {choices.length === 0 ? (
        <p className="m-card muted">{t({ zh: '此案件当前没有需要您现场处理的操作。', en: 'Nothing for you to do on site for this case now.' })}</p>
      ) : (
        <form className="m-card m-action" onSubmit={submit} aria-label={t({ zh: '现场处理', en: 'On-site result' })}>
          <fieldset className="m-choices">
            <legend>{allowed.has('verify') ? t({ zh: '核实结果', en: 'Verification' })
              : allowed.has('sign') || allowed.has('dispose') ? t({ zh: '处置', en: 'Handling' }) : t({ zh: '核查结果', en: 'Check result' })}</legend>
            {choices.map((x) => (
              <label key={x.id} className={`m-choice m-choice-${x.tone}${choice === x.id ? ' m-choice-on' : ''}`}>
                <input type="radio" name="choice" value={x.id} checked={choice === x.id} onChange={() => { setChoice(x.id); setErr(undefined); }} />
                {x.label}
              </label>
            ))}
          </fieldset>
          {choice && (
            <TextArea label={textLabel} required={textRequired} value={text} rows={3} maxLength={2000}
              onChange={(e) => setText(e.target.value)} error={fieldErr(textField)} name={textField} />
          )}
          {choice && choice !== 'sign' && (
            <div className="m-field">
              <label htmlFor="m-task-photos">{photosRequired ? t({ zh: '处置后照片（至少 1 张，最多 6 张）', en: 'Photos of the result (1 to 6)' }) : t({ zh: '现场照片（可选，最多 6 张）', en: 'On-site photos (optional, up to 6)' })}</label>
              <FileInput id="m-task-photos" accept="image/*" capture="environment" multiple name="photos" buttonText={t({ zh: '拍照或选择照片', en: 'Take or choose photos' })}
                onFiles={(f) => setFiles(f.slice(0, 6))} />
            </div>
          )}
          <FormError>{err && !(err.field === textField) ? `${errorText(err)} (${err.code}${err.field ? ` · ${err.field}` : ''})` : undefined}</FormError>
          <button type="submit" className="btn btn-primary m-btn-big" disabled={!choice || busy || (textRequired && !text.trim()) || (photosRequired && files.length === 0)}>
            {busy ? t({ zh: '提交中…', en: 'Sending…' }) : t({ zh: '提交', en: 'Submit' })}
          </button>
        </form>
      )}
    </article>
  );
}
