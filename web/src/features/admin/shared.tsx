/** Pieces shared by the admin tabs: API types (from the generated schema), labels, a pager, a reference-data hook. */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, useQuery, type ApiError, type ItemOf, type ResponseOf } from '../../app/api.ts';
import { useI18n, type Msg } from '../../app/i18n.ts';
import type { Role } from '../../app/auth.tsx';

export type Region = ItemOf<ResponseOf<'/api/v1/regions', 'get'>>;
export type Unit = ItemOf<ResponseOf<'/api/v1/units', 'get'>>;
export type Matter = ItemOf<ResponseOf<'/api/v1/catalog/matters', 'get'>>;

/** Every role's label; look up role names from the API (plain strings) with `ROLE_LABELS[name]`, which may be undefined. */
export const ROLE_LABELS: Record<Role, Msg> & Partial<Record<string, Msg>> = {
  operator: { zh: '受理员', en: 'Operator' },
  shift_leader: { zh: '值班长', en: 'Shift leader' },
  dispatcher: { zh: '派遣员', en: 'Dispatcher' },
  inspector: { zh: '监督员', en: 'Inspector' },
  grid_member: { zh: '网格员', en: 'Grid member' },
  unit_handler: { zh: '处置单位经办人', en: 'Unit handler' },
  unit_leader: { zh: '处置单位负责人', en: 'Unit leader' },
  centre_leader: { zh: '中心领导', en: 'Centre leader' },
  admin: { zh: '系统管理员', en: 'Administrator' },
};
export const ROLE_IDS = Object.keys(ROLE_LABELS) as Role[];

export const LEVEL_LABELS: Record<string, Msg> = {
  city: { zh: '市', en: 'City' }, district: { zh: '区', en: 'District' }, street: { zh: '街道/镇', en: 'Street or town' }, community: { zh: '社区', en: 'Community' },
};

export const UNIT_KIND_LABELS: Record<string, Msg> = {
  centre: { zh: '指挥中心', en: 'Centre' }, government: { zh: '政府', en: 'Government' }, department: { zh: '职能部门', en: 'Department' },
  street_office: { zh: '街道办', en: 'Street office' }, community_office: { zh: '社区', en: 'Community office' },
  utility: { zh: '公用企业', en: 'Utility' }, property_company: { zh: '物业', en: 'Property company' }, sub_unit: { zh: '下级单位', en: 'Sub-unit' },
  other: { zh: '其他', en: 'Other' },
};

export const LIMIT_UNIT_LABELS: Record<string, Msg> = {
  work_hours: { zh: '工作时', en: 'work hours' }, work_days: { zh: '工作日', en: 'work days' },
  natural_minutes: { zh: '自然分钟', en: 'minutes' }, natural_hours: { zh: '自然小时', en: 'hours' }, natural_days: { zh: '自然日', en: 'days' },
};
export const LIMIT_UNITS = Object.keys(LIMIT_UNIT_LABELS);

export const URGENCY_LABELS: Record<string, Msg> = {
  normal: { zh: '一般', en: 'Normal' }, urgent: { zh: '紧急', en: 'Urgent' }, very_urgent: { zh: '非常紧急', en: 'Very urgent' },
};
export const URGENCIES = Object.keys(URGENCY_LABELS);

export const STAGE_LABELS: Record<string, Msg> = {
  handle: { zh: '处置', en: 'Handle' }, dispatch: { zh: '派遣', en: 'Dispatch' }, sign: { zh: '签收', en: 'Sign' },
  verify: { zh: '核实', en: 'Verify' }, check: { zh: '核查', en: 'Check' }, dispute: { zh: '争议裁定', en: 'Dispute ruling' },
};
export const STAGES = Object.keys(STAGE_LABELS);

/** A label from a table, falling back to the raw value. */
export function useLabel(): (table: Record<string, Msg>, key: string | null | undefined) => string {
  const { t } = useI18n();
  return (table, key) => (key === null || key === undefined ? '—' : table[key] ? t(table[key]) : key);
}

/** Regions and units, loaded once per tab for names and pickers. */
export function useReference() {
  const regions = useQuery((signal) => api.GET('/api/v1/regions', { signal }), []);
  const units = useQuery((signal) => api.GET('/api/v1/units', { signal }), []);
  const regionById = useMemo(() => new Map((regions.data?.items ?? []).map((r) => [r.id, r])), [regions.data]);
  const unitById = useMemo(() => new Map((units.data?.items ?? []).map((u) => [u.id, u])), [units.data]);
  return { regions, units, regionById, unitById };
}

/** Client-side paging of a long list. */
export function usePaged<T>(items: readonly T[], pageSize: number, resetKey: unknown = undefined) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  useEffect(() => { setPage(0); }, [resetKey]);
  const current = Math.min(page, pages - 1);
  return { page: current, pages, setPage, rows: items.slice(current * pageSize, (current + 1) * pageSize), total: items.length };
}

export function Pager({ page, pages, total, setPage, label }: { page: number; pages: number; total: number; setPage: (n: number) => void; label: string }) {
  const { t } = useI18n();
  if (pages <= 1) return <p className="muted admin-count">{t({ zh: '共 {n} 条', en: '{n} in all' }, { n: total })}</p>;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="btn" onClick={() => setPage(page - 1)} disabled={page === 0}>{t({ zh: '上一页', en: 'Previous' })}</button>
      <span>{t({ zh: '第 {p}/{n} 页，共 {total} 条', en: 'Page {p} of {n}, {total} in all' }, { p: page + 1, n: pages, total })}</span>
      <button type="button" className="btn" onClick={() => setPage(page + 1)} disabled={page >= pages - 1}>{t({ zh: '下一页', en: 'Next' })}</button>
    </nav>
  );
}

/** A multi-select with a real label (keyboard: arrows + space/ctrl). */
export function MultiSelect({ id, label, hint, options, value, onChange, size = 5 }: {
  id: string; label: ReactNode; hint?: ReactNode; options: readonly { value: string; label: string }[]; value: string[]; onChange: (v: string[]) => void; size?: number;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} multiple size={size} value={value} aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange([...e.currentTarget.selectedOptions].map((o) => o.value))}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {hint && <div id={`${id}-hint`} className="field-hint">{hint}</div>}
    </div>
  );
}

/** Role checkboxes in a fieldset. */
export function RolePicker({ value, onChange, legend, error }: { value: Role[]; onChange: (v: Role[]) => void; legend: string; error?: string }) {
  const { t } = useI18n();
  return (
    <fieldset className={`field role-picker${error ? ' field-invalid' : ''}`}>
      <legend>{legend}</legend>
      <div className="role-grid">
        {ROLE_IDS.map((r) => (
          <label key={r} className="check">
            <input type="checkbox" checked={value.includes(r)}
              onChange={(e) => onChange(e.currentTarget.checked ? [...value, r] : value.filter((x) => x !== r))} />
            {t(ROLE_LABELS[r])}
          </label>
        ))}
      </div>
      {error && <div className="field-error" role="alert">{error}</div>}
    </fieldset>
  );
}

/**
 * For the few answer parts the OpenAPI document leaves untyped (`unknown`: the rule report's issues and stats, the
 * grid import's problems): the value's own fields, to be read one by one with a typeof check — never assumed.
 */
export const fieldsOf = (x: unknown): Record<string, unknown> => (x && typeof x === 'object' && !Array.isArray(x) ? x as Record<string, unknown> : {});
export const stringOr = <D,>(v: unknown, d: D): string | D => (typeof v === 'string' ? v : d);
export const numberOr = <D,>(v: unknown, d: D): number | D => (typeof v === 'number' ? v : d);

/** The server's message for a field, when the error is about that field. */
export const fieldError = (error: ApiError | undefined, ...fields: string[]): string | undefined =>
  error && error.field && fields.some((f) => error.field === f || error.field!.startsWith(`${f}[`) || error.field!.startsWith(`${f}.`)) ? error.message : undefined;

/** Build a tree from parent ids: roots first, children in the given order. */
export function childrenMap<T extends { id: string; parentId: string | null }>(items: readonly T[]): { roots: T[]; children: Map<string, T[]> } {
  const ids = new Set(items.map((i) => i.id));
  const children = new Map<string, T[]>();
  const roots: T[] = [];
  for (const i of items) {
    if (i.parentId && ids.has(i.parentId)) {
      const list = children.get(i.parentId) ?? [];
      list.push(i);
      children.set(i.parentId, list);
    } else roots.push(i);
  }
  return { roots, children };
}

export const regionOptions = (regions: readonly Region[], levelLabel: (l: string) => string) =>
  regions.map((r) => ({ value: r.id, label: `${r.name}（${levelLabel(r.level)} ${r.code}）` }));
export const unitOptions = (units: readonly Unit[]) => units.map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }));
