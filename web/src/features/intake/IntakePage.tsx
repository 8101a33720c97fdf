/**
 * /intake — the operator's and hotline seat's report form (受理): who called, what kind of request, what happened
 * (with matter suggestions from the words), where (address or map, located on the grid), then — before saving —
 * possible duplicates nearby and the routing answer ("this goes to 某街道办, by rule R v3"). A 12345 call ends in
 * one recorded outcome (POST /hotline/work-orders): answered from the knowledge base, refused with a referral, a
 * new case, or a 催办 on the caller's open case. Other channels create a case (POST /cases). Both send an
 * Idempotency-Key kept for the form, so a double click or a retry never makes two.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, isApiError, newIdempotencyKey, useQuery, type ApiError, type QueryState } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n, type Msg } from '../../app/i18n.ts';
import { useMessage } from '../../app/messages.ts';
import { StandardReplies } from './StandardReplies.tsx';
import { Link } from '../../app/router.tsx';
import { Page } from '../../components/Page.tsx';
import { FormError, Select, TextArea, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import {
  REFERRALS, REFERRAL_ZH, REQUEST_KINDS, REQUEST_KIND_ZH, isValidCallerPhone, type Referral, type RequestKind,
} from '../../../../src/domain/hotline/hotline.ts';
import { VERIFY_CHANNELS } from '../../../../src/domain/case/channels.ts';
import { MyCalls } from './MyCalls.tsx';
import { needsVerification } from '../../../../src/domain/case/verification-policy.ts';
import { isOpen, isState, stateLabel } from '../../../../src/domain/case/states.ts';
import { MatterSearch, Suggestions, useSuggestions } from './MatterPicker.tsx';
import { LocationPicker, placeText, useLocated, type Point } from './LocationPicker.tsx';
import {
  limitText, useDebounced, type CaseSummary, type DupPreview, type Emergency, type Explain, type KbArticle, type Matter, type NewCase, type WorkOrder,
  type WorkOrderResult,
} from './types.ts';
import './intake.css';

type Channel = NewCase['channel'];
type Urgency = NonNullable<NewCase['urgency']>;

const CHANNELS: { value: Channel; label: Msg }[] = [
  { value: 'hotline', label: { zh: '12345 热线', en: '12345 hotline' } },
  { value: 'media', label: { zh: '媒体曝光', en: 'Media' } },
  { value: 'petition', label: { zh: '信访转办', en: 'Petition' } },
  { value: 'department', label: { zh: '部门移交', en: 'Department' } },
  { value: 'superior', label: { zh: '上级交办', en: 'Superior' } },
  { value: 'other', label: { zh: '其他渠道', en: 'Other' } },
];
const KIND_EN: Record<RequestKind, string> = { consult: 'Consultation', help: 'Help', complaint: 'Complaint', report: 'Report', suggestion: 'Suggestion' };
const URGENCIES: { value: Urgency; label: Msg }[] = [
  { value: 'normal', label: { zh: '一般', en: 'Normal' } },
  { value: 'urgent', label: { zh: '紧急', en: 'Urgent' } },
  { value: 'very_urgent', label: { zh: '非常紧急（危及生命财产）', en: 'Very urgent (threat to life or property)' } },
];
const REFERRAL_EN: Record<Referral, string> = {
  110: 'Police 110', 119: 'Fire 119', 120: 'Ambulance 120', 122: 'Traffic accidents 122', gas: 'Gas emergency line',
  power: 'Power emergency line', petition: 'Petition channel',
  litigation: 'Courts', arbitration: 'Arbitration', other: 'Other authority',
};

type Mode = 'file' | 'answer' | 'refuse';
type Outcome = { kind: 'hotline'; r: WorkOrderResult } | { kind: 'case'; c: CaseSummary; replayed: boolean };

/** Server field names → the form's fields. */
const FIELD_OF: Record<string, string> = {
  'caller.phone': 'phone', 'reporter.phone': 'phone', 'caller.name': 'name', 'reporter.name': 'name', description: 'description',
  matterCode: 'matter', location: 'location', 'location.lon': 'location', 'location.lat': 'location', address: 'location',
  urgency: 'urgency', 'refuse.reason': 'reason', refuse: 'reason', 'answer.articleId': 'article', answer: 'article', caseNo: 'caseNo', kind: 'kind',
};

/** A fresh form (and a fresh Idempotency-Key, suggestions, checks) for each report. */
export default function IntakePage() {
  const [n, setN] = useState(0);
  return <IntakeForm key={n} onNext={() => setN((x) => x + 1)} />;
}

function IntakeForm({ onNext }: { onNext: () => void }) {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const errorText = useErrorText();
  const [channel, setChannel] = useState<Channel>('hotline');
  const [name, setName] = useState('');
  // A seat system's caller-ID pop-up opens /intake?phone=…: the number is filled in and the caller's history shown.
  const [phone, setPhone] = useState(() => new URLSearchParams(window.location.search).get('phone')?.trim().slice(0, 30) ?? '');
  const [kind, setKind] = useState<RequestKind>('complaint');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  /** The seat chose the urgency by hand: emergency words no longer raise it. */
  const [urgencyTouched, setUrgencyTouched] = useState(false);
  /** The seat confirmed that words that sound like a threat to life are not an emergency. */
  const [notEmergency, setNotEmergency] = useState(false);
  const [description, setDescription] = useState('');
  const [matter, setMatter] = useState<Matter | undefined>();
  const [address, setAddress] = useState('');
  const [point, setPoint] = useState<Point | undefined>();
  const [caseNo, setCaseNo] = useState('');
  const [mode, setMode] = useState<Mode>('file');
  const [article, setArticle] = useState<KbArticle | undefined>();
  const [kbQuery, setKbQuery] = useState('');
  const [reason, setReason] = useState('');
  const [referral, setReferral] = useState<Referral>('110');
  const [idemKey] = useState(newIdempotencyKey);
  const [saving, setSaving] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<ApiError | undefined>();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  // the seat's own log reloads after each call it records
  const callsTick = useMemo(() => (outcome ? Date.now() : 0), [outcome]);

  const hotline = channel === 'hotline';
  const consult = hotline && kind === 'consult';
  const effectiveMode: Mode = !hotline ? 'file' : mode === 'answer' && !consult ? 'file' : mode;
  const debounced = useDebounced(description, 350);
  const suggestions = useSuggestions(debounced);
  const emergency = suggestions.data?.emergency;
  const lifeThreat = hotline && emergency?.level === 'life';
  // Emergency words raise the urgency (非常紧急 for a threat to life, 紧急 for a danger that cannot wait), unless the
  // seat has chosen it by hand.
  const raised: Urgency | undefined = !emergency?.level ? undefined : emergency.level === 'life' ? 'very_urgent' : 'urgent';
  const rank = (u: Urgency) => (u === 'very_urgent' ? 2 : u === 'urgent' ? 1 : 0);
  useEffect(() => {
    if (raised && !urgencyTouched && !outcome && rank(raised) > rank(urgency)) setUrgency(raised);
  }, [raised, urgencyTouched, outcome, urgency]);
  /** Refer the caller (119 …): the call is recorded as referred, one keystroke (Alt+R) from the description. */
  const refer = (code: string) => {
    if (!(REFERRALS as readonly string[]).includes(code)) return;
    setMode('refuse');
    setReferral(code as Referral);
    if (!reason.trim()) setReason(t({ zh: '紧急险情，已转 {r} 处置', en: 'Emergency: handed to {r}' }, { r: locale === 'en' ? REFERRAL_EN[code as Referral] : REFERRAL_ZH[code as Referral] }));
  };
  const located = useLocated(point);
  const phoneKey = useDebounced(phone.trim(), 400);
  const history = useQuery<CallerHistoryData | undefined>(
    (signal) => (hotline && can('personal_data.read') && isValidCallerPhone(phoneKey)
      ? Promise.all([
        api.GET('/api/v1/hotline/calls', { params: { query: { phone: phoneKey, limit: 5 } }, signal }),
        api.GET('/api/v1/cases', { params: { query: { reporterPhone: phoneKey, limit: 5 } }, signal }),
      ]).then(([calls, cases]) => ({ calls: calls.items, cases: cases.items }))
      : Promise.resolve(undefined)),
    [hotline, phoneKey],
  );
  /** A repeat call about an open case: 催办 on it (the work order names the case). */
  const urge = (caseNo: string) => { setMode('file'); setCaseNo(caseNo); setFieldErrors((x) => ({ ...x, caseNo: '' })); changed(); };
  const inside = located.data?.outcome === 'inside';
  const ready = matter && point && inside;

  const routing = useQuery<Explain | undefined>(
    (signal) => (ready ? api.GET('/api/v1/routing/explain', { params: { query: { matterCode: matter!.code, lon: point!.lon, lat: point!.lat, urgency } }, signal }) : Promise.resolve(undefined)),
    [ready, matter?.code, point?.lon, point?.lat, urgency],
  );
  const dups = useQuery<DupPreview | undefined>(
    (signal) => (ready ? api.GET('/api/v1/duplicates/preview', { params: { query: { matterCode: matter!.code, lon: point!.lon, lat: point!.lat } }, signal }) : Promise.resolve(undefined)),
    [ready, matter?.code, point?.lon, point?.lat],
  );
  const kbText = useDebounced(kbQuery || description, 350).trim().slice(0, 200);
  const kb = useQuery<{ items: KbArticle[] }>(
    // Offered for every request type (a complaint's caller also wants the standard answer), not only consultations.
    (signal) => (hotline && kbText ? api.GET('/api/v1/kb', { params: { query: { q: kbText, limit: 5 } }, signal }) : Promise.resolve({ items: [] })),
    [hotline, kbText],
  );

  const changed = () => { if (outcome) return; setFormError(undefined); };
  const pickMatter = (m: Matter) => { setMatter(m); setFieldErrors((e) => ({ ...e, matter: '' })); changed(); };
  const onDescriptionKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.altKey && (e.key === 'r' || e.key === 'R') && emergency?.referrals.length) {
      e.preventDefault();
      refer(emergency.referrals[0].code);
      return;
    }
    if (e.altKey && /^[1-5]$/.test(e.key)) {
      const s = suggestions.data?.items[Number(e.key) - 1];
      if (s) { e.preventDefault(); pickMatter(s); }
    }
  };

  const reset = onNext;

  /** Client-side checks (the server checks again and names the field). */
  const check = (): Record<string, string> => {
    const e: Record<string, string> = {};
    const p = phone.trim();
    if (hotline && !p) e.phone = t({ zh: '请填写来电号码', en: 'Enter the caller\'s phone' });
    else if (p && !isValidCallerPhone(p)) e.phone = t({ zh: '号码格式不正确（手机 11 位，或带区号的固话）', en: 'Not a valid phone (11-digit mobile or landline with area code)' });
    if (!description.trim()) e.description = t({ zh: '请填写诉求内容', en: 'Enter the description' });
    if (lifeThreat && effectiveMode === 'file' && urgency !== 'very_urgent' && !notEmergency) {
      e.urgency = t({ zh: '诉求内容疑似危及生命安全：请改为“非常紧急”，或勾选确认不是紧急险情', en: 'The words sound like a threat to life: choose "very urgent", or confirm it is not an emergency' });
    }
    if (effectiveMode === 'answer' && !article) e.article = t({ zh: '请选择用于答复的知识库条目', en: 'Choose the article you answered from' });
    if (effectiveMode === 'refuse' && !reason.trim()) e.reason = t({ zh: '请填写不予受理的原因', en: 'Enter why it is refused' });
    if (effectiveMode === 'file' && !caseNo.trim()) {
      if (!matter) e.matter = t({ zh: '请选择事项类型', en: 'Choose the matter' });
      if (!point) e.location = t({ zh: '请定位地址或在地图上点选位置', en: 'Locate the address or click the map' });
      else if (located.data && !inside) e.location = t({ zh: '该点不在任何网格内', en: 'The point is outside every grid' });
    }
    return e;
  };

  // A message goes when its cause does: after a refused save, the client-side checks run again on every change, so
  // "请选择事项类型" disappears however the matter was chosen (suggestion, search, caller history), and a field the
  // server named keeps its message only until that field changes.
  const [checked, setChecked] = useState(false);
  const inputs = [matter?.code, point?.lon, point?.lat, description, phone, urgency, notEmergency, effectiveMode, caseNo, reason, article?.id, located.data, inside];
  const inputsKey = JSON.stringify(inputs);
  const lastInputs = useRef(inputsKey);
  useEffect(() => {
    if (!checked || lastInputs.current === inputsKey) return;
    lastInputs.current = inputsKey;
    setFieldErrors(check());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [checked, inputsKey]);

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (saving || outcome) return;
    const errs = check();
    setChecked(true);
    lastInputs.current = inputsKey;
    setFieldErrors(errs);
    setFormError(undefined);
    if (Object.keys(errs).length) return;
    setSaving(true);
    const location = point ? { lon: point.lon, lat: point.lat } : undefined;
    const addr = (point?.source === 'address' ? point.label ?? address : address).trim() || undefined;
    try {
      if (hotline) {
        const base = {
          caller: { ...(name.trim() ? { name: name.trim() } : {}), phone: phone.trim() }, kind, urgency, description: description.trim(),
          ...(matter ? { matterCode: matter.code } : {}), ...(notEmergency ? { emergencyConfirmed: true } : {}),
        };
        const body: WorkOrder = effectiveMode === 'answer' ? { ...base, answer: { articleId: article!.id } }
          : effectiveMode === 'refuse' ? { ...base, refuse: { reason: reason.trim(), referral } }
            : { ...base, ...(location ? { location } : {}), ...(addr ? { address: addr } : {}), ...(caseNo.trim() ? { caseNo: caseNo.trim() } : {}) };
        const r = await api.POST('/api/v1/hotline/work-orders', { body, idempotencyKey: idemKey });
        setOutcome({ kind: 'hotline', r });
      } else {
        const body: NewCase = {
          channel, matterCode: matter!.code, urgency, description: description.trim(), location, ...(addr ? { address: addr } : {}),
          ...(name.trim() || phone.trim() ? { reporter: { ...(name.trim() ? { name: name.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) } } : {}),
        };
        const c = await api.POST('/api/v1/cases', { body, idempotencyKey: idemKey });
        setOutcome({ kind: 'case', c, replayed: false });
      }
    } catch (e) {
      const err = isApiError(e) ? e : undefined;
      const f = err?.field ? FIELD_OF[err.field] : undefined;
      if (f) setFieldErrors({ [f]: err!.message });
      setFormError(err ?? (e as ApiError));
    } finally {
      setSaving(false);
    }
  };

  const canCreate = can('case.create');
  const submitLabel = saving ? t({ zh: '正在提交…', en: 'Saving…' })
    : effectiveMode === 'answer' ? t({ zh: '记录直接答复', en: 'Record the answer' })
      : effectiveMode === 'refuse' ? t({ zh: '记录不予受理', en: 'Record the refusal' })
        : hotline ? t({ zh: '提交工单', en: 'File the work order' }) : t({ zh: '保存案件', en: 'Save the case' });

  const kindOptions = useMemo(() => REQUEST_KINDS.map((k) => ({ value: k, label: locale === 'en' ? KIND_EN[k] : REQUEST_KIND_ZH[k] })), [locale]);
  const locked = !!outcome;

  return (
    <Page title={t('nav.intake')} className="intake-page"
      actions={outcome ? <button type="button" className="btn btn-primary" onClick={reset}>{t({ zh: '受理下一个', en: 'Next report' })}</button> : undefined}>
      {outcome && <OutcomePanel outcome={outcome} canRead={can('case.read')} />}
      <form className="intake-grid" onSubmit={submit} noValidate aria-label={t({ zh: '受理登记', en: 'Intake form' })}>
        <fieldset className="card intake-form" disabled={locked}>
          <legend className="sr-only">{t({ zh: '来电与诉求', en: 'Caller and request' })}</legend>
          <div className="row-3">
            <Select label={t({ zh: '渠道', en: 'Channel' })} value={channel} onChange={(e) => { setChannel(e.target.value as Channel); changed(); }}
              options={CHANNELS.map((c) => ({ value: c.value, label: t(c.label) }))} />
            {hotline && <Select label={t({ zh: '诉求类型', en: 'Request kind' })} value={kind} onChange={(e) => { setKind(e.target.value as RequestKind); changed(); }} options={kindOptions} />}
            <Select label={t({ zh: '紧急程度', en: 'Urgency' })} value={urgency} error={fieldErrors.urgency || undefined}
              onChange={(e) => { setUrgency(e.target.value as Urgency); setUrgencyTouched(true); setFieldErrors((x) => ({ ...x, urgency: '' })); }}
              options={URGENCIES.map((u) => ({ value: u.value, label: t(u.label) }))} />
          </div>
          <div className="row-2">
            <TextField label={hotline ? t({ zh: '来电人姓名', en: 'Caller name' }) : t({ zh: '反映人姓名', en: 'Reporter name' })}
              value={name} maxLength={100} autoComplete="off" onChange={(e) => setName(e.target.value)} error={fieldErrors.name || undefined} />
            <TextField label={hotline ? t({ zh: '来电号码', en: 'Caller phone' }) : t({ zh: '联系电话', en: 'Phone' })} required={hotline}
              value={phone} maxLength={30} inputMode="tel" autoComplete="off" placeholder="139xxxxxxxx / 010-12345678"
              onChange={(e) => { setPhone(e.target.value); setFieldErrors((x) => ({ ...x, phone: '' })); }}
              onBlur={() => { const p = phone.trim(); if (p && !isValidCallerPhone(p)) setFieldErrors((x) => ({ ...x, phone: t({ zh: '号码格式不正确', en: 'Not a valid phone number' }) })); }}
              error={fieldErrors.phone || undefined} />
          </div>
          {history.data && (history.data.calls.length > 0 || history.data.cases.length > 0) && (
            <CallerHistory data={history.data} chosen={caseNo.trim()} onUrge={urge} canRead={can('case.read')} />
          )}
          <TextArea label={t({ zh: '诉求内容', en: 'Description' })} required value={description} maxLength={4000} rows={4}
            onChange={(e) => { setDescription(e.target.value); setFieldErrors((x) => ({ ...x, description: '' })); changed(); }}
            onKeyDown={onDescriptionKey} error={fieldErrors.description || undefined}
            hint={t({ zh: '按 Alt+1 采用第一个建议事项', en: 'Alt+1 takes the first suggested matter' })} />
          {hotline && effectiveMode !== 'answer' && (kb.data?.items.length ?? 0) > 0 && <KbReference items={kb.data!.items} />}
          {hotline && (
            <StandardReplies matterCode={matter?.code} requestKind={kind}
              onInsert={effectiveMode === 'refuse' ? (text) => setReason((r) => (r.trim() ? `${r.trim()}；${text}` : text).slice(0, 1000)) : undefined}
              insertLabel={effectiveMode === 'refuse' ? t({ zh: '插入原因', en: 'Insert as reason' }) : undefined} />
          )}
          {hotline && emergency?.level && (
            <EmergencyBanner emergency={emergency} urgency={urgency} onRefer={refer}
              confirm={lifeThreat && urgency !== 'very_urgent' ? { checked: notEmergency, onChange: (v) => { setNotEmergency(v); setFieldErrors((x) => ({ ...x, urgency: '' })); } } : undefined} />
          )}

          <div className={`field${fieldErrors.matter ? ' field-invalid' : ''}`}>
            <span className="field-label" id="matter-label">{t({ zh: '事项类型', en: 'Matter' })}{effectiveMode === 'file' && <span className="req" aria-hidden="true"> *</span>}</span>
            <div className="matter-chosen" aria-labelledby="matter-label" aria-live="polite">
              {matter ? <span data-testid="chosen-matter"><strong>{matter.name}</strong> <code>{matter.code}</code> <span className="muted small">{matter.className}</span></span>
                : <span className="muted">{t({ zh: '未选择', en: 'None chosen' })}</span>}
              {matter && <button type="button" className="btn-link" onClick={() => setMatter(undefined)}>{t({ zh: '清除', en: 'Clear' })}</button>}
            </div>
            <Suggestions items={suggestions.data?.items ?? []} loading={suggestions.loading} error={suggestions.error} selected={matter?.code} onPick={pickMatter} />
            {fieldErrors.matter && <div className="field-error" role="alert">{fieldErrors.matter}</div>}
          </div>
          <MatterSearch selected={matter} onPick={pickMatter} />

          {hotline && (
            <fieldset className="mode">
              <legend>{t({ zh: '处理方式', en: 'Outcome' })}</legend>
              <label><input type="radio" name="mode" checked={effectiveMode === 'file'} onChange={() => setMode('file')} /> {t({ zh: '派单（新建案件，或对已有案件催办）', en: 'File (new case, or 催办 on an open case)' })}</label>
              {consult && <label><input type="radio" name="mode" checked={effectiveMode === 'answer'} onChange={() => setMode('answer')} /> {t({ zh: '知识库直接答复', en: 'Answer from the knowledge base' })}</label>}
              <label><input type="radio" name="mode" checked={effectiveMode === 'refuse'} onChange={() => setMode('refuse')} /> {t({ zh: '不予受理（告知转介）', en: 'Refuse with a referral' })}</label>
            </fieldset>
          )}

          {effectiveMode === 'answer' && (
            <section className="kb" aria-label={t({ zh: '知识库', en: 'Knowledge base' })}>
              <TextField label={t({ zh: '检索知识库（默认按诉求内容）', en: 'Search the knowledge base (default: the description)' })} type="search"
                value={kbQuery} onChange={(e) => setKbQuery(e.target.value)} error={fieldErrors.article || undefined} />
              {kb.error ? <ErrorState error={kb.error} onRetry={kb.reload} />
                : kb.loading && !kb.data ? <Loading inline />
                  : !kb.data?.items.length ? <EmptyState title={t({ zh: '没有匹配的知识库条目', en: 'No matching article' })} />
                    : (
                      <ul className="kb-list">
                        {kb.data.items.map((a) => (
                          <li key={a.id} className={article?.id === a.id ? 'kb-on' : ''}>
                            <div><strong>{a.title}</strong>{a.score !== undefined && <span className="muted small"> · {Math.round(a.score * 100)}%</span>}</div>
                            <p className="kb-body">{a.body}</p>
                            <button type="button" className="btn" aria-pressed={article?.id === a.id} onClick={() => setArticle(a)}>
                              {article?.id === a.id ? t({ zh: '已选用此条答复', en: 'Answering with this' }) : t({ zh: '用此条答复', en: 'Answer with this' })}
                            </button>
                          </li>
                        ))}
                      </ul>
                    )}
            </section>
          )}

          {effectiveMode === 'refuse' && (
            <div className="row-2">
              <Select label={t({ zh: '转介至', en: 'Refer to' })} value={referral} onChange={(e) => setReferral(e.target.value as Referral)}
                options={REFERRALS.map((r) => ({ value: r, label: locale === 'en' ? REFERRAL_EN[r] : REFERRAL_ZH[r] }))} />
              <TextField label={t({ zh: '不予受理原因', en: 'Reason' })} required value={reason} maxLength={1000}
                onChange={(e) => setReason(e.target.value)} error={fieldErrors.reason || undefined} />
            </div>
          )}

          {hotline && effectiveMode === 'file' && (
            <TextField label={t({ zh: '来电涉及的已有案件编号（催办，可选）', en: 'Existing case number the caller asks about (optional, 催办)' })}
              value={caseNo} maxLength={40} onChange={(e) => setCaseNo(e.target.value)} error={fieldErrors.caseNo || undefined} />
          )}
        </fieldset>

        <div className="intake-side">
          <fieldset className="card" disabled={locked}>
            <legend className="card-title">{t({ zh: '位置', en: 'Location' })}</legend>
            <LocationPicker point={point} onPoint={(p) => { setPoint(p); setFieldErrors((x) => ({ ...x, location: '' })); changed(); }}
              address={address} onAddress={setAddress} error={fieldErrors.location || undefined} />
          </fieldset>

          {effectiveMode === 'file' && (
            <section className="card precheck" aria-label={t({ zh: '保存前核对', en: 'Before saving' })}>
              <h2 className="card-title">{t({ zh: '保存前核对', en: 'Before saving' })}</h2>
              {!ready ? <p className="muted">{t({ zh: '选择事项并确定位置后，这里显示可能的重复案件和派单去向。', en: 'Choose the matter and the place to see possible duplicates and where it goes.' })}</p> : (
                <>
                  <RoutingAnswer q={routing} place={placeText(located.data, locale)} />
                  <Duplicates q={dups} canRead={can('case.read')} />
                </>
              )}
            </section>
          )}

          {hotline && <MyCalls tick={callsTick} />}

          <div className="intake-actions">
            <FormError>{formError && !(formError.field && FIELD_OF[formError.field]) ? errorText(formError) : undefined}</FormError>
            {formError && formError.field && FIELD_OF[formError.field] && (
              <div className="form-error" role="alert">{t({ zh: '请修改标红的项目：', en: 'Fix the highlighted field: ' })}{errorText(formError)}</div>
            )}
            {canCreate
              ? <button type="submit" className="btn btn-primary btn-block" disabled={saving || locked}>{submitLabel}</button>
              : <p className="muted">{t({ zh: '您的角色不能受理登记。', en: 'Your roles cannot file reports.' })}</p>}
          </div>
        </div>
      </form>
    </Page>
  );
}

function RoutingAnswer({ q, place }: { q: QueryState<Explain | undefined>; place: string }) {
  const { t, locale } = useI18n();
  const msg = useMessage();
  if (q.error) return <ErrorState title={t({ zh: '无法给出派单去向', en: 'No routing answer' })} error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading inline />;
  const d = q.data.decision;
  return (
    <div className="routing" data-testid="routing">
      <p className="routing-answer">
        {t({ zh: '将派往 ', en: 'Goes to ' })}<strong>{d.unit.name}</strong>
        {d.ruleId ? t({ zh: '，依据规则 {rule} v{v}', en: ', by rule {rule} v{v}' }, { rule: d.ruleId, v: d.ruleVersion })
          : d.outcome === 'fallback' ? t({ zh: '（无匹配规则，按属地兜底）', en: ' (no rule: local fallback)' })
            : d.outcome === 'part_owner' ? t({ zh: '（部件权属单位）', en: ' (owner of the part)' }) : ''}
        {d.assistingUnits.length > 0 && <>{t({ zh: '；协办：', en: '; assisting: ' })}{d.assistingUnits.map((u) => u.name).join('、')}</>}
      </p>
      {place && <p className="muted small">{place}</p>}
      <p className="muted small" data-testid="routing-why">{msg(q.data.explanation, q.data.summary)}</p>
      <p className="small">{t({ zh: '派遣时限 {a}，处置时限 {b}', en: 'Dispatch within {a}, handle within {b}' }, { a: limitText(q.data.limits.dispatch, locale), b: limitText(q.data.limits.handle, locale) })}</p>
    </div>
  );
}

function Duplicates({ q, canRead }: { q: QueryState<DupPreview | undefined>; canRead: boolean }) {
  const { t, locale } = useI18n();
  if (q.error) return <ErrorState title={t({ zh: '无法检查重复', en: 'Duplicate check unavailable' })} error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading inline />;
  const d = q.data;
  if (!d.policy.enabled) return <p className="muted small">{t({ zh: '重复案件检查未开启。', en: 'The duplicate check is off.' })}</p>;
  if (!d.items.length) {
    return <p className="dup-none" data-testid="duplicates">{t({ zh: '附近 {r} 米内、{h} 小时内没有同类未办结案件。', en: 'No open case of this matter within {r} m and {h} h.' }, { r: d.policy.radiusMeters, h: d.policy.windowHours })}
      {d.hidden > 0 && <span className="muted"> {t({ zh: '（另有 {n} 件不在您的范围内）', en: ' ({n} more outside your scope)' }, { n: d.hidden })}</span>}</p>;
  }
  return (
    <div className="dups" data-testid="duplicates">
      <p className="intake-warn"><strong>{t({ zh: '可能重复：{n} 件', en: 'Possible duplicates: {n}' }, { n: d.items.length })}</strong>
        {d.master && <> · {t({ zh: '保存后将自动关联到 {no}', en: 'saving links it to {no}' }, { no: d.master.caseNo })}</>}</p>
      <ul>
        {d.items.map((i) => (
          <li key={i.id}>
            {canRead ? <Link to={`/cases/${i.id}`}>{i.caseNo}</Link> : i.caseNo} · {locale === 'en' ? i.stateLabel.en : i.stateLabel.zh} · {i.matter.name}
            <span className="muted small"> · {Math.round(i.distanceMeters)} m · {formatDateTime(i.createdAt, locale)}{i.address ? ` · ${i.address}` : ''}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function OutcomePanel({ outcome, canRead }: { outcome: Outcome; canRead: boolean }) {
  const { t, locale } = useI18n();
  const caseLink = (c: { id: number; caseNo: string }) => (canRead ? <Link to={`/cases/${c.id}`}>{c.caseNo}</Link> : <strong>{c.caseNo}</strong>);
  let body;
  if (outcome.kind === 'case') {
    const c = outcome.c;
    body = c.duplicateOf
      ? <>{t({ zh: '已保存为案件 ', en: 'Saved as case ' })}{caseLink(c)}{t({ zh: '，与案件 ', en: ', a duplicate of ' })}{caseLink(c.duplicateOf)}{t({ zh: ' 重复，已关联合并处理。', en: ' (linked).' })}<NextStep c={c} /></>
      : <>{t({ zh: '已保存为案件 ', en: 'Saved as case ' })}{caseLink(c)}。<NextStep c={c} /></>;
  } else {
    const r = outcome.r;
    const c = r.case;
    body = r.outcome === 'answered' ? <>{t({ zh: '已直接答复', en: 'Answered' })}{r.article && <>{t({ zh: '（知识库：', en: ' (knowledge base: ' })}{r.article.title}）</>}。</>
      : r.outcome === 'refused' ? <>{t({ zh: '已记录不予受理', en: 'Refusal recorded' })}{r.call.referralZh && <>{t({ zh: '，已告知转介：', en: '; referred to ' })}{r.call.referralZh}</>}。</>
        : r.outcome === 'linked' && c ? <>{t({ zh: '重复来电：已作为催办关联到案件 ', en: 'Repeat call: linked as 催办 to case ' })}{caseLink(c)}。</>
          : c ? (
            c.duplicateOf
              ? <>{t({ zh: '已建案 ', en: 'Case ' })}{caseLink(c)}{t({ zh: '，与案件 ', en: ' is a duplicate of ' })}{caseLink(c.duplicateOf)}{t({ zh: ' 重复，已关联合并处理。', en: ' (linked).' })}<NextStep c={c} /></>
              : <>{t({ zh: '已建案 ', en: 'Filed as case ' })}{caseLink(c)}。<NextStep c={c} /></>
          ) : r.call.outcomeZh;
    if (r.call.feedbackDueAt && r.outcome !== 'answered') {
      body = <>{body} <span className="muted">{t({ zh: '答复期限：', en: 'Feedback due: ' })}{formatDateTime(r.call.feedbackDueAt, locale)}</span></>;
    }
  }
  return <div className="intake-result" role="status" data-testid="intake-result">{body}</div>;
}

/**
 * Emergency words in the description: what was heard, the urgency it raised, and the referrals — the first one
 * Alt+R from the description. A threat to life below 非常紧急 needs the seat's confirmation that it is not one.
 */
function EmergencyBanner({ emergency, urgency, onRefer, confirm }: {
  emergency: Emergency; urgency: Urgency; onRefer: (code: string) => void;
  confirm?: { checked: boolean; onChange: (v: boolean) => void };
}) {
  const { t, locale } = useI18n();
  const life = emergency.level === 'life';
  return (
    <div className={`emergency ${life ? 'emergency-life' : 'emergency-urgent'}`} role="alert" data-testid="emergency">
      <p>
        <strong>{life ? t({ zh: '疑似危及生命安全的紧急险情', en: 'Sounds like a threat to life' }) : t({ zh: '疑似紧急情况', en: 'Sounds urgent' })}</strong>
        <span className="muted">{t({ zh: '（听到：{w}）', en: ' (heard: {w})' }, { w: emergency.words.join(locale === 'en' ? ', ' : '、') })}</span>
        {urgency === 'very_urgent' && <> · {t({ zh: '紧急程度已为“非常紧急”', en: 'urgency is "very urgent"' })}</>}
        {urgency === 'urgent' && !life && <> · {t({ zh: '紧急程度已为“紧急”', en: 'urgency is "urgent"' })}</>}
      </p>
      {emergency.referrals.length > 0 && (
        <div className="emergency-referrals">
          <span>{t({ zh: '转介：', en: 'Refer to: ' })}</span>
          {emergency.referrals.map((r, i) => (
            <button key={r.code} type="button" className={`btn${i === 0 ? ' btn-danger' : ''}`} onClick={() => onRefer(r.code)}>
              {locale === 'en' ? r.en : r.zh}{i === 0 && <kbd className="chip-key">Alt+R</kbd>}
            </button>
          ))}
        </div>
      )}
      {confirm && (
        <label className="emergency-confirm">
          <input type="checkbox" checked={confirm.checked} onChange={(e) => confirm.onChange(e.target.checked)} />
          {' '}{t({ zh: '我已向来电人核实，这不是紧急险情（按所选紧急程度保存）', en: 'I checked with the caller: this is not an emergency (save with the chosen urgency)' })}
        </label>
      )}
    </div>
  );
}

type CallerHistoryData = { calls: WorkOrderResult['call'][]; cases: CaseSummary[] };

/**
 * What this caller said before (the last calls) and the cases reported from this number: an open one is one click
 * from a 催办 (the work order then names it). Shown as soon as the number is complete.
 */
function CallerHistory({ data, chosen, onUrge, canRead }: { data: CallerHistoryData; chosen: string; onUrge: (caseNo: string) => void; canRead: boolean }) {
  const { t, locale } = useI18n();
  return (
    <section className="caller-history" aria-label={t({ zh: '来电历史', en: 'Caller history' })} data-testid="caller-history">
      <h3>{t({ zh: '该号码的来电与案件', en: 'This number\'s calls and cases' })}</h3>
      {data.cases.length > 0 && (
        <ul>
          {data.cases.map((c) => {
            const open = isState(c.state) && isOpen(c.state);
            return (
              <li key={c.id}>
                {canRead ? <Link to={`/cases/${c.id}`}>{c.caseNo}</Link> : <strong>{c.caseNo}</strong>}
                {' · '}{locale === 'en' ? c.stateLabel.en : c.stateLabel.zh}{' · '}{c.matter.name}
                <span className="muted small"> · {formatDateTime(c.createdAt, locale)}</span>
                {open && (chosen === c.caseNo
                  ? <span className="badge">{t({ zh: '本次为催办', en: 'This call urges it' })}</span>
                  : <button type="button" className="btn btn-small" onClick={() => onUrge(c.caseNo)}>{t({ zh: '催办此案', en: 'Urge this case' })}</button>)}
              </li>
            );
          })}
        </ul>
      )}
      {data.calls.length > 0 && (
        <p className="muted small">
          {t({ zh: '最近来电：', en: 'Recent calls: ' })}
          {data.calls.map((c) => `${formatDateTime(c.createdAt, locale)} ${locale === 'en' ? c.outcome : c.outcomeZh}`).join('；')}
        </p>
      )}
    </section>
  );
}

/** What happens next to a case just saved: who acts, and where it is expected to go (issue 8: say it plainly). */
function NextStep({ c }: { c: CaseSummary }) {
  const { t, locale } = useI18n();
  // the city's verification policy: which reports wait for an inspector (a 非常紧急 one, by default, does not)
  const policy = useQuery((signal) => api.GET('/api/v1/verification-policy', { signal }), []);
  const verify = policy.data ? needsVerification(policy.data, { channel: c.channel, urgency: c.urgency, matterCode: c.matter.code }) : VERIFY_CHANNELS.has(c.channel);
  const unit = c.routing.unit?.name;
  let text: string;
  if (c.duplicateOf) {
    const master = c.duplicateOf;
    text = t({ zh: '本案不单独派遣，随案件 {no} 一并处理（该案当前：{s}），来电人会收到同样的进展。', en: 'It is not dispatched on its own: it follows case {no} (now: {s}), and the reporter hears of its progress.' },
      { no: master.caseNo, s: stateText(master.state, locale) });
  } else if (c.state === 'REPORTED') {
    text = verify
      ? t({ zh: '下一步：等待中心受理，再派核查员到现场核实；属实则立案，预计派往 {u}。', en: 'Next: the centre accepts it, then an inspector verifies it on site; if confirmed it is registered and expected to go to {u}.' }, { u: unit ?? '—' })
      : VERIFY_CHANNELS.has(c.channel)
        ? t({ zh: '下一步：等待中心受理后直接立案派遣（无需先核实），预计派往 {u}；处置后现场核查。', en: 'Next: the centre accepts it and dispatches it at once (no verification first), expected to go to {u}; checked on site after handling.' }, { u: unit ?? '—' })
        : t({ zh: '下一步：等待中心受理、立案，预计派往 {u}。', en: 'Next: the centre accepts and registers it; expected to go to {u}.' }, { u: unit ?? '—' });
  } else if (c.state === 'REGISTERED') {
    text = t({ zh: '已直接立案，下一步：等待派遣，预计派往 {u}。', en: 'Registered directly. Next: dispatch, expected to {u}.' }, { u: unit ?? '—' });
  } else {
    text = t({ zh: '当前状态：{s}。', en: 'Now: {s}.' }, { s: locale === 'en' ? c.stateLabel.en : c.stateLabel.zh });
  }
  return <span className="next-step" data-testid="next-step"> {text}</span>;
}

const stateText = (s: string, locale: string) => {
  const l = isState(s) ? stateLabel(s) : undefined;
  return l ? (locale === 'en' ? l.en : l.zh) : s;
};

/** The knowledge base's answers for what the caller said, to read out whatever the request type (collapsed). */
function KbReference({ items }: { items: KbArticle[] }) {
  const { t } = useI18n();
  return (
    <details className="kb-reference" data-testid="kb-reference">
      <summary>{t({ zh: '知识库参考答复（{n} 条）', en: 'Knowledge base answers ({n})' }, { n: items.length })}: {items.map((a) => a.title).join('、')}</summary>
      <ul>{items.map((a) => <li key={a.id}><strong>{a.title}</strong><p className="kb-body">{a.body}</p></li>)}</ul>
    </details>
  );
}
