/**
 * The dispatch desk's (and the unit's) actions on one case, offered exactly from the case's `allowedActions`
 * (merge and split of duplicates included: they are case actions too). Each action opens a small form with the
 * fields its body needs (the route's request body in the generated schema: the body built for each action is
 * type-checked against it), sends the case version (optimistic concurrency),
 * uploads photos first (POST /api/v1/attachments), and on 409 shows the server's message and reloads the case.
 */
import { Fragment, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, isApiError, useQuery, type ApiError, type BodyOf } from '../../app/api.ts';
import type { PathsWith } from '../../api/types.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatDateTime, useI18n, type Msg } from '../../app/i18n.ts';
import { FormError, Select, TextArea, TextField } from '../../components/Form.tsx';
import { useErrorText } from '../../components/States.tsx';
import {
  LIMIT_UNITS, SUPERVISION_LEVEL, actionMsg, extraTime, useUnits, type CaseDto, type Unit,
} from '../cases/model.ts';
import { AssistInstructions } from '../joint/AssistInstructions.tsx';
import { assistsBody } from '../joint/assists.ts';
import { isLevelAction } from '../levels/model.ts';
import { distanceText } from '../resources/resources.ts';

const LEADERS: string[] = ['shift_leader', 'centre_leader', 'admin'];

type Kind = 'text' | 'textarea' | 'select' | 'number' | 'unit' | 'subunit' | 'units' | 'gridmember' | 'verifier' | 'files' | 'yesno';
interface FieldDef {
  name: string;
  label: Msg;
  kind: Kind;
  required?: boolean;
  options?: { value: string; label: Msg }[];
  hint?: Msg;
  /** The request field the server names in its errors, when it differs from `name`. */
  server?: string[];
}

const note: FieldDef = { name: 'note', label: { zh: '备注', en: 'Note' }, kind: 'textarea' };
const reason = (label: Msg = { zh: '原因', en: 'Reason' }): FieldDef => ({ name: 'reason', label, kind: 'textarea', required: true });
const photos = (required: boolean): FieldDef => ({
  name: 'photos', label: { zh: '现场照片', en: 'Photos' }, kind: 'files', required,
  hint: { zh: '可选多张（最多 10 张），提交时上传', en: 'One or more (up to 10), uploaded when you submit' },
});
const assisting: FieldDef = { name: 'assistingUnitIds', label: { zh: '协办单位（可多选）', en: 'Assisting units (optional)' }, kind: 'units' };
/** Shown only for matters on the admission list (网格事项准入): the case goes to the grid member instead of a unit. */
const gridMember: FieldDef = {
  name: 'gridMemberId', label: { zh: '或派给网格员', en: 'Or give it to a grid member' }, kind: 'gridmember',
  hint: { zh: '选择网格员后不派给单位，也不设协办单位', en: 'A grid member handles it alone: no unit, no assisting units' },
};

/** Field lists per action (the body of each: src/http/routes/cases/case.schema.ts). */
const FORMS: Record<string, FieldDef[]> = {
  accept: [note],
  reject: [
    { name: 'rejectKind', label: { zh: '不予受理类型', en: 'Kind' }, kind: 'select', required: true, options: [
      { value: 'invalid', label: { zh: '无效上报', en: 'Invalid' } }, { value: 'duplicate', label: { zh: '重复上报', en: 'Duplicate' } },
      { value: 'out_of_scope', label: { zh: '不属于受理范围（须转办）', en: 'Out of scope (refer it)' } }] },
    reason(),
    { name: 'referral', label: { zh: '转办去向', en: 'Referred to' }, kind: 'text', hint: { zh: '不属于受理范围时必填，如 110、119、信访', en: 'Required when out of scope, e.g. 110, 119' } },
    { name: 'duplicateOfCaseId', label: { zh: '重复的主案件编号', en: 'Master case' }, kind: 'text' },
  ],
  request_verify: [
    {
      name: 'verifierId', label: { zh: '指定核实人', en: 'Who verifies' }, kind: 'verifier',
      hint: { zh: '在岗人员按距离由近到远排列（距离 · 在办量）；不指定时范围内任一监督员均可核实', en: 'People on duty nearest first (distance · load); leave it to let anyone in scope verify' },
    },
    { ...note, label: { zh: '给监督员的说明', en: 'Note to the inspector' } },
  ],
  verify: [
    { name: 'outcome', label: { zh: '核实结果', en: 'Result' }, kind: 'select', required: true, options: [
      { value: 'confirmed', label: { zh: '属实', en: 'Confirmed' } }, { value: 'false', label: { zh: '不属实', en: 'Not true' } }] },
    { ...note, hint: { zh: '不属实时必填', en: 'Required when not true' } },
  ],
  register: [note],
  dispatch: [{ name: 'unitId', label: { zh: '处置单位', en: 'Handling unit' }, kind: 'unit', required: true }, assisting, gridMember, note],
  reassign: [
    { name: 'unitId', label: { zh: '改派至单位', en: 'Reassign to unit' }, kind: 'unit', required: true }, assisting, gridMember,
    reason({ zh: '改派原因', en: 'Why it is reassigned' }),
  ],
  recall: [reason({ zh: '撤回原因', en: 'Why it is taken back' })],
  sign: [note],
  second_dispatch: [{ name: 'subUnitId', label: { zh: '下级单位', en: 'Sub-unit' }, kind: 'subunit', required: true }, note],
  return: [reason({ zh: '退回原因', en: 'Why you return it' }), { name: 'basis', label: { zh: '依据（法规、清单条目）', en: 'Basis (regulation, list item)' }, kind: 'textarea', required: true }],
  rule_dispute: [
    { name: 'unitId', label: { zh: '裁定处置单位', en: 'Unit that must handle it' }, kind: 'unit', required: true },
    { name: 'ruling', label: { zh: '裁定意见及依据', en: 'Ruling and its basis' }, kind: 'textarea', required: true }, assisting, gridMember,
  ],
  request_postpone: [
    { name: 'amount', label: { zh: '延期时长', en: 'Extra time' }, kind: 'number', required: true, server: ['extra', 'extra.amount', 'extra/amount'] },
    { name: 'limitUnit', label: { zh: '单位', en: 'Unit' }, kind: 'select', required: true, server: ['extra.unit', 'extra/unit'],
      options: Object.entries(LIMIT_UNITS).map(([value, label]) => ({ value, label })) },
    reason({ zh: '延期理由', en: 'Why more time is needed' }),
  ],
  approve_postpone: [note],
  deny_postpone: [reason({ zh: '驳回理由', en: 'Why not' })],
  request_hang: [reason({ zh: '挂账理由', en: 'Why it cannot be solved in time' })],
  approve_hang: [note],
  deny_hang: [reason({ zh: '驳回理由', en: 'Why not' })],
  resume: [note],
  dispose: [{ name: 'result', label: { zh: '处置结果', en: 'What was done' }, kind: 'textarea', required: true }, photos(true)],
  send_check: [{ ...note, label: { zh: '给监督员的说明', en: 'Note to the inspector' } }],
  check_pass: [note],
  check_fail: [reason({ zh: '仍存在的问题（返工）', en: 'What is still wrong (rework)' })],
  callback: [
    { name: 'satisfied', label: { zh: '市民是否满意', en: 'Is the reporter satisfied' }, kind: 'yesno', required: true },
    { ...note, label: { zh: '回访记录', en: 'Callback notes' }, hint: { zh: '不满意时必填', en: 'Required when not satisfied' } },
  ],
  close: [
    { name: 'closureType', label: { zh: '结案类型', en: 'Closure type' }, kind: 'select', required: true, options: [
      { value: 'normal', label: { zh: '正常结案', en: 'Normal' } }, { value: 'overdue', label: { zh: '超时结案', en: 'Overdue' } },
      { value: 'erroneous', label: { zh: '差错结案', en: 'Erroneous' } }, { value: 'special', label: { zh: '特殊结案', en: 'Special' } }] },
    reason({ zh: '结案说明', en: 'Why closed this way' }),
  ],
  reopen: [reason({ zh: '重启原因', en: 'Why reopened' })],
  supervise: [
    { name: 'level', label: { zh: '级别', en: 'Level' }, kind: 'select', required: true, options: Object.entries(SUPERVISION_LEVEL).map(([value, label]) => ({ value, label })) },
    { name: 'note', label: { zh: '督办内容', en: 'Supervision notice' }, kind: 'textarea', required: true },
  ],
  self_fix: [{ name: 'result', label: { zh: '处置结果', en: 'What was fixed' }, kind: 'textarea', required: true }, photos(true)],
  merge_into: [
    { name: 'master', label: { zh: '主案件编号或 ID', en: 'Master case number or id' }, kind: 'text', required: true, server: ['masterCaseId'] },
    { ...reason(), required: false },
  ],
  split: [reason({ zh: '为何是不同的问题', en: 'Why it is a different problem' })],
};

const DANGER = new Set(['reject', 'return', 'deny_postpone', 'deny_hang', 'check_fail', 'close', 'merge_into', 'recall']);
const PRIMARY = new Set(['dispatch', 'sign', 'rule_dispute', 'dispose', 'send_check', 'check_pass', 'callback', 'accept', 'verify', 'register', 'approve_postpone', 'approve_hang']);

type Values = Record<string, string | string[] | boolean | Record<string, string>>;

/** The case action routes of the document (POST /api/v1/cases/{id}/<slug>) and the body each takes. */
// (The joint-action routes …/assists… are not case actions: web/src/features/joint.)
type ActionRoute = Exclude<Extract<PathsWith<'post'>, `/api/v1/cases/{id}/${string}`>, `/api/v1/cases/{id}/assists${string}` | '/api/v1/cases/{id}/summons'>;
type SlugOf<R> = R extends `/api/v1/cases/{id}/${infer S}` ? S : never;
type Slug = SlugOf<ActionRoute>;
type ActionBody<S extends Slug> = BodyOf<`/api/v1/cases/{id}/${S}`, 'post'>;
/** An action ready to send: a route and a body that route takes. */
type ActionRequest = { [S in Slug]: { slug: S; body: ActionBody<S> } }[Slug];
type Kebab<A extends string> = A extends `${infer H}_${infer T}` ? `${H}-${Kebab<T>}` : A;
/** The route of an action name (request_postpone → request-postpone). */
const kebab = <A extends string>(a: A) => a.replace(/_/g, '-') as Kebab<A>;

async function upload(files: File[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of files) {
    const fd = new FormData();
    fd.append('file', f, f.name);
    const a = await api.upload('/api/v1/attachments', fd);
    ids.push(a.id);
  }
  return ids;
}

/** The request of an action from the form's values. The selects offer only the values the schema's enums allow. */
async function requestOf(action: string, v: Values, files: File[], c: CaseDto): Promise<ActionRequest> {
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string).trim() : '');
  const opt = <K extends string>(k: K): Partial<Record<K, string>> => (s(k) ? { [k]: s(k) } as Record<K, string> : {});
  // 联勤联动: each assisting unit with what it is asked (a task of its own; web/src/features/joint).
  const assists = () => assistsBody(v.assistingUnitIds as string[] | undefined, v.assistInstructions as Record<string, string> | undefined);
  const version = { version: c.version };
  switch (action) {
    case 'reject': return { slug: 'reject', body: { rejectKind: s('rejectKind') as ActionBody<'reject'>['rejectKind'], reason: s('reason'), ...opt('referral'), ...opt('duplicateOfCaseId'), ...version } };
    case 'verify': return { slug: 'verify', body: { outcome: s('outcome') as ActionBody<'verify'>['outcome'], ...opt('note'), ...version } };
    case 'dispatch': return s('gridMemberId')
      ? { slug: 'dispatch', body: { gridMemberId: s('gridMemberId'), ...opt('note'), ...version } }
      : { slug: 'dispatch', body: { unitId: s('unitId'), ...assists(), ...opt('note'), ...version } };
    case 'reassign': return s('gridMemberId')
      ? { slug: 'reassign', body: { gridMemberId: s('gridMemberId'), reason: s('reason'), ...version } }
      : { slug: 'reassign', body: { unitId: s('unitId'), ...assists(), reason: s('reason'), ...version } };
    case 'second_dispatch': return { slug: 'second-dispatch', body: { subUnitId: s('subUnitId'), ...opt('note'), ...version } };
    case 'return': return { slug: 'return', body: { reason: s('reason'), basis: s('basis'), ...version } };
    case 'rule_dispute': return s('gridMemberId')
      ? { slug: 'rule-dispute', body: { gridMemberId: s('gridMemberId'), ruling: s('ruling'), ...version } }
      : { slug: 'rule-dispute', body: { unitId: s('unitId'), ruling: s('ruling'), ...assists(), ...version } };
    case 'request_postpone': {
      const unit = s('limitUnit') as ActionBody<'request-postpone'>['extra']['unit'];
      return { slug: 'request-postpone', body: { extra: { amount: Number(s('amount')), unit }, reason: s('reason'), ...version } };
    }
    case 'deny_postpone': case 'request_hang': case 'deny_hang': case 'check_fail': case 'reopen': case 'recall':
      return { slug: kebab(action), body: { reason: s('reason'), ...version } };
    case 'dispose': case 'self_fix': return { slug: kebab(action), body: { result: s('result'), photos: await upload(files), ...version } };
    case 'callback': return { slug: 'callback', body: { satisfied: v.satisfied === 'yes', ...opt('note'), ...version } };
    case 'close': return { slug: 'close', body: { closureType: s('closureType') as ActionBody<'close'>['closureType'], reason: s('reason'), ...version } };
    case 'supervise': return { slug: 'supervise', body: { level: s('level') as ActionBody<'supervise'>['level'], note: s('note'), ...version } };
    case 'merge_into': {
      const m = s('master');
      const masterCaseId = /^\d{14,18}$/.test(m) ? (await api.GET('/api/v1/cases/{id}', { params: { path: { id: m } } })).id : Number(m);
      return { slug: 'merge-into', body: { masterCaseId, ...opt('reason') } };
    }
    case 'split': return { slug: 'split', body: { reason: s('reason') } };
    case 'request_verify': return { slug: 'request-verify', body: { ...opt('verifierId'), ...opt('note'), ...version } };
    case 'accept': case 'register': case 'sign': case 'approve_postpone': case 'approve_hang': case 'resume':
    case 'send_check': case 'check_pass':
      return { slug: kebab(action), body: { ...opt('note'), ...version } };
    default:
      // An action this console has no form for (a newer server's): a note, as for the actions above.
      return { slug: kebab(action), body: { ...opt('note'), ...version } } as ActionRequest;
  }
}

/**
 * Whom 派发核实 may name (issue 8): the nearest inspectors and grid members on duty first (GET /resources/nearest, with
 * distance and current load), then everyone else covering the case's place by name (GET /cases/{id}/verifiers) — the
 * plain list is what is left when nobody is on duty. Only people of the plain list are offered (the server checks the
 * same: role, active, covering the place).
 */
function useVerifierOptions(caseId: number, wanted: boolean, located: boolean): { id: string; name: string; nearest?: string }[] | undefined {
  const { t, locale } = useI18n();
  const { can } = useAuth();
  const mayLocate = can('resource.read') && located;
  const [out, setOut] = useState<{ id: string; name: string; nearest?: string }[] | undefined>();
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    const id = String(caseId);
    const near = mayLocate
      ? api.GET('/api/v1/resources/nearest', { params: { query: { caseId: id, kinds: 'inspector,grid_member', limit: 10 } } }).then((r) => r.items, () => [])
      : Promise.resolve([]);
    void Promise.all([api.GET('/api/v1/cases/{id}/verifiers', { params: { path: { id } } }).then((r) => r.items, () => []), near]).then(([all, nearest]) => {
      if (!live) return;
      const byId = new Map(all.map((u) => [u.id, u]));
      const first = nearest.filter((h) => h.resource.userId && byId.has(h.resource.userId)).map((h) => ({
        id: h.resource.userId!, name: byId.get(h.resource.userId!)!.name,
        nearest: `${distanceText(h.distanceM, locale)} · ${t({ zh: '在办 {n}', en: '{n} open' }, { n: h.openCases })}（${t({ zh: '在岗', en: 'on duty' })}）`,
      }));
      const seen = new Set(first.map((x) => x.id));
      setOut([...first, ...all.filter((u) => !seen.has(u.id)).map((u) => ({
        id: u.id, name: `${u.name}${u.regions.length ? `（${u.regions.map((r) => r.name).join('、')}）` : ''}`,
      }))]);
    });
    return () => { live = false; };
  }, [caseId, wanted, mayLocate, locale, t]);
  return out;
}

/** POST the action to its route; answers the case as it now is. */
function send({ slug, body }: ActionRequest, id: number): Promise<CaseDto> {
  // The route is one of ActionRoute and `body` was checked against that route's body where it was built (the
  // pair is correlated, which TypeScript cannot follow through a union of routes).
  return api.POST(`/api/v1/cases/{id}/${slug}` as ActionRoute, { params: { path: { id: String(id) } }, body } as never);
}

function initialValues(action: string, c: CaseDto, roles: readonly string[]): Values {
  switch (action) {
    // What the responsibility list proposes (the routed unit and its assisting units); the dispatcher decides.
    case 'dispatch': return { unitId: c.routing.unit?.id ?? '', assistingUnitIds: c.routing.assistingUnits.map((u) => u.id), gridMemberId: '' };
    // A ruling starts from what the case had: its unit (or grid member) and the assisting units it was dispatched with.
    case 'rule_dispute': return {
      unitId: c.assignedUnit?.id ?? c.routing.unit?.id ?? '',
      assistingUnitIds: (c.assistingUnits.length ? c.assistingUnits : c.routing.assistingUnits).map((u) => u.id),
      gridMemberId: c.assignedGridMember?.id ?? '',
    };
    // 改派 starts from no unit: it must be another one than the case has (the API refuses the same holder)
    case 'reassign': return { unitId: '', assistingUnitIds: c.assistingUnits.map((u) => u.id), gridMemberId: '' };
    case 'reject': return { rejectKind: 'invalid' };
    case 'verify': return { outcome: 'confirmed' };
    case 'request_postpone': return { amount: '1', limitUnit: 'work_days' };
    case 'close': return { closureType: 'normal' };
    case 'supervise': return { level: roles.some((r) => LEADERS.includes(r)) ? 'supervise' : 'urge' };
    case 'callback': return { satisfied: '' };
    default: return {};
  }
}

function PendingRequest({ c }: { c: CaseDto }) {
  const { t, locale } = useI18n();
  const p = c.pendingRequest;
  if (!p) return null;
  const extra = extraTime(p.extra);
  return (
    <div className="pending-request">
      <strong>{p.kind === 'hang' ? t({ zh: '待审批的挂账申请', en: 'Pending hang request' }) : t({ zh: '待审批的延期申请', en: 'Pending postponement request' })}</strong>
      {extra && <div>{t({ zh: '申请延期', en: 'Extra time' })}: {extra.amount} {extra.unit ? t(LIMIT_UNITS[extra.unit] ?? { zh: extra.unit, en: extra.unit }) : ''}</div>}
      {typeof p.reason === 'string' && <div>{t({ zh: '理由', en: 'Reason' })}: {p.reason}</div>}
      {typeof p.at === 'number' || typeof p.at === 'string' ? <div className="muted">{formatDateTime(p.at as string, locale)}</div> : null}
    </div>
  );
}

function ActionForm({ action, c, onCancel, onDone, onConflict, stale }: {
  action: string; c: CaseDto; onCancel: () => void; onDone: (next: CaseDto) => void; onConflict: (e: ApiError) => void; stale?: boolean;
}) {
  const { t } = useI18n();
  const { user } = useAuth();
  const errText = useErrorText();
  const units = useUnits();
  // The grid-member choice only for matters grid members may be given (the API refuses the others).
  const fields = (FORMS[action] ?? [note]).filter((f) => f.kind !== 'gridmember' || c.admittedForGridMembers);
  const [values, setValues] = useState<Values>(() => initialValues(action, c, user?.roles ?? []));
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [subUnits, setSubUnits] = useState<Unit[] | undefined>();
  const [members, setMembers] = useState<{ id: string; name: string; regions: { name: string }[] }[] | undefined>();
  const parentId = c.assignedUnit?.id;
  const wantsSub = fields.some((f) => f.kind === 'subunit');
  const wantsMembers = fields.some((f) => f.kind === 'gridmember');
  const verifiers = useVerifierOptions(c.id, fields.some((f) => f.kind === 'verifier'), c.location !== null);
  useEffect(() => {
    if (!wantsSub || !parentId) return;
    api.GET('/api/v1/units', { params: { query: { parentId } } }).then((r) => setSubUnits(r.items), () => setSubUnits([]));
  }, [wantsSub, parentId]);
  useEffect(() => {
    if (!wantsMembers) return;
    api.GET('/api/v1/cases/{id}/grid-members', { params: { path: { id: String(c.id) } } }).then((r) => setMembers(r.items), () => setMembers([]));
  }, [wantsMembers, c.id]);
  const set = (k: string, v: Values[string]) => setValues((x) => ({ ...x, [k]: v }));
  // The routed unit first, then units, then sub-units under their parent's name.
  const unitOptions = useMemo(() => {
    const all = (units ?? []).filter((u) => u.active);
    const byId = new Map(all.map((u) => [u.id, u]));
    const name = (u: Unit) => (u.parentId && byId.get(u.parentId) ? `${byId.get(u.parentId)!.name} / ${u.name}` : u.name);
    const rank = (u: Unit) => (u.id === c.routing.unit?.id ? 0 : u.parentId ? 2 : 1);
    return all.sort((a, b) => rank(a) - rank(b) || name(a).localeCompare(name(b), 'zh-CN')).map((u) => ({
      value: u.id, label: u.id === c.routing.unit?.id ? `${name(u)}（${t({ zh: '清单派单', en: 'routed' })}）` : name(u),
    }));
  }, [units, c.routing.unit?.id, t]);
  const onlyUrge = action === 'supervise' && !user?.roles.some((r) => LEADERS.includes(r));

  const fieldError = (f: FieldDef): string | undefined => {
    if (!error || !isApiError(error) || !error.field) return undefined;
    const names = [f.name, ...(f.server ?? [])];
    const field = error.field.replace(/^\//, '').replace(/\//g, '.');
    return names.includes(field) ? error.message : undefined;
  };
  const formLevelError = error && !(isApiError(error) && error.field && fields.some((f) => fieldError(f))) ? errText(error) : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const next = await send(await requestOf(action, values, files, c), c.id);
      onDone(next);
    } catch (err) {
      setBusy(false);
      if (isApiError(err) && err.status === 409) { onConflict(err); return; }
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };

  const render = (f: FieldDef): ReactNode => {
    const label = t(f.label);
    const common = { label, required: f.required, error: fieldError(f), hint: f.hint ? t(f.hint) : undefined };
    const str = typeof values[f.name] === 'string' ? (values[f.name] as string) : '';
    switch (f.kind) {
      case 'text': return <TextField {...common} value={str} onChange={(e) => set(f.name, e.target.value)} />;
      case 'number': return <TextField {...common} type="number" min="0.1" step="any" value={str} onChange={(e) => set(f.name, e.target.value)} />;
      case 'textarea': return <TextArea {...common} rows={3} value={str} onChange={(e) => set(f.name, e.target.value)} />;
      case 'select': {
        const options = (f.options ?? []).filter((o) => !(onlyUrge && f.name === 'level' && o.value !== 'urge')).map((o) => ({ value: o.value, label: t(o.label) }));
        return <Select {...common} options={options} value={str} onChange={(e) => set(f.name, e.target.value)} />;
      }
      case 'unit': return (
        <Select {...common} required={f.required && !values.gridMemberId} disabled={!!values.gridMemberId} options={unitOptions}
          placeholder={units ? t({ zh: '请选择单位', en: 'Choose a unit' }) : t('common.loading')} value={str} onChange={(e) => set(f.name, e.target.value)} />
      );
      case 'gridmember': return (
        <Select {...common} options={[
          { value: '', label: t({ zh: '不派给网格员（派给上面的单位）', en: 'No: the unit above' }) },
          ...(members ?? []).map((m) => ({ value: m.id, label: `${m.name}${m.regions.length ? `（${m.regions.map((r) => r.name).join('、')}）` : ''}` })),
        ]} value={str} onChange={(e) => set(f.name, e.target.value)}
        hint={members && members.length === 0 ? t({ zh: '本案所在地没有可派的网格员', en: 'No grid member covers this place' }) : common.hint} />
      );
      case 'verifier': return (
        <Select {...common} options={[
          { value: '', label: t({ zh: '不指定（范围内任一监督员均可核实）', en: 'Nobody in particular (anyone in scope)' }) },
          ...(verifiers ?? []).map((o) => ({ value: o.id, label: o.nearest ? `${o.name} · ${o.nearest}` : o.name })),
        ]} value={str} onChange={(e) => set(f.name, e.target.value)} data-testid="verifier-select"
        hint={verifiers === undefined ? t('common.loading') : verifiers.length === 0
          ? t({ zh: '本案所在地没有可指定的监督员或网格员', en: 'No inspector or grid member covers this place' }) : common.hint} />
      );
      case 'subunit': return (
        <Select {...common} options={(subUnits ?? []).map((u) => ({ value: u.id, label: u.name }))}
          placeholder={subUnits === undefined ? t('common.loading') : subUnits.length ? t({ zh: '请选择下级单位', en: 'Choose a sub-unit' }) : t({ zh: '本单位没有下级单位', en: 'This unit has no sub-units' })}
          value={str} onChange={(e) => set(f.name, e.target.value)} />
      );
      case 'units': {
        const chosen = (values[f.name] as string[] | undefined) ?? [];
        return (
          <>
            <Select {...common} multiple size={4} disabled={!!values.gridMemberId} options={unitOptions.filter((o) => o.value !== values.unitId)} value={chosen}
              onChange={(e) => set(f.name, [...e.target.selectedOptions].map((o) => o.value))} />
            {!values.gridMemberId && (
              <AssistInstructions unitIds={chosen.filter((u) => u !== values.unitId)} unitName={(id) => unitOptions.find((o) => o.value === id)?.label ?? id}
                value={(values.assistInstructions as Record<string, string> | undefined) ?? {}} onChange={(x) => set('assistInstructions', x)} />
            )}
          </>
        );
      }
      case 'yesno': return (
        <fieldset className="field yesno">
          <legend>{label}{f.required && <span className="req" aria-hidden="true"> *</span>}</legend>
          <label><input type="radio" name={`${action}-${f.name}`} value="yes" required={f.required} checked={values[f.name] === 'yes'} onChange={() => set(f.name, 'yes')} /> {t({ zh: '满意', en: 'Satisfied' })}</label>
          <label><input type="radio" name={`${action}-${f.name}`} value="no" checked={values[f.name] === 'no'} onChange={() => set(f.name, 'no')} /> {t({ zh: '不满意', en: 'Not satisfied' })}</label>
          {fieldError(f) && <div className="field-error" role="alert">{fieldError(f)}</div>}
        </fieldset>
      );
      case 'files': return (
        <div>
          <TextField {...common} type="file" accept="image/*" multiple
            onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, 10))} />
          {files.length > 0 && <ul className="file-list">{files.map((x) => <li key={x.name + x.size}>{x.name} · {Math.ceil(x.size / 1024)} KB</li>)}</ul>}
        </div>
      );
    }
  };

  return (
    <form className="action-form card" onSubmit={submit} aria-label={t(actionMsg(action))}>
      <h3>{t(actionMsg(action))}</h3>
      {stale && (
        <p className="form-error" role="alert" data-testid="stale-form">
          {t({ zh: '您填写期间案件已被更新（现为“{s}”），请核对案件信息和流转记录后再提交。', en: 'The case was updated while you were filling this in (now “{s}”): check it and its timeline before you submit.' }, { s: t(c.stateLabel) })}
        </p>
      )}
      {['approve_postpone', 'deny_postpone', 'approve_hang', 'deny_hang'].includes(action) && <PendingRequest c={c} />}
      {action === 'merge_into' && <MergeCandidates c={c} chosen={typeof values.master === 'string' ? values.master : ''}
        onPick={(caseNo) => setValues((v) => ({ ...v, master: caseNo }))} />}
      <FormError>{formLevelError}</FormError>
      {fields.map((f) => <Fragment key={f.name}>{render(f)}</Fragment>)}
      <div className="form-actions">
        <button type="submit" className={`btn ${DANGER.has(action) ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
          {busy ? t({ zh: '提交中…', en: 'Sending…' }) : t({ zh: '确认{a}', en: 'Confirm: {a}' }, { a: t(actionMsg(action)) })}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

/** Open cases nearby that this one may duplicate (the duplicate policy's preview): merge by picking one, not by typing. */
function MergeCandidates({ c, chosen, onPick }: { c: CaseDto; chosen: string; onPick: (caseNo: string) => void }) {
  const { t, locale } = useI18n();
  const loc = c.location;
  const q = useQuery((signal) => (loc
    ? api.GET('/api/v1/duplicates/preview', { params: { query: { matterCode: c.matter.code, lon: loc.lon, lat: loc.lat } }, signal })
    : Promise.resolve(undefined)), [c.id, c.matter.code, loc?.lon, loc?.lat]);
  const items = (q.data?.items ?? []).filter((i) => i.id !== c.id);
  if (!loc) return null;
  return (
    <fieldset className="merge-candidates" data-testid="merge-candidates">
      <legend>{t({ zh: '附近可能重复的案件（点选即填入）', en: 'Open cases nearby it may duplicate (pick one)' })}</legend>
      {q.loading && !q.data ? <span className="muted">{t('common.loading')}</span>
        : items.length === 0 ? <span className="muted">{t({ zh: '附近没有同类的未结案件，可直接输入主案件编号。', en: 'No open case of its kind nearby: type the master case number.' })}</span>
          : items.map((i) => (
            <button key={i.id} type="button" className={`btn btn-small merge-candidate${chosen === i.caseNo ? ' btn-primary' : ''}`} onClick={() => onPick(i.caseNo)}>
              {i.caseNo} · {locale === 'en' ? i.stateLabel.en : i.stateLabel.zh} · {Math.round(i.distanceMeters)} m · {formatDateTime(i.createdAt, locale)}
            </button>
          ))}
    </fieldset>
  );
}

/** The actions panel of the case detail page. `onChanged` reloads the case (and its history). */
export function CaseActions({ c, onChanged }: { c: CaseDto; onChanged: (next?: CaseDto) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'conflict'; text: string; state?: string } | undefined>();
  // "已派发核实" is true only while the case is where that action left it: once the reloaded case has shown that state
  // and then moves on, the notice goes (not before the reload: the case shown may still be the one before the action)
  const noticeSeen = useRef(false);
  useEffect(() => {
    if (notice?.kind !== 'ok' || !notice.state) return;
    if (c.state === notice.state) noticeSeen.current = true;
    else if (noticeSeen.current) setNotice(undefined);
  }, [c.state, notice]);
  // Exactly what the server says this user may do now (merge and split of duplicates included).
  const actions = c.allowedActions.filter((a) => !isLevelAction(a)); // 上报/下派/接收/退回: the level panel (../levels)
  // The case as it was when the form was opened: a live reload (another user, another tab) that moves it on is said,
  // never silent — a form whose action is no longer allowed closes with a notice; one still allowed warns.
  const [openedVersion, setOpenedVersion] = useState<number | undefined>();
  useEffect(() => {
    if (open && !actions.includes(open)) {
      setNotice({
        kind: 'conflict',
        text: t({ zh: '案件已被他人更新，现为“{s}”，“{a}”已不能办理，表单已关闭。', en: 'Someone else moved the case on (now “{s}”): “{a}” is no longer possible, the form was closed.' },
          { s: t(c.stateLabel), a: t(actionMsg(open)) }),
      });
      setOpen(undefined);
    }
  }, [actions, open, c.stateLabel, t]);

  return (
    <section className="card case-actions" aria-labelledby="case-actions-h">
      <h2 id="case-actions-h">{t({ zh: '办理', en: 'Actions' })}</h2>
      {notice && (
        <div className={notice.kind === 'ok' ? 'notice-ok' : 'form-error'} role={notice.kind === 'ok' ? 'status' : 'alert'}>
          {notice.text}
          <button type="button" className="notice-close" aria-label={t({ zh: '关闭提示', en: 'Dismiss' })} onClick={() => setNotice(undefined)}>×</button>
        </div>
      )}
      {actions.length === 0 ? (
        <p className="muted">{t({ zh: '您在本案当前环节没有可办理的操作。', en: 'Nothing for you to do on this case now.' })}</p>
      ) : (
        <div className="action-buttons">
          {actions.map((a) => (
            <button key={a} type="button" aria-expanded={open === a} data-action={a}
              className={`btn ${open === a ? 'btn-primary' : PRIMARY.has(a) ? 'btn-strong' : ''}`}
              onClick={() => { setNotice(undefined); setOpen(open === a ? undefined : a); setOpenedVersion(c.version); }}>
              {t(actionMsg(a))}
            </button>
          ))}
        </div>
      )}
      {open && (
        <ActionForm key={open} action={open} c={c} onCancel={() => setOpen(undefined)}
          stale={openedVersion !== undefined && openedVersion !== c.version}
          onDone={(next) => {
            noticeSeen.current = false;
            setNotice({ kind: 'ok', text: t({ zh: '已{a}：案件现为“{s}”', en: 'Done ({a}): the case is now “{s}”' }, { a: t(actionMsg(open)), s: t(next.stateLabel) }), state: next.state });
            setOpen(undefined);
            onChanged(next);
          }}
          onConflict={(e) => {
            const changed = e.code === 'CONFLICT' && e.field === 'version';
            setNotice({
              kind: 'conflict',
              text: changed
                ? `${t({ zh: '案件已被他人更新，已重新加载，请核对后重试。', en: 'Someone else changed the case meanwhile: it was reloaded, check it and retry.' })} (${e.message})`
                : `${e.message}${t({ zh: '（已重新加载案件）', en: ' (the case was reloaded)' })}`,
            });
            setOpen(undefined);
            onChanged();
          }} />
      )}
    </section>
  );
}
