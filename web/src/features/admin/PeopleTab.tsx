/** Units and people: the unit tree, the accounts with their roles and scopes, create / deactivate / reset password. */
import { Fragment, useMemo, useState, type FormEvent } from 'react';
import { api, useQuery, isApiError, type ApiError, type BodyOf, type ItemOf, type ResponseOf } from '../../app/api.ts';
import { useAuth, type Role } from '../../app/auth.tsx';
import { useI18n, formatDateTime } from '../../app/i18n.ts';
import { FormError, Select, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import {
  childrenMap, fieldError, LEVEL_LABELS, MultiSelect, Pager, regionOptions, RolePicker, ROLE_LABELS, UNIT_KIND_LABELS, unitOptions,
  usePaged, useLabel, useReference, type Unit,
} from './shared.tsx';

type User = ItemOf<ResponseOf<'/api/v1/users', 'get'>>;

export function PeopleTab() {
  const { can } = useAuth();
  const { t } = useI18n();
  const ref = useReference();
  const [unitId, setUnitId] = useState<string | undefined>();
  const regionName = (id: string | null) => (id ? ref.regionById.get(id)?.name ?? id : '—');
  return (
    <div className="admin-grid">
      <UnitTree units={ref.units} regionName={regionName} selected={unitId} onSelect={setUnitId} />
      <div className="stack">
        {unitId ? <UnitDetails id={unitId} regionName={regionName} onSelect={setUnitId} /> : (
          <section className="card"><EmptyState title={t({ zh: '点击单位查看详情', en: 'Choose a unit for its details' })} /></section>
        )}
        {can('unit.manage') && <CreateUnit ref_={ref} parentId={unitId} onCreated={(u) => { ref.units.reload(); setUnitId(u.id); }} />}
      </div>
      {can('user.manage') && <Users ref_={ref} />}
    </div>
  );
}


const COUNTER_LABELS: Record<string, { zh: string; en: string }> = {
  returns: { zh: '退回', en: 'Returns' }, buck_passing: { zh: '推诿', en: 'Buck-passing' }, rework: { zh: '返工', en: 'Rework' },
  reopen: { zh: '重新打开', en: 'Reopened' }, postpone: { zh: '延期', en: 'Postponed' }, hang: { zh: '挂账', en: 'Hung' }, supervision: { zh: '督办', en: 'Supervised' },
};

function CreateUnit({ ref_, parentId, onCreated }: { ref_: ReturnType<typeof useReference>; parentId?: string; onCreated: (u: Unit) => void }) {
  const { t } = useI18n();
  const label = useLabel();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [id, setId] = useState('U-');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<BodyOf<'/api/v1/units', 'post'>['kind']>('department');
  const [parent, setParent] = useState('');
  const [regionId, setRegionId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const apiErr = isApiError(error) ? error : undefined;
  const start = () => { setOpen(true); setDone(undefined); setParent(parentId ?? ''); };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError(undefined);
    try {
      const u = await api.POST('/api/v1/units', { body: { id: id.trim(), code: code.trim(), name: name.trim(), kind, parentId: parent || null, regionId: regionId || null } });
      setDone(u.name); setOpen(false); setId('U-'); setCode(''); setName('');
      onCreated(u);
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  const fielded = apiErr?.field && ['id', 'code', 'name', 'kind', 'parentId', 'regionId'].includes(apiErr.field);
  return (
    <section className="card" aria-labelledby="unit-create-h">
      <div className="row-between">
        <h2 id="unit-create-h">{t({ zh: '新建处置单位', en: 'New handling unit' })}</h2>
        {!open && <button type="button" className="btn" onClick={start}>{t({ zh: '新建单位', en: 'New unit' })}</button>}
      </div>
      {done && <div className="notice notice-ok" role="status">{t({ zh: '已创建单位 {name}', en: 'Unit {name} created' }, { name: done })}</div>}
      {open && (
        <form onSubmit={submit} aria-label={t({ zh: '新建处置单位', en: 'New handling unit' })}>
          <FormError>{error && !fielded ? errorText(error) : undefined}</FormError>
          <div className="form-cols">
            <TextField label={t({ zh: '单位编号', en: 'Unit id' })} required maxLength={64} value={id} onChange={(e) => setId(e.currentTarget.value)}
              hint={t({ zh: '例如 U-WATER', en: 'e.g. U-WATER' })} error={fieldError(apiErr, 'id')} />
            <TextField label={t({ zh: '简码', en: 'Code' })} required maxLength={64} value={code} onChange={(e) => setCode(e.currentTarget.value)} error={fieldError(apiErr, 'code')} />
          </div>
          <TextField label={t({ zh: '单位全称', en: 'Full name' })} required maxLength={200} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(apiErr, 'name')} />
          <div className="form-cols">
            <Select label={t({ zh: '单位类型', en: 'Kind' })} value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)} error={fieldError(apiErr, 'kind')}
              options={Object.keys(UNIT_KIND_LABELS).map((k) => ({ value: k, label: label(UNIT_KIND_LABELS, k) }))} />
            <Select label={t({ zh: '上级单位', en: 'Parent unit' })} value={parent} onChange={(e) => setParent(e.currentTarget.value)} placeholder={t({ zh: '无', en: 'None' })}
              options={unitOptions(ref_.units.data?.items ?? [])} error={fieldError(apiErr, 'parentId')} />
            <Select label={t({ zh: '服务区域', en: 'Region served' })} value={regionId} onChange={(e) => setRegionId(e.currentTarget.value)} placeholder={t({ zh: '无', en: 'None' })}
              options={regionOptions(ref_.regions.data?.items ?? [], (l) => label(LEVEL_LABELS, l))} error={fieldError(apiErr, 'regionId')} />
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>{t({ zh: '创建单位', en: 'Create unit' })}</button>
            <button type="button" className="btn" onClick={() => setOpen(false)}>{t('common.cancel')}</button>
          </div>
        </form>
      )}
    </section>
  );
}

function UnitDetails({ id, regionName, onSelect }: { id: string; regionName: (id: string | null) => string; onSelect: (id: string) => void }) {
  const { t } = useI18n();
  const label = useLabel();
  const q = useQuery((signal) => api.GET('/api/v1/units/{id}', { params: { path: { id } }, signal }), [id]);
  const u = q.data?.id === id ? q.data : undefined;
  return (
    <section className="card" aria-labelledby="unit-details-h" aria-live="polite">
      {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : !u ? <Loading /> : (
        <>
          <h2 id="unit-details-h">{u.name}</h2>
          <dl className="kv">
            <dt>{t({ zh: '编号', en: 'Id' })}</dt><dd><code>{u.id}</code></dd>
            <dt>{t({ zh: '简码', en: 'Code' })}</dt><dd><code>{u.code}</code></dd>
            <dt>{t({ zh: '类型', en: 'Kind' })}</dt><dd>{label(UNIT_KIND_LABELS, u.kind)}</dd>
            <dt>{t({ zh: '服务区域', en: 'Region' })}</dt><dd>{regionName(u.regionId)}</dd>
            <dt>{t({ zh: '上级单位', en: 'Parent' })}</dt>
            <dd>{u.parent ? <button type="button" className="linklike" onClick={() => onSelect(u.parent!.id)}>{u.parent.name}</button> : '—'}</dd>
            <dt>{t({ zh: '下级单位', en: 'Sub-units' })}</dt>
            <dd>{u.subUnits.length === 0 ? '—' : u.subUnits.map((s) => (
              <button key={s.id} type="button" className="linklike tag" onClick={() => onSelect(s.id)}>{s.name}</button>
            ))}</dd>
            <dt>{t({ zh: '责任清单规则', en: 'Rules naming it' })}</dt><dd>{u.ruleCount}</dd>
            <dt>{t({ zh: '状态', en: 'Status' })}</dt><dd>{u.active ? t({ zh: '启用', en: 'active' }) : t({ zh: '停用', en: 'inactive' })}</dd>
          </dl>
          <h3>{t({ zh: '考核计数', en: 'Counters' })}</h3>
          <dl className="kv kv-inline">
            {Object.entries(u.counters).map(([k, v]) => <Fragment key={k}><dt>{label(COUNTER_LABELS, k)}</dt><dd>{v}</dd></Fragment>)}
          </dl>
        </>
      )}
    </section>
  );
}

function UnitTree({ units, regionName, selected, onSelect }: {
  units: ReturnType<typeof useReference>['units']; regionName: (id: string | null) => string; selected?: string; onSelect: (id: string) => void;
}) {
  const { t } = useI18n();
  const label = useLabel();
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<Set<string>>(new Set());
  const { roots, children } = useMemo(() => childrenMap(units.data?.items ?? []), [units.data]);
  const f = filter.trim();
  const matches = (u: Unit): boolean => !f || u.name.includes(f) || u.code.toLowerCase().includes(f.toLowerCase()) || (children.get(u.id) ?? []).some(matches);
  const toggle = (id: string) => setOpen((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  const render = (u: Unit) => {
    const kids = (children.get(u.id) ?? []).filter(matches);
    const expanded = !!f || open.has(u.id);
    return (
      <li key={u.id}>
        <div className="tree-row">
          {kids.length > 0
            ? <button type="button" className="tree-toggle" aria-expanded={expanded} onClick={() => toggle(u.id)}
              aria-label={t({ zh: '{name} 的下级单位（{n}）', en: 'Sub-units of {name} ({n})' }, { name: u.name, n: kids.length })}>{expanded ? '▾' : '▸'}</button>
            : <span className="tree-toggle" aria-hidden="true" />}
          <button type="button" className={`tree-leaf${selected === u.id ? ' selected' : ''}`} aria-pressed={selected === u.id} onClick={() => onSelect(u.id)}>
            <span className="tree-node">
              <strong>{u.name}</strong> <code className="muted">{u.code}</code> <span className="tag">{label(UNIT_KIND_LABELS, u.kind)}</span>
              <span className="muted tree-extra">{regionName(u.regionId)}</span>
              {kids.length > 0 && <span className="muted">({kids.length})</span>}
              {!u.active && <span className="tag tag-off">{t({ zh: '停用', en: 'inactive' })}</span>}
            </span>
          </button>
        </div>
        {kids.length > 0 && expanded && <ul>{kids.map(render)}</ul>}
      </li>
    );
  };
  return (
    <section className="card" aria-labelledby="unit-tree-h">
      <h2 id="unit-tree-h">{t({ zh: '处置单位', en: 'Handling units' })}</h2>
      <TextField label={t({ zh: '筛选单位', en: 'Filter units' })} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} type="search" />
      {units.error ? <ErrorState error={units.error} onRetry={units.reload} /> : !units.data ? <Loading /> : units.data.items.length === 0 ? <EmptyState /> : (
        <ul className="tree tree-scroll" aria-label={t({ zh: '单位树', en: 'Unit tree' })}>{roots.filter(matches).map(render)}</ul>
      )}
    </section>
  );
}

function Users({ ref_ }: { ref_: ReturnType<typeof useReference> }) {
  const { t } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/users', { signal }), []);
  const [filter, setFilter] = useState('');
  const f = filter.trim().toLowerCase();
  const items = (q.data?.items ?? []).filter((u) => !f || u.username.toLowerCase().includes(f) || u.displayName.toLowerCase().includes(f));
  const paged = usePaged(items, 15, f);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | undefined>();
  return (
    <>
      <section className="card admin-wide" aria-labelledby="users-h">
        <div className="row-between">
          <h2 id="users-h">{t({ zh: '用户账号', en: 'User accounts' })}</h2>
          <button type="button" className="btn btn-primary" onClick={() => { setCreating((x) => !x); setCreated(undefined); }} aria-expanded={creating}>
            {t({ zh: '新建用户', en: 'New user' })}
          </button>
        </div>
        {created && <div className="notice notice-ok" role="status">{t({ zh: '已创建用户 {u}', en: 'User {u} created' }, { u: created })}</div>}
        {creating && <CreateUser ref_={ref_} onDone={(u) => { setCreating(false); setCreated(u.username); q.reload(); }} onCancel={() => setCreating(false)} />}
        <TextField label={t({ zh: '筛选用户', en: 'Filter users' })} type="search" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} />
        {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading /> : items.length === 0 ? <EmptyState /> : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="users-table">
                <thead>
                  <tr>
                    <th>{t({ zh: '用户名', en: 'Username' })}</th><th>{t({ zh: '姓名', en: 'Name' })}</th><th>{t({ zh: '角色', en: 'Roles' })}</th>
                    <th>{t({ zh: '单位', en: 'Units' })}</th><th>{t({ zh: '负责区域', en: 'Regions' })}</th><th>{t({ zh: '状态', en: 'Status' })}</th>
                    <th>{t({ zh: '创建时间', en: 'Created' })}</th><th>{t({ zh: '操作', en: 'Actions' })}</th>
                  </tr>
                </thead>
                <tbody>{paged.rows.map((u) => <UserRow key={u.id} user={u} ref_={ref_} onChanged={q.reload} />)}</tbody>
              </table>
            </div>
            <Pager {...paged} label={t({ zh: '用户分页', en: 'User pages' })} />
          </>
        )}
      </section>
    </>
  );
}

function UserRow({ user, ref_, onChanged }: { user: User; ref_: ReturnType<typeof useReference>; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const { user: me } = useAuth();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string | undefined>();
  const patch = async (body: BodyOf<'/api/v1/users/{id}', 'patch'>, message: string) => {
    setBusy(true); setError(undefined); setDone(undefined);
    try { await api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body }); setDone(message); setResetting(false); setPassword(''); onChanged(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const self = me?.id === user.id;
  return (
    <tr data-username={user.username}>
      <td><code>{user.username}</code></td>
      <td>{user.displayName}</td>
      <td>{user.roles.map((r) => <span key={r} className="tag">{ROLE_LABELS[r] ? t(ROLE_LABELS[r]) : r}</span>)}</td>
      <td>{user.unitIds.map((id) => ref_.unitById.get(id)?.name ?? id).join('、') || '—'}</td>
      <td>{user.regionIds.map((id) => ref_.regionById.get(id)?.name ?? id).join('、') || '—'}</td>
      <td>{user.active ? <span className="tag tag-ok">{t({ zh: '启用', en: 'active' })}</span> : <span className="tag tag-off">{t({ zh: '已停用', en: 'deactivated' })}</span>}</td>
      <td>{formatDateTime(user.createdAt, locale)}</td>
      <td className="actions-cell">
        <div className="actions">
          {!self && (user.active
            ? <button type="button" className="btn btn-small" disabled={busy} onClick={() => patch({ active: false }, t({ zh: '已停用', en: 'Deactivated' }))}>{t({ zh: '停用', en: 'Deactivate' })}</button>
            : <button type="button" className="btn btn-small" disabled={busy} onClick={() => patch({ active: true }, t({ zh: '已启用', en: 'Reactivated' }))}>{t({ zh: '启用', en: 'Reactivate' })}</button>)}
          <button type="button" className="btn btn-small" aria-expanded={resetting} onClick={() => setResetting((x) => !x)}>{t({ zh: '重置密码', en: 'Reset password' })}</button>
        </div>
        {resetting && (
          <form className="inline-form" onSubmit={(e) => { e.preventDefault(); void patch({ password }, t({ zh: '密码已重置', en: 'Password reset' })); }}>
            <label htmlFor={`pw-${user.id}`}>{t({ zh: '新密码（至少 8 位）', en: 'New password (8+ characters)' })}</label>
            <input id={`pw-${user.id}`} type="password" autoComplete="new-password" minLength={8} required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <button type="submit" className="btn btn-small btn-primary" disabled={busy || password.length < 8}>{t('common.save')}</button>
          </form>
        )}
        {done && <div className="muted" role="status">{done}</div>}
        {error !== undefined && <div className="field-error" role="alert">{errorText(error)}</div>}
      </td>
    </tr>
  );
}

function CreateUser({ ref_, onDone, onCancel }: { ref_: ReturnType<typeof useReference>; onDone: (u: User) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const label = useLabel();
  const errorText = useErrorText();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [regionIds, setRegionIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>();
  const apiErr = isApiError(error) ? error : undefined;
  const needsUnit = roles.includes('unit_handler') || roles.includes('unit_leader');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (roles.length === 0) { setError(new Error(t({ zh: '请至少选择一个角色。', en: 'Choose at least one role.' }))); return; }
    setBusy(true); setError(undefined);
    try {
      const body = { username: username.trim(), password, roles, unitIds, regionIds, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) };
      onDone(await api.POST('/api/v1/users', { body }));
    } catch (err) { setError(err as Error); } finally { setBusy(false); }
  };
  const known = ['username', 'password', 'displayName', 'roles', 'unitIds', 'regionIds'];
  const general = error && !(apiErr?.field && known.some((k) => apiErr.field === k || apiErr.field!.startsWith(`${k}[`))) ? errorText(error) : undefined;

  return (
    <form className="subform" onSubmit={submit} aria-label={t({ zh: '新建用户', en: 'New user' })}>
      <FormError>{general}</FormError>
      <div className="form-cols">
        <TextField label={t({ zh: '用户名', en: 'Username' })} required value={username} onChange={(e) => setUsername(e.currentTarget.value)}
          hint={t({ zh: '3–64 位字母、数字、_ . -', en: '3–64 letters, digits, _ . -' })} autoComplete="off" error={fieldError(apiErr, 'username')} />
        <TextField label={t({ zh: '姓名', en: 'Display name' })} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} error={fieldError(apiErr, 'displayName')} />
        <TextField label={t({ zh: '初始密码', en: 'Initial password' })} type="password" required minLength={8} autoComplete="new-password" value={password}
          onChange={(e) => setPassword(e.currentTarget.value)} hint={t({ zh: '至少 8 位', en: 'At least 8 characters' })} error={fieldError(apiErr, 'password')} />
      </div>
      <RolePicker legend={t({ zh: '角色', en: 'Roles' })} value={roles} onChange={setRoles} error={fieldError(apiErr, 'roles')} />
      <div className="form-cols">
        <MultiSelect id="new-user-units" label={t({ zh: '所属单位', en: 'Units' })} options={unitOptions(ref_.units.data?.items ?? [])} value={unitIds} onChange={setUnitIds}
          hint={fieldError(apiErr, 'unitIds') ?? (needsUnit ? t({ zh: '处置单位经办人和负责人必须属于一个单位', en: 'Unit handlers and leaders must belong to a unit' }) : t({ zh: '按住 Ctrl 可多选', en: 'Ctrl-click to choose several' }))} />
        <MultiSelect id="new-user-regions" label={t({ zh: '负责区域', en: 'Regions' })} options={regionOptions(ref_.regions.data?.items ?? [], (l) => label(LEVEL_LABELS, l))}
          value={regionIds} onChange={setRegionIds} hint={fieldError(apiErr, 'regionIds') ?? t({ zh: '一个区域包括其下所有区域', en: 'A region covers everything below it' })} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t({ zh: '正在创建…', en: 'Creating…' }) : t({ zh: '创建用户', en: 'Create user' })}</button>
        <button type="button" className="btn" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
