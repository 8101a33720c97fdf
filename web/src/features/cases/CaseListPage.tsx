/**
 * /cases — the dispatch desk queue and the unit inbox. A virtualised list over GET /api/v1/cases with keyset
 * paging (pages load as the user scrolls, so 100,000 cases stay responsive), filters kept in the URL, live
 * (SSE: new and changed cases are patched into the loaded rows without a reload), and a countdown per row.
 * Unit staff start on their unit's inbox (the API scopes what they see to their units anyway).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, isApiError, type ApiError } from '../../app/api.ts';
import { useAuth, type Role } from '../../app/auth.tsx';
import { formatNumber, useI18n } from '../../app/i18n.ts';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { useLiveEvents } from '../../app/sse.ts';
import { Page } from '../../components/Page.tsx';
import { VirtualList } from '../../components/VirtualList.tsx';
import { Select, TextField } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading } from '../../components/States.tsx';
import { CaseCountdown } from './Countdown.tsx';
import { ALERT, STATE_LIST, URGENCY, isOpenState, stateMsg, urgencyMsg, useMedia, useUnits, type CaseDto, type CaseQuery } from './model.ts';
import { queryTokens } from '../../../../src/domain/search/text-tokens.ts';
import './cases.css';
import '../joint/joint.css';
import { PlatformSelect, TransferMark, matchesPlatform, platformMode } from '../levels/ListParts.tsx';
import { LEVEL_TOPICS } from '../levels/model.ts';
import '../levels/levels.css';
import { ExportButton } from '../exports/ExportButton.tsx';

const PAGE = 500;
/** Start loading the next page when the view comes this close to the end of the loaded rows. */
const AHEAD = 60;
const NO_DEADLINE = Number.MAX_SAFE_INTEGER;
const UNIT_ROLES: Role[] = ['unit_handler', 'unit_leader'];
const CENTRE_ROLES: Role[] = ['operator', 'shift_leader', 'dispatcher', 'inspector', 'grid_member', 'centre_leader', 'admin'];
const INBOX_STATES = ['DISPATCHED', 'IN_PROGRESS'];
const QUEUE_URL_KEY = 'cityops.casesUrl';

interface Filters { state: string[]; urgency: string[]; alert: string[]; unit: string; sort: 'due' | 'newest'; q: string; platform: string }

function readFilters(query: URLSearchParams, unitOnly: boolean): Filters {
  const explicit = query.has('sort');
  const sort = query.get('sort') === 'newest' ? 'newest' : 'due';
  return {
    state: explicit ? query.getAll('state') : unitOnly ? INBOX_STATES : [],
    urgency: query.getAll('urgency'),
    alert: query.getAll('alert'),
    unit: query.get('unit') ?? '',
    sort,
    q: query.get('q') ?? '',
    platform: platformMode(query.get('platform')) ?? '', // levels of platform
  };
}

function writeFilters(f: Filters): string {
  const qs = new URLSearchParams();
  qs.set('sort', f.sort);
  f.state.forEach((s) => qs.append('state', s));
  f.urgency.forEach((s) => qs.append('urgency', s));
  f.alert.forEach((s) => qs.append('alert', s));
  if (f.unit) qs.set('unit', f.unit);
  if (f.q) qs.set('q', f.q);
  if (f.platform) qs.set('platform', f.platform);
  return `/cases?${qs.toString()}`;
}

/** Would the server list this case under these filters? (for live patches) */
function matches(c: CaseDto, f: Filters, regionIds: readonly string[] = []): boolean {
  if (!matchesPlatform(c, platformMode(f.platform), regionIds)) return false;
  if (f.state.length && !f.state.includes(c.state)) return false;
  if (f.urgency.length && !f.urgency.includes(c.urgency)) return false;
  if (f.alert.length && !f.alert.includes(c.deadlines.alertLevel)) return false;
  if (f.unit && ![c.assignedUnit?.id, c.subUnit?.id, c.routing.unit?.id, ...c.assistingUnits.map((u) => u.id)].includes(f.unit)) return false;
  if (f.q.trim() && !/^[\d\s+-]+$/.test(f.q) && !textMatch(c, f.q.trim())) return false;
  if (f.sort === 'due' && !isOpenState(c.state)) return false;
  return true;
}

const dueKey = (c: CaseDto) => (c.deadlines.dueAt ? Date.parse(c.deadlines.dueAt) : NO_DEADLINE);
/** Negative when a comes first in the list's order. */
const compare = (sort: Filters['sort']) => (a: CaseDto, b: CaseDto) =>
  sort === 'newest' ? b.id - a.id : dueKey(a) - dueKey(b) || a.id - b.id;

/** Can the server's index search this? (two letters or digits side by side; see src/domain/search/text-tokens.ts) */
const searchable = (q: string) => queryTokens(q).length > 0;

/** For live patches only: would a changed case still match the words searched? (the server's index decides the list) */
function textMatch(c: CaseDto, q: string): boolean {
  const hay = [c.caseNo, String(c.id), c.matter.name, c.matter.code, c.description, c.address, c.grid?.name, c.grid?.code, c.street?.name,
    c.community?.name, c.assignedUnit?.name, c.subUnit?.name].filter(Boolean).join(' ').toLowerCase();
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

/** A compact multi-choice (checkboxes in a disclosure), keyboard usable. */
function MultiChoice({ label, options, value, onChange }: {
  label: string; options: { value: string; label: string; disabled?: boolean }[]; value: string[]; onChange: (v: string[]) => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (e: MouseEvent | KeyboardEvent) => {
      const el = ref.current;
      if (!el?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !el.contains(e.target as Node)) {
        el.open = false;
        if (e instanceof KeyboardEvent) el.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => { document.removeEventListener('mousedown', close); document.removeEventListener('keydown', close); };
  }, []);
  const summary = value.length === 0 ? t({ zh: '全部', en: 'All' })
    : value.length <= 2 ? value.map((v) => options.find((o) => o.value === v)?.label ?? v).join('、') : t({ zh: '{n} 项', en: '{n} selected' }, { n: value.length });
  return (
    <details className="multi" ref={ref}>
      <summary><span className="multi-label">{label}</span><span className="multi-value">{summary}</span></summary>
      <fieldset className="multi-pop">
        <legend className="sr-only">{label}</legend>
        {options.map((o) => (
          <label key={o.value} className={`multi-opt${o.disabled ? ' muted' : ''}`}>
            <input type="checkbox" checked={value.includes(o.value)} disabled={o.disabled}
              onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((x) => x !== o.value))} />
            {o.label}
          </label>
        ))}
        {value.length > 0 && <button type="button" className="btn btn-small" onClick={() => onChange([])}>{t({ zh: '清除', en: 'Clear' })}</button>}
      </fieldset>
    </details>
  );
}

function CaseRow({ c, phone }: { c: CaseDto; phone: boolean }) {
  const { t } = useI18n();
  const { user } = useAuth();
  // 联勤联动: a case my unit assists (not leads) is marked 协办 in the inbox (its task: the case's joint-action panel).
  const mine = user?.unitIds ?? [];
  const assists = !mine.includes(c.assignedUnit?.id ?? '') && c.assistingUnits.some((u) => mine.includes(u.id));
  const assistMark = assists ? <span className="assist-mark" data-testid="assist-mark">{t({ zh: '协办', en: 'Assisting' })}</span> : null;
  const place = [c.grid?.name, c.street?.name].filter(Boolean).join(' · ') || c.address || '—';
  const unit = c.assignedGridMember ? `${t({ zh: '网格员', en: 'Grid member' })} ${c.assignedGridMember.name ?? c.assignedGridMember.id}`
    : c.subUnit ? `${c.assignedUnit?.name ?? ''} / ${c.subUnit.name}` : c.assignedUnit?.name ?? (c.routing.unit ? `→ ${c.routing.unit.name}` : '—');
  const state = <span className={`state-badge st-${c.state}`}>{t(stateMsg(c.state))}<TransferMark c={c} /></span>;
  const urgency = <span className={`urgency urg-${c.urgency}`}>{t(urgencyMsg(c.urgency))}</span>;
  if (phone) {
    return (
      <Link to={`/cases/${c.id}`} className="case-row case-row-phone" data-case-no={c.caseNo}>
        <div className="cr-line"><strong className="cr-no">{c.caseNo}</strong>{state}</div>
        <div className="cr-line"><span className="cr-matter">{assistMark}{c.matter.name}</span>{urgency}</div>
        <div className="cr-line muted"><span className="cr-ellipsis">{place} · {unit}</span><CaseCountdown c={c} /></div>
      </Link>
    );
  }
  return (
    <Link to={`/cases/${c.id}`} className="case-row case-grid" data-case-no={c.caseNo}>
      <span className="cr-no">{c.caseNo}</span>
      <span className="cr-ellipsis" title={c.description}>{assistMark}{c.matter.name}</span>
      <span>{state}</span>
      <span>{urgency}</span>
      <span className="cr-ellipsis" title={place}>{place}</span>
      <span className="cr-ellipsis" title={c.assignedUnit || c.assignedGridMember ? unit : `${t({ zh: '清单派单单位（尚未派遣）', en: 'Routed unit (not dispatched yet)' })}: ${c.routing.unit?.name ?? '—'}`}>{unit}</span>
      <span className="cr-time"><CaseCountdown c={c} /></span>
    </Link>
  );
}

export default function CaseListPage() {
  const { t, locale } = useI18n();
  const { user, can, hasRole } = useAuth();
  const { query } = useLocation();
  const phone = useMedia('(max-width: 760px)');
  const unitOnly = hasRole(UNIT_ROLES) && !hasRole(CENTRE_ROLES);
  const filters = useMemo(() => readFilters(query, unitOnly), [query, unitOnly]);
  // A debounced change (the search box) may land after the user opened a case: never pull them back to the queue.
  const setFilters = (patch: Partial<Filters>) => {
    if (window.location.pathname !== '/cases') return;
    navigate(writeFilters({ ...filters, ...patch }), { replace: true });
  };
  // The detail page's "back" returns to this view of the queue.
  useEffect(() => { try { sessionStorage.setItem(QUEUE_URL_KEY, writeFilters(filters)); } catch { /* storage disabled */ } }, [filters]);

  const units = useUnits();
  const unitOptions = useMemo(() => {
    const all = units ?? [];
    const mine = unitOnly ? all.filter((u) => user?.unitIds.includes(u.id)) : all;
    return mine.map((u) => ({ value: u.id, label: u.name }));
  }, [units, unitOnly, user]);

  // ---- the loaded rows and paging ----
  const [rows, setRows] = useState<CaseDto[]>([]);
  const [more, setMore] = useState(false);
  const [total, setTotal] = useState<{ n: number; capped: boolean } | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const [loading, setLoading] = useState(true);
  const [searchedAs, setSearchedAs] = useState<string | undefined>();
  const rowsRef = useRef<CaseDto[]>([]);
  const cursorRef = useRef<string | null>(null);
  const busy = useRef(false);
  const gen = useRef(0);
  const wanted = useRef(0);
  const filtersRef = useRef(filters);
  const regionsRef = useRef<readonly string[]>([]);
  regionsRef.current = user?.regionIds ?? [];
  filtersRef.current = filters;

  // The filters come from the URL as text and are sent as they are (the server refuses values it does not know).
  const serverQuery = useCallback((f: Filters): CaseQuery => ({
    state: f.state as CaseQuery['state'], urgency: f.urgency as CaseQuery['urgency'], alertLevel: f.alert as CaseQuery['alertLevel'],
    involvedUnitId: f.unit || undefined, sort: f.sort, platform: platformMode(f.platform),
    // words are searched by the server's index over every case the user may see, not only the loaded rows
    q: searchable(f.q) ? f.q.trim() : undefined,
  }), []);

  const commit = (next: CaseDto[]) => { rowsRef.current = next; setRows(next); };

  const loadPage = useCallback((first: boolean) => {
    if (busy.current || (!first && !cursorRef.current)) return;
    busy.current = true;
    const g = gen.current;
    setLoading(true);
    api.GET('/api/v1/cases', { params: { query: { ...serverQuery(filtersRef.current), limit: PAGE, cursor: first ? undefined : cursorRef.current ?? undefined } } })
      .then((r) => {
        if (g !== gen.current) return;
        busy.current = false;
        const seen = new Set(first ? [] : rowsRef.current.map((c) => c.id));
        commit(first ? r.items : [...rowsRef.current, ...r.items.filter((c) => !seen.has(c.id))]);
        cursorRef.current = r.nextCursor;
        setMore(!!r.nextCursor);
        if (first) setTotal(r.total === null ? null : { n: r.total, capped: r.totalCapped });
        if (first) setSearchedAs(r.searchedAs);
        setError(undefined);
        setLoading(false);
        if (r.nextCursor && wanted.current >= rowsRef.current.length - AHEAD) loadPage(false);
      }, (e: unknown) => {
        if (g !== gen.current) return;
        busy.current = false;
        setLoading(false);
        setError(isApiError(e) ? e : undefined);
      });
  }, [serverQuery]);

  const filterKey = JSON.stringify(serverQuery(filters));
  useEffect(() => {
    gen.current++;
    busy.current = false;
    cursorRef.current = null;
    wanted.current = 0;
    commit([]);
    setTotal(null);
    setMore(false);
    loadPage(true);
  }, [filterKey, loadPage]);

  const onRange = useCallback((_first: number, last: number) => {
    wanted.current = last;
    if (last >= rowsRef.current.length - AHEAD) loadPage(false);
  }, [loadPage]);

  // ---- live: patch the rows with the changed cases ----
  const pending = useRef(new Set<number>());
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flush = useCallback(async () => {
    const ids = [...pending.current];
    pending.current.clear();
    const g = gen.current;
    const f = filtersRef.current;
    const fetched = await Promise.all(ids.map((id) => api.GET('/api/v1/cases/{id}', { params: { path: { id: String(id) } } }).then((c) => ({ id, c }), () => ({ id, c: undefined }))));
    if (g !== gen.current) return;
    let next = rowsRef.current;
    const cmp = compare(f.sort);
    for (const { id, c } of fetched) {
      next = next.filter((r) => r.id !== id);
      if (!c || !matches(c, f, regionsRef.current)) continue;
      let pos = next.findIndex((r) => cmp(c, r) < 0);
      if (pos < 0) { if (cursorRef.current) continue; pos = next.length; } // belongs to a page not loaded yet
      next = [...next.slice(0, pos), c, ...next.slice(pos)];
    }
    commit(next);
    // The total is recounted by the server (a moved case may or may not have been counted before).
    api.GET('/api/v1/cases', { params: { query: { ...serverQuery(f), limit: 1 } } }).then((r) => {
      if (g === gen.current && r.total !== null) setTotal({ n: r.total, capped: r.totalCapped });
    }, () => {});
  }, [serverQuery]);
  useLiveEvents((e) => {
    const id = Number(e.data.caseId ?? e.data.id);
    if (!Number.isFinite(id)) return;
    pending.current.add(id);
    clearTimeout(flushTimer.current);
    flushTimer.current = setTimeout(() => void flush(), 250);
  }, ['case.created', 'case.transitioned', 'case.deadline_warning', 'case.deadline_overdue', ...LEVEL_TOPICS], can('events.read'));
  useEffect(() => () => clearTimeout(flushTimer.current), []);

  // ---- what is shown ----
  const q = filters.q.trim();
  const shown = rows;
  const itemCount = more ? Math.max(total?.n ?? 0, rows.length + 1) : rows.length;
  const rowHeight = phone ? 92 : 52;

  const [text, setText] = useState(filters.q);
  useEffect(() => setText(filters.q), [filters.q]);
  useEffect(() => {
    if (text === filters.q) return;
    const h = setTimeout(() => setFilters({ q: text }), 300);
    return () => clearTimeout(h);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  const openStatesOnly = filters.sort === 'due';
  const stateOptions = STATE_LIST.map((s) => ({ value: s.state, label: t(s.label), disabled: openStatesOnly && !s.open }));
  const title = unitOnly ? t({ zh: '本单位待办', en: 'Unit inbox' }) : filters.platform ? t({ zh: '本平台队列', en: 'My platform\'s queue' }) : t({ zh: '案件队列', en: 'Case queue' });

  const active = [filters.state.length, filters.urgency.length, filters.alert.length, filters.unit, filters.q, filters.platform].filter(Boolean).length;
  const filterForm = (
    <form className="case-filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t({ zh: '筛选案件', en: 'Filter cases' })}>
      <MultiChoice label={t({ zh: '状态', en: 'State' })} options={stateOptions} value={filters.state}
        onChange={(v) => setFilters({ state: v })} />
      <MultiChoice label={t({ zh: '紧急程度', en: 'Urgency' })} options={Object.entries(URGENCY).map(([v, m]) => ({ value: v, label: t(m) }))}
        value={filters.urgency} onChange={(v) => setFilters({ urgency: v })} />
      <MultiChoice label={t({ zh: '时限', en: 'Deadline' })} options={['warning', 'overdue'].map((v) => ({ value: v, label: t(ALERT[v]) }))}
        value={filters.alert} onChange={(v) => setFilters({ alert: v })} />
      <Select label={t({ zh: '涉及单位', en: 'Unit involved' })} value={filters.unit} placeholder={t({ zh: '全部单位', en: 'All units' })} options={unitOptions}
        title={t({ zh: '拟派、承办、二级承办或协办该案件的单位', en: 'Routed to, assigned, sub-unit or assisting' })}
        onChange={(e) => setFilters({ unit: e.target.value })} />
      {!unitOnly && <PlatformSelect value={filters.platform} onChange={(v) => setFilters({ platform: v })} />}
      <Select label={t({ zh: '排序', en: 'Sort' })} value={filters.sort}
        options={[{ value: 'due', label: t({ zh: '剩余时间（最紧迫优先）', en: 'Remaining time (soonest first)' }) }, { value: 'newest', label: t({ zh: '最新上报', en: 'Newest first' }) }]}
        onChange={(e) => {
          const sort = e.target.value === 'newest' ? 'newest' : 'due';
          setFilters({ sort, state: sort === 'due' ? filters.state.filter(isOpenState) : filters.state });
        }} />
      <TextField label={t({ zh: '关键字', en: 'Search' })} type="search" value={text} onChange={(e) => setText(e.target.value)}
        placeholder={t({ zh: '案件编号、来电号码、内容或地址', en: 'Case no., phone, words or address' })} />
    </form>
  );

  return (
    <Page title={title} className="cases-page" actions={<>
      <span className="total" data-testid="case-total" aria-live="polite">
        {total === null ? '…' : t({ zh: '共 {n} 件', en: '{n} cases' }, { n: formatNumber(total.capped ? Math.max(total.n, rows.length) : total.n, locale) + (total.capped ? '+' : '') })}
      </span>
      {/* 导出 (issue 10): the same filter as the list, exported in the background */}
      <ExportButton filter={serverQuery(filters)} />
    </>}>
      {phone ? (
        <details className="filters-fold">
          <summary>{t({ zh: '筛选与排序', en: 'Filter and sort' })}{active > 0 ? ` (${active})` : ''}</summary>
          {filterForm}
        </details>
      ) : filterForm}
      {q && (
        <p className="muted filter-note" data-testid="search-note">
          {!searchable(q) ? t({ zh: '请至少输入两个相连的字或数字。', en: 'Type at least two letters or digits side by side.' })
            : searchedAs === 'caseNo' ? t({ zh: '按案件编号查找。', en: 'Found by case number.' })
              : searchedAs === 'phone' ? t({ zh: '按来电号码查找该来电人的案件。', en: 'Cases of this caller (phone number).' })
                : searchedAs === 'text' ? t({ zh: '在您可见的全部案件中按内容、地址和事项搜索。', en: 'Words searched in every case you may see (description, address, matter).' }) : null}
        </p>
      )}
      {!phone && (
        <div className="case-grid case-head" aria-hidden="true">
          <span>{t({ zh: '案件编号', en: 'Case no.' })}</span><span>{t({ zh: '事项', en: 'Matter' })}</span><span>{t({ zh: '状态', en: 'State' })}</span>
          <span>{t({ zh: '紧急程度', en: 'Urgency' })}</span><span>{t({ zh: '网格 / 街镇', en: 'Grid / street or town' })}</span>
          <span>{t({ zh: '处置单位', en: 'Unit' })}</span><span>{t({ zh: '剩余时间', en: 'Remaining' })}</span>
        </div>
      )}
      {error && rows.length === 0 ? <ErrorState error={error} onRetry={() => { gen.current++; busy.current = false; loadPage(true); }} />
        : loading && rows.length === 0 ? <Loading />
        : itemCount === 0 ? <EmptyState title={t({ zh: '没有符合条件的案件', en: 'No cases match' })} />
        : (
          <VirtualList className="cases-list" height={phone ? 'max(320px, calc(100vh - 240px))' : 'max(360px, calc(100vh - 290px))'} itemCount={itemCount} rowHeight={rowHeight} onRangeChange={onRange}
            rowKey={(i) => shown[i]?.id ?? `more-${i}`}
            aria-label={t({ zh: '案件列表', en: 'Cases' })}
            renderRow={(i) => (shown[i] ? <CaseRow c={shown[i]} phone={phone} /> : <span className="muted cr-placeholder">{t('common.loading')}</span>)} />
        )}
      {error && rows.length > 0 && <p className="form-error" role="alert">{error.message} <button type="button" className="btn btn-small" onClick={() => loadPage(false)}>{t('common.retry')}</button></p>}
    </Page>
  );
}
