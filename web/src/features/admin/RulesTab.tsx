/**
 * The responsibility list (事项责任清单): the current version as an editable draft, validation (errors: ties,
 * unknown ids, missing fallbacks; warnings: gaps), saving as a new version, the versions, and the
 * "who would get this?" tester with a map click to pick the point.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { FeatureCollection } from 'geojson';
import { api, isApiError, useQuery, type ApiError, type BodyOf, type QueryOf, type QueryState, type ResponseOf } from '../../app/api.ts';
import type { ElementOf } from '../../api/types.ts';
import { useI18n, formatDateTime, type Msg } from '../../app/i18n.ts';
import { useMessage } from '../../app/messages.ts';
import { MapView, type MapClick, type MapLayer } from '../../components/MapView.tsx';
import { FormError, Select, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import {
  fieldsOf, LEVEL_LABELS, LIMIT_UNIT_LABELS, numberOr, Pager, regionOptions, stringOr, unitOptions, URGENCIES, URGENCY_LABELS, usePaged, useLabel,
  useReference, type Matter,
} from './shared.tsx';

/** A rule as the list is saved (and as the draft holds it). */
type Rule = ElementOf<BodyOf<'/api/v1/rules', 'post'>['rules']>;
type CurrentList = ResponseOf<'/api/v1/rules', 'get'>;
type Versions = ResponseOf<'/api/v1/rules/versions', 'get'>;
type Report = ResponseOf<'/api/v1/rules/validate', 'post'>['report'];
type Explain = ResponseOf<'/api/v1/routing/explain', 'get'>;
type Urgency = NonNullable<QueryOf<'/api/v1/routing/explain', 'get'>['urgency']>;

/**
 * One issue of a report as the table shows it. The document types the report's errors, warnings and stats as
 * unknown, so they are read field by field (a missing field shows as —), not assumed.
 */
interface IssueRow { code: string; message: string; ruleIds: string[]; level: 'error' | 'warning' }
function issueRow(x: unknown, level: IssueRow['level']): IssueRow {
  const o = fieldsOf(x);
  const ruleIds = Array.isArray(o.ruleIds) ? o.ruleIds.filter((r): r is string => typeof r === 'string') : [];
  return { code: stringOr(o.code, ''), message: stringOr(o.message, ''), ruleIds, level };
}

const ISSUE_LABELS: Record<string, Msg> = {
  TIE: { zh: '规则冲突', en: 'Tie' }, GAP: { zh: '未覆盖', en: 'Gap' }, UNKNOWN_REGION: { zh: '区域不存在', en: 'Unknown region' },
  UNKNOWN_UNIT: { zh: '单位不存在', en: 'Unknown unit' }, UNKNOWN_MATTER: { zh: '事项不存在', en: 'Unknown matter' }, BAD_RULE: { zh: '规则有误', en: 'Bad rule' },
  NO_FALLBACK: { zh: '缺少兜底单位', en: 'No fallback unit' },
};
const OUTCOME_LABELS: Record<string, Msg> = {
  rule: { zh: '按规则', en: 'by rule' }, part_owner: { zh: '按部件权属', en: 'by part owner' }, fallback: { zh: '兜底单位', en: 'fallback unit' },
};

const clean = (r: Rule): Rule => {
  const out: Rule = { id: r.id, regionId: r.regionId, unitId: r.unitId };
  if (r.matterCode) out.matterCode = r.matterCode;
  if (r.matterClass) out.matterClass = r.matterClass;
  if (r.partOwnerUnitId) out.partOwnerUnitId = r.partOwnerUnitId;
  if (r.assistingUnitIds?.length) out.assistingUnitIds = r.assistingUnitIds;
  if (r.note) out.note = r.note;
  return out;
};
const same = (a: Rule[], b: Rule[]) => JSON.stringify(a.map(clean)) === JSON.stringify(b.map(clean));

export function RulesTab() {
  const ref = useReference();
  const current = useQuery((signal) => api.GET('/api/v1/rules', { signal }), []);
  const versions = useQuery((signal) => api.GET('/api/v1/rules/versions', { signal }), []);
  const matters = useQuery((signal) => api.GET('/api/v1/catalog/matters', { signal }), []);
  const reload = () => { current.reload(); versions.reload(); };
  return (
    <div className="admin-grid">
      <RoutingTester matters={matters.data?.items ?? []} />
      <RuleEditor current={current} ref_={ref} matters={matters.data?.items ?? []} onSaved={reload} />
      <Versions q={versions} />
    </div>
  );
}

// ---- the list ----------------------------------------------------------------------------------------

function RuleEditor({ current, ref_, matters, onSaved }: {
  current: QueryState<CurrentList>; ref_: ReturnType<typeof useReference>; matters: Matter[]; onSaved: () => void;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<Rule[] | undefined>();
  const [base, setBase] = useState<number | undefined>();
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | undefined>();
  const [adding, setAdding] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<'validate' | 'save' | undefined>();
  const [report, setReport] = useState<{ report: Report; kind: 'validate' | 'refused' } | undefined>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<number | undefined>();

  useEffect(() => {
    if (current.data && (draft === undefined || base !== current.data.version)) { setDraft(current.data.rules.map(clean)); setBase(current.data.version); }
  }, [current.data, draft, base]);

  const matterName = useMemo(() => new Map(matters.map((m) => [m.code, m.name])), [matters]);
  const className = useMemo(() => new Map(matters.map((m) => [m.classCode, m.className])), [matters]);
  const f = filter.trim().toLowerCase();
  const shown = (draft ?? []).filter((r) => !f || [r.id, r.matterCode, r.matterClass, r.regionId, r.unitId, ref_.regionById.get(r.regionId)?.name, ref_.unitById.get(r.unitId)?.name,
    r.matterCode && matterName.get(r.matterCode), r.note].some((x) => x && x.toLowerCase().includes(f)));
  const paged = usePaged(shown, 20, f);

  if (current.error) return <section className="card admin-wide"><ErrorState error={current.error} onRetry={current.reload} /></section>;
  if (!current.data || !draft) return <section className="card admin-wide"><Loading /></section>;
  const changed = !same(draft, current.data.rules);

  const send = async (kind: 'validate' | 'save') => {
    setBusy(kind); setError(undefined); setReport(undefined); setSaved(undefined);
    const body = { rules: draft.map(clean), ...(note.trim() ? { note: note.trim() } : {}) };
    try {
      if (kind === 'validate') {
        const r = await api.POST('/api/v1/rules/validate', { body });
        setReport({ report: r.report, kind: 'validate' });
      } else {
        const r = await api.POST('/api/v1/rules', { body });
        setSaved(r.version);
        setReport({ report: r.report, kind: 'validate' });
        setNote('');
        onSaved();
      }
    } catch (err) {
      const rep = isApiError(err) ? (err.details.details as { report?: Report } | undefined)?.report : undefined;
      if (rep) setReport({ report: rep, kind: 'refused' });
      else setError(err);
    } finally { setBusy(undefined); }
  };

  const matterText = (r: Rule) => r.matterCode ? `${r.matterCode} ${matterName.get(r.matterCode) ?? ''}` : `${t({ zh: '大类', en: 'class' })} ${r.matterClass} ${className.get(r.matterClass ?? '') ?? ''}`;

  return (
    <section className="card admin-wide" aria-labelledby="rules-h">
      <div className="row-between">
        <h2 id="rules-h">{t({ zh: '事项责任清单', en: 'Responsibility list' })}</h2>
        <span className="muted" data-testid="rules-version">
          {current.data.version > 0
            ? t({ zh: '当前版本 v{v}（{n} 条规则，{at}）', en: 'Current version v{v} ({n} rules, {at})' }, { v: current.data.version, n: current.data.rules.length, at: formatDateTime(current.data.createdAt) })
            : t({ zh: '尚未保存过清单', en: 'No list saved yet' })}
        </span>
      </div>
      {current.data.note && <p className="muted">{current.data.note}</p>}
      <div className="form-cols">
        <TextField label={t({ zh: '筛选规则（编号、事项、区域、单位）', en: 'Filter rules (id, matter, region, unit)' })} type="search" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => { setAdding((x) => !x); setEditing(undefined); }} aria-expanded={adding}>{t({ zh: '添加规则', en: 'Add a rule' })}</button>
        {changed && <button type="button" className="btn" onClick={() => { setDraft(current.data!.rules.map(clean)); setReport(undefined); }}>{t({ zh: '放弃修改', en: 'Discard changes' })}</button>}
        <span className={changed ? 'tag tag-warn' : 'muted'} data-testid="draft-state">{changed ? t({ zh: '草稿已修改，尚未保存', en: 'Draft changed, not saved' }) : t({ zh: '与当前版本相同', en: 'Same as the current version' })}</span>
      </div>
      {adding && (
        <RuleForm ref_={ref_} matters={matters} existingIds={new Set(draft.map((r) => r.id))}
          initial={{ id: nextRuleId(draft), regionId: '', unitId: '' }}
          onSubmit={(r) => { setDraft([...draft, r]); setAdding(false); setFilter(r.id); setReport(undefined); }} onCancel={() => setAdding(false)} />
      )}
      {shown.length === 0 ? <EmptyState /> : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="rules-table">
              <thead>
                <tr>
                  <th>{t({ zh: '编号', en: 'Id' })}</th><th>{t({ zh: '事项', en: 'Matter' })}</th><th>{t({ zh: '区域', en: 'Region' })}</th>
                  <th>{t({ zh: '处置单位', en: 'Handling unit' })}</th><th>{t({ zh: '协办单位', en: 'Assisting' })}</th><th>{t({ zh: '部件权属', en: 'Part owner' })}</th>
                  <th>{t({ zh: '备注', en: 'Note' })}</th><th>{t({ zh: '操作', en: 'Actions' })}</th>
                </tr>
              </thead>
              <tbody>
                {paged.rows.map((r) => editing === r.id ? (
                  <tr key={r.id}><td colSpan={8}>
                    <RuleForm ref_={ref_} matters={matters} existingIds={new Set(draft.filter((x) => x.id !== r.id).map((x) => x.id))} initial={r}
                      onSubmit={(n) => { setDraft(draft.map((x) => (x.id === r.id ? n : x))); setEditing(undefined); setReport(undefined); }} onCancel={() => setEditing(undefined)} />
                  </td></tr>
                ) : (
                  <tr key={r.id}>
                    <td><code>{r.id}</code></td>
                    <td>{matterText(r)}</td>
                    <td>{ref_.regionById.get(r.regionId)?.name ?? <code>{r.regionId}</code>}</td>
                    <td>{ref_.unitById.get(r.unitId)?.name ?? <code>{r.unitId}</code>}</td>
                    <td>{(r.assistingUnitIds ?? []).map((u) => ref_.unitById.get(u)?.name ?? u).join('、') || '—'}</td>
                    <td>{r.partOwnerUnitId ? ref_.unitById.get(r.partOwnerUnitId)?.name ?? r.partOwnerUnitId : '—'}</td>
                    <td className="cell-note">{r.note ?? ''}</td>
                    <td className="actions">
                      <button type="button" className="btn btn-small" onClick={() => { setEditing(r.id); setAdding(false); }} aria-label={t({ zh: '修改 {id}', en: 'Edit {id}' }, { id: r.id })}>{t({ zh: '修改', en: 'Edit' })}</button>
                      <button type="button" className="btn btn-small" onClick={() => { setDraft(draft.filter((x) => x.id !== r.id)); setReport(undefined); }} aria-label={t({ zh: '删除 {id}', en: 'Remove {id}' }, { id: r.id })}>{t({ zh: '删除', en: 'Remove' })}</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager {...paged} label={t({ zh: '规则分页', en: 'Rule pages' })} />
        </>
      )}
      <div className="save-bar">
        <TextField label={t({ zh: '修改说明（随版本保存）', en: 'What changed and why (kept with the version)' })} value={note} maxLength={500} onChange={(e) => setNote(e.currentTarget.value)} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => send('validate')} disabled={!!busy}>{busy === 'validate' ? t({ zh: '正在校验…', en: 'Validating…' }) : t({ zh: '校验清单', en: 'Validate' })}</button>
          <button type="button" className="btn btn-primary" onClick={() => send('save')} disabled={!!busy || !changed}>{busy === 'save' ? t({ zh: '正在保存…', en: 'Saving…' }) : t({ zh: '保存为新版本', en: 'Save as a new version' })}</button>
        </div>
      </div>
      {error !== undefined && <FormError>{errorText(error)}{isApiError(error) && error.field ? ` (${error.field})` : ''}</FormError>}
      {saved !== undefined && <div className="notice notice-ok" role="status">{t({ zh: '已保存为版本 v{v}，新案件立即按此版本派遣。', en: 'Saved as version v{v}; new cases are routed by it at once.' }, { v: saved })}</div>}
      {report && <ReportView report={report.report} refused={report.kind === 'refused'} />}
    </section>
  );
}

function nextRuleId(rules: Rule[]): string {
  let max = 0;
  for (const r of rules) { const m = /^RULE-(\d+)$/.exec(r.id); if (m) max = Math.max(max, Number(m[1])); }
  return `RULE-${String(max + 1).padStart(4, '0')}`;
}

function RuleForm({ ref_, matters, initial, existingIds, onSubmit, onCancel }: {
  ref_: ReturnType<typeof useReference>; matters: Matter[]; initial: Rule; existingIds: Set<string>; onSubmit: (r: Rule) => void; onCancel: () => void;
}) {
  const { t } = useI18n();
  const label = useLabel();
  const [id, setId] = useState(initial.id);
  const [by, setBy] = useState<'code' | 'class'>(initial.matterClass ? 'class' : 'code');
  const [matter, setMatter] = useState(initial.matterCode ?? initial.matterClass ?? '');
  const [regionId, setRegionId] = useState(initial.regionId);
  const [unitId, setUnitId] = useState(initial.unitId);
  const [assisting, setAssisting] = useState((initial.assistingUnitIds ?? []).join(', '));
  const [partOwner, setPartOwner] = useState(initial.partOwnerUnitId ?? '');
  const [note, setNote] = useState(initial.note ?? '');
  const [problem, setProblem] = useState<string | undefined>();
  const classes = useMemo(() => [...new Map(matters.map((m) => [m.classCode, m.className]))].sort(([a], [b]) => a.localeCompare(b)), [matters]);
  const units = unitOptions(ref_.units.data?.items ?? []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (existingIds.has(id.trim())) { setProblem(t({ zh: '规则编号 {id} 已存在', en: 'Rule id {id} is taken' }, { id })); return; }
    const r: Rule = { id: id.trim(), regionId, unitId, ...(by === 'code' ? { matterCode: matter.trim() } : { matterClass: matter.trim() }) };
    const a = assisting.split(/[,，\s]+/).filter(Boolean);
    if (a.length) r.assistingUnitIds = a;
    if (partOwner) r.partOwnerUnitId = partOwner;
    if (note.trim()) r.note = note.trim();
    onSubmit(r);
  };
  return (
    <form className="subform" onSubmit={submit} aria-label={t({ zh: '规则', en: 'Rule' })}>
      <FormError>{problem}</FormError>
      <div className="form-cols">
        <TextField label={t({ zh: '规则编号', en: 'Rule id' })} required maxLength={64} value={id} onChange={(e) => setId(e.currentTarget.value)} />
        <Select label={t({ zh: '按', en: 'By' })} value={by} onChange={(e) => { setBy(e.currentTarget.value as 'code' | 'class'); setMatter(''); }}
          options={[{ value: 'code', label: t({ zh: '事项小类（5 位编码）', en: 'Matter code (5 digits)' }) }, { value: 'class', label: t({ zh: '事项大类（2 位）', en: 'Matter class (2 digits)' }) }]} />
        {by === 'code'
          ? <Select label={t({ zh: '事项', en: 'Matter' })} required value={matter} onChange={(e) => setMatter(e.currentTarget.value)} placeholder={t({ zh: '请选择', en: 'Choose' })}
            options={matters.map((m) => ({ value: m.code, label: `${m.code} ${m.name}` }))} />
          : <Select label={t({ zh: '大类', en: 'Class' })} required value={matter} onChange={(e) => setMatter(e.currentTarget.value)} placeholder={t({ zh: '请选择', en: 'Choose' })}
            options={classes.map(([c, n]) => ({ value: c, label: `${c} ${n}` }))} />}
        <Select label={t({ zh: '区域（含下级）', en: 'Region (and below)' })} required value={regionId} onChange={(e) => setRegionId(e.currentTarget.value)} placeholder={t({ zh: '请选择', en: 'Choose' })}
          options={regionOptions(ref_.regions.data?.items ?? [], (l) => label(LEVEL_LABELS, l))} />
        <Select label={t({ zh: '处置单位', en: 'Handling unit' })} required value={unitId} onChange={(e) => setUnitId(e.currentTarget.value)} placeholder={t({ zh: '请选择', en: 'Choose' })} options={units} />
        <Select label={t({ zh: '部件权属单位（可选）', en: 'Part owner (optional)' })} value={partOwner} onChange={(e) => setPartOwner(e.currentTarget.value)} placeholder={t({ zh: '不限', en: 'Any' })} options={units} />
        <TextField label={t({ zh: '协办单位编号（逗号分隔）', en: 'Assisting unit ids (comma separated)' })} value={assisting} onChange={(e) => setAssisting(e.currentTarget.value)} />
        <TextField label={t({ zh: '备注', en: 'Note' })} maxLength={500} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">{t({ zh: '放入草稿', en: 'Put in the draft' })}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function ReportView({ report, refused }: { report: Report; refused: boolean }) {
  const { t } = useI18n();
  const label = useLabel();
  const s = fieldsOf(report.stats);
  const stat = (k: string) => numberOr(s[k], undefined);
  const coverage = stat('coverage');
  const issues = [...report.errors.map((i) => issueRow(i, 'error')), ...report.warnings.map((i) => issueRow(i, 'warning'))];
  const paged = usePaged(issues, 20, report);
  return (
    <div className="report" data-testid="rules-report" aria-live="polite">
      <h3>{t({ zh: '校验报告', en: 'Validation report' })}</h3>
      <div className={`notice ${report.ok ? 'notice-ok' : 'notice-error'}`} role={report.ok ? 'status' : 'alert'}>
        {report.ok
          ? t({ zh: '没有错误（{w} 条警告），可以保存。', en: 'No errors ({w} warnings): the list can be saved.' }, { w: report.warnings.length })
          : t({ zh: '有 {e} 个错误、{w} 条警告{r}。', en: '{e} error(s), {w} warning(s){r}.' }, { e: report.errors.length, w: report.warnings.length, r: refused ? t({ zh: '，未保存', en: '; nothing was saved' }) : '' })}
      </div>
      <dl className="kv kv-inline">
        <dt>{t({ zh: '规则数', en: 'Rules' })}</dt><dd>{stat('rules') ?? '—'}</dd>
        <dt>{t({ zh: '覆盖率', en: 'Coverage' })}</dt><dd>{coverage !== undefined ? `${(coverage * 100).toFixed(1)}%` : '—'}</dd>
        <dt>{t({ zh: '未覆盖（事项×区域）', en: 'Gaps (matter × region)' })}</dt><dd>{stat('gapPairs') ?? '—'}</dd>
        <dt>{t({ zh: '冲突组', en: 'Tie groups' })}</dt><dd>{stat('tieGroups') ?? '—'}</dd>
      </dl>
      {issues.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th>{t({ zh: '级别', en: 'Level' })}</th><th>{t({ zh: '类型', en: 'Kind' })}</th><th>{t({ zh: '规则', en: 'Rules' })}</th><th>{t({ zh: '说明', en: 'Message' })}</th></tr></thead>
              <tbody>
                {paged.rows.map((i, n) => (
                  <tr key={n} className={i.level === 'error' ? 'row-error' : 'row-warning'}>
                    <td>{i.level === 'error' ? <span className="tag tag-off">{t({ zh: '错误', en: 'Error' })}</span> : <span className="tag tag-warn">{t({ zh: '警告', en: 'Warning' })}</span>}</td>
                    <td>{label(ISSUE_LABELS, i.code)} <code className="muted">{i.code}</code></td>
                    <td>{i.ruleIds.map((r) => <code key={r} className="code-chip">{r}</code>)}</td>
                    <td>{i.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager {...paged} label={t({ zh: '报告分页', en: 'Report pages' })} />
        </>
      )}
    </div>
  );
}

function Versions({ q }: { q: QueryState<Versions> }) {
  const { t, locale } = useI18n();
  const items = q.data?.items ?? [];
  const paged = usePaged(items, 10);
  const [open, setOpen] = useState<number | undefined>();
  return (
    <section className="card admin-wide" aria-labelledby="versions-h">
      <h2 id="versions-h">{t({ zh: '历史版本', en: 'Versions' })}</h2>
      {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading /> : items.length === 0 ? <EmptyState /> : (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="versions-table">
              <thead>
                <tr>
                  <th>{t({ zh: '版本', en: 'Version' })}</th><th>{t({ zh: '保存时间', en: 'Saved' })}</th><th>{t({ zh: '规则数', en: 'Rules' })}</th>
                  <th>{t({ zh: '错误/警告', en: 'Errors / warnings' })}</th><th>{t({ zh: '覆盖率', en: 'Coverage' })}</th><th>{t({ zh: '说明', en: 'Note' })}</th><th />
                </tr>
              </thead>
              <tbody>
                {paged.rows.map((v) => (
                  <tr key={v.version}>
                    <td>v{v.version} {v.current && <span className="tag tag-ok">{t({ zh: '当前', en: 'current' })}</span>}</td>
                    <td>{formatDateTime(v.createdAt, locale)}</td><td>{v.ruleCount}</td>
                    <td>{v.summary.errors} / {v.summary.warnings}</td>
                    <td>{v.summary.coverage === null ? '—' : `${(v.summary.coverage * 100).toFixed(1)}%`}</td>
                    <td>{v.note ?? ''}</td>
                    <td><button type="button" className="btn btn-small" aria-expanded={open === v.version} onClick={() => setOpen(open === v.version ? undefined : v.version)}
                      aria-label={t({ zh: '版本 v{v} 的校验报告', en: 'Report of version v{v}' }, { v: v.version })}>{t({ zh: '校验报告', en: 'Report' })}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager {...paged} label={t({ zh: '版本分页', en: 'Version pages' })} />
          {open !== undefined && <VersionReport version={open} />}
        </>
      )}
    </section>
  );
}

function VersionReport({ version }: { version: number }) {
  const { t } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/rules/versions/{version}', { params: { path: { version } }, signal }), [version]);
  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data || q.data.version !== version) return <Loading inline />;
  return (
    <div data-testid="version-report">
      <h3>{t({ zh: '版本 v{v}', en: 'Version v{v}' }, { v: version })}</h3>
      <ReportView report={q.data.report} refused={false} />
    </div>
  );
}

// ---- who would get this? ---------------------------------------------------------------------------------

function RoutingTester({ matters }: { matters: Matter[] }) {
  const { t } = useI18n();
  const msg = useMessage();
  const label = useLabel();
  const errorText = useErrorText();
  const [matterCode, setMatterCode] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Explain | undefined>();
  const [error, setError] = useState<ApiError | Error | undefined>();

  const point = Number.isFinite(parseFloat(lon)) && Number.isFinite(parseFloat(lat)) ? [parseFloat(lon), parseFloat(lat)] : undefined;
  const layers = useMemo<MapLayer[]>(() => {
    if (!point) return [];
    const data: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: point } }] };
    return [{ id: 'tester-point', type: 'circle', data, paint: { 'circle-color': '#d32f2f', 'circle-radius': 7, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } }];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lon, lat]);

  const onMap = (e: MapClick) => { setLon(e.lngLat.lng.toFixed(6)); setLat(e.lngLat.lat.toFixed(6)); setAnswer(undefined); };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(undefined); setAnswer(undefined);
    try {
      // The coordinates go as typed (a stray character makes NaN, which the server refuses, as before).
      setAnswer(await api.GET('/api/v1/routing/explain', { params: { query: { matterCode, lon: Number(lon), lat: Number(lat), urgency } } }));
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  const apiErr = isApiError(error) ? error : undefined;
  const d = answer?.decision;

  return (
    <section className="card admin-wide" aria-labelledby="tester-h">
      <h2 id="tester-h">{t({ zh: '派给谁？（派遣测试）', en: 'Who would get this? (routing tester)' })}</h2>
      <p className="muted">{t({ zh: '选择事项，在地图上点击或输入坐标，按当前清单计算承办单位；不会创建案件。', en: 'Choose a matter, click the map or type a point: the current list decides the unit. Nothing is created.' })}</p>
      <div className="tester">
        <form onSubmit={submit} aria-label={t({ zh: '派遣测试', en: 'Routing tester' })}>
          <Select label={t({ zh: '事项', en: 'Matter' })} id="tester-matter" required value={matterCode} onChange={(e) => setMatterCode(e.currentTarget.value)}
            placeholder={t({ zh: '请选择事项', en: 'Choose a matter' })} options={matters.map((m) => ({ value: m.code, label: `${m.code} ${m.name}` }))}
            error={apiErr?.field === 'matterCode' ? apiErr.message : undefined} />
          <Select label={t({ zh: '紧急程度', en: 'Urgency' })} value={urgency} onChange={(e) => setUrgency(e.currentTarget.value as Urgency)}
            options={URGENCIES.map((u) => ({ value: u, label: label(URGENCY_LABELS, u) }))} />
          <div className="form-cols form-cols-2">
            <TextField label={t({ zh: '经度', en: 'Longitude' })} id="tester-lon" required inputMode="decimal" value={lon} onChange={(e) => setLon(e.currentTarget.value)}
            />
            <TextField label={t({ zh: '纬度', en: 'Latitude' })} id="tester-lat" required inputMode="decimal" value={lat} onChange={(e) => setLat(e.currentTarget.value)}
              error={apiErr?.field === 'lat' ? apiErr.message : undefined} />
          </div>
          <button type="submit" className="btn btn-primary" disabled={busy || !matterCode || !point}>{busy ? t({ zh: '正在计算…', en: 'Working…' }) : t({ zh: '测试派遣', en: 'Who gets it?' })}</button>
          {error && !['matterCode', 'lat'].includes(apiErr?.field ?? '') && <div className="form-gap"><FormError>{errorText(error)}</FormError></div>}
        </form>
        <MapView height={360} onClick={onMap} layers={layers} show={{ districts: true, streets: true, communities: true, grids: true }}
          onReady={(m) => { (window as unknown as { cityopsTesterMap: unknown }).cityopsTesterMap = m; }}
          aria-label={t({ zh: '点击地图选择位置', en: 'Click the map to pick the point' })} />
      </div>
      {answer && d && (
        <div className="answer" data-testid="routing-answer" aria-live="polite">
          <p className="answer-main">
            <strong data-testid="answer-unit">{d.unit.name}</strong>
            {d.ruleId
              ? <>{t({ zh: '，规则 ', en: ', rule ' })}<code data-testid="answer-rule">{d.ruleId}</code></>
              : <>，{label(OUTCOME_LABELS, d.outcome)}{d.fallbackRegion ? `（${d.fallbackRegion.name}）` : ''}</>}
            {t({ zh: '，版本 ', en: ', version ' })}<code data-testid="answer-version">v{d.ruleVersion}</code>
          </p>
          <p className="muted">{msg(answer.explanation, answer.summary)}</p>
          <dl className="kv">
            <dt>{t({ zh: '位置', en: 'Location' })}</dt>
            <dd>{answer.location.outcome === 'inside'
              ? [answer.location.district?.name, answer.location.street?.name, answer.location.community?.name, answer.location.grid?.name].filter(Boolean).join(' / ')
              : t({ zh: '不在任何网格内', en: 'Outside every grid' })}</dd>
            {d.assistingUnits.length > 0 && <><dt>{t({ zh: '协办单位', en: 'Assisting' })}</dt><dd>{d.assistingUnits.map((u) => u.name).join('、')}</dd></>}
            <dt>{t({ zh: '处置时限', en: 'Handling limit' })}</dt><dd>{answer.limits.handle.amount} {label(LIMIT_UNIT_LABELS, answer.limits.handle.unit)}</dd>
            <dt>{t({ zh: '派遣时限', en: 'Dispatch limit' })}</dt><dd>{answer.limits.dispatch.amount} {label(LIMIT_UNIT_LABELS, answer.limits.dispatch.unit)}</dd>
            <dt>{t({ zh: '网格员准入', en: 'Grid members admitted' })}</dt><dd>{answer.gridMemberAdmitted ? t({ zh: '是', en: 'yes' }) : t({ zh: '否', en: 'no' })}</dd>
          </dl>
          {answer.candidates.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <caption>{t({ zh: '候选规则', en: 'Candidate rules' })}</caption>
                <thead><tr><th>{t({ zh: '规则', en: 'Rule' })}</th><th>{t({ zh: '单位', en: 'Unit' })}</th><th>{t({ zh: '匹配', en: 'Matched' })}</th><th>{t({ zh: '原因', en: 'Reason' })}</th></tr></thead>
                <tbody>
                  {answer.candidates.map((c) => (
                    <tr key={c.ruleId}><td><code>{c.ruleId}</code></td><td>{c.unit.name}</td><td>{c.matched ? '✓' : '—'}</td><td>{c.reason}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
