/**
 * Regions and grids: the region tree, the map of regions and grids (click a grid for its details), the grids of
 * a community, and the GeoJSON import with the server's validation report (all or nothing).
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { FeatureCollection } from 'geojson';
import { api, isApiError, useQuery, type ApiError, type BodyOf, type QueryOf, type QueryState, type ResponseOf } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { useI18n, formatNumber } from '../../app/i18n.ts';
import { useMessage } from '../../app/messages.ts';
import { MapView, type MapClick, type MapLayer } from '../../components/MapView.tsx';
import { Checkbox, FormError, Select } from '../../components/Form.tsx';
import { EmptyState, ErrorState, Loading, useErrorText } from '../../components/States.tsx';
import { childrenMap, fieldsOf, LEVEL_LABELS, numberOr, Pager, stringOr, usePaged, useLabel, type Region } from './shared.tsx';
import { FileInput } from '../../components/FileInput.tsx';

type GridDetail = ResponseOf<'/api/v1/grids/{id}', 'get'>;
type ImportQuery = QueryOf<'/api/v1/grids/import', 'post'>;
/** The import's report (also in a refused import's error details, as details.report). */
type ImportReport = ResponseOf<'/api/v1/grids/import', 'post'>;
/**
 * One problem row as the report table shows it. The document types the report's `problems` as unknown[], so the
 * row is read field by field (a missing or odd field shows empty), not assumed.
 */
interface ProblemRow { feature: number | null; id: string | null; field: string; code: string; message: string }
function problemRow(p: unknown): ProblemRow {
  const o = fieldsOf(p);
  return { feature: numberOr(o.feature, null), id: stringOr(o.id, null), field: stringOr(o.field, ''), code: stringOr(o.code, ''), message: stringOr(o.message, '') };
}

const PROBLEM_LABELS: Record<string, { zh: string; en: string }> = {
  MISSING_ID: { zh: '缺少编号', en: 'Missing id' }, DUPLICATE_ID: { zh: '编号重复', en: 'Duplicate id' },
  UNKNOWN_COMMUNITY: { zh: '社区不存在', en: 'Unknown community' }, SELF_INTERSECTION: { zh: '自相交', en: 'Self-intersection' },
  UNCLOSED_RING: { zh: '环未闭合', en: 'Unclosed ring' }, TOO_FEW_POINTS: { zh: '点数过少', en: 'Too few points' },
  COORD_OUT_OF_RANGE: { zh: '坐标越界', en: 'Coordinate out of range' }, NOT_POLYGON: { zh: '不是面', en: 'Not a polygon' },
  BAD_COORDINATES: { zh: '坐标格式错误', en: 'Bad coordinates' },
};

export function RegionsTab() {
  const { t } = useI18n();
  const { can } = useAuth();
  const regions = useQuery((signal) => api.GET('/api/v1/regions', { signal }), []);
  const [community, setCommunity] = useState<Region | undefined>();
  const [gridId, setGridId] = useState<string | undefined>();
  const grid = useQuery((signal) => (gridId ? api.GET('/api/v1/grids/{id}', { params: { path: { id: gridId } }, signal }) : Promise.resolve(undefined)), [gridId]);

  const onMapClick = (e: MapClick) => {
    const g = e.features.find((f) => f.layer === 'grids');
    if (g) setGridId(String(g.id ?? g.properties.id));
  };

  return (
    <div className="admin-grid admin-grid-regions">
      <section className="card" aria-labelledby="region-tree-h">
        <h2 id="region-tree-h">{t({ zh: '行政区划', en: 'Regions' })}</h2>
        {regions.error ? <ErrorState error={regions.error} onRetry={regions.reload} />
          : !regions.data ? <Loading />
          : regions.data.items.length === 0 ? <EmptyState />
          : <RegionTree regions={regions.data.items} selected={community?.id} onSelect={(r) => { setCommunity(r); }} />}
      </section>
      <section className="card admin-map-card" aria-labelledby="region-map-h">
        <h2 id="region-map-h">{t({ zh: '区划与网格地图', en: 'Map of regions and grids' })}</h2>
        <p className="muted">{t({ zh: '点击网格查看详情。', en: 'Click a grid for its details.' })}</p>
        <GridMap grid={grid.data?.id === gridId ? grid.data : undefined} onClick={onMapClick} />
        {gridId && <GridDetails id={gridId} q={grid} onClose={() => setGridId(undefined)} />}
      </section>
      {community && <CommunityGrids community={community} onPick={setGridId} />}
      {can('grid.manage') && <GridImport />}
    </div>
  );
}

function RegionTree({ regions, selected, onSelect }: { regions: Region[]; selected?: string; onSelect: (r: Region) => void }) {
  const { t } = useI18n();
  const label = useLabel();
  const { roots, children } = useMemo(() => childrenMap(regions), [regions]);
  const render = (r: Region, depth: number) => {
    const kids = children.get(r.id) ?? [];
    const head = (
      <span className="tree-node">
        <strong>{r.name}</strong> <span className="tag">{label(LEVEL_LABELS, r.level)}</span>
        <code className="muted">{r.code}</code>
        {r.areaClass && <span className="tag" title={t({ zh: '区域类别', en: 'Area class' })}>{r.areaClass}</span>}
        {r.fallbackUnit && <span className="muted tree-extra">{t({ zh: '兜底', en: 'fallback' })}: {r.fallbackUnit.name}</span>}
      </span>
    );
    if (kids.length === 0) {
      return (
        <li key={r.id}>
          <button type="button" className={`tree-leaf${selected === r.id ? ' selected' : ''}`} onClick={() => onSelect(r)} aria-pressed={selected === r.id}
            disabled={r.level !== 'community'} title={r.level === 'community' ? t({ zh: '查看本社区网格', en: 'Show its grids' }) : undefined}>
            {head}
          </button>
        </li>
      );
    }
    return (
      <li key={r.id}>
        <details open={depth < 2}>
          <summary>{head} <span className="muted">({kids.length})</span></summary>
          <ul>{kids.map((k) => render(k, depth + 1))}</ul>
        </details>
      </li>
    );
  };
  return <ul className="tree" aria-label={t({ zh: '区划树', en: 'Region tree' })}>{roots.map((r) => render(r, 0))}</ul>;
}

function GridMap({ grid, onClick }: { grid?: GridDetail; onClick: (e: MapClick) => void }) {
  const { t } = useI18n();
  const layers = useMemo<MapLayer[]>(() => {
    if (!grid) return [];
    const data: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: grid.id }, geometry: grid.geometry as never }] };
    return [{ id: 'selected-grid', type: 'fill', data, paint: { 'fill-color': '#ef6c00', 'fill-opacity': 0.45 } }];
  }, [grid]);
  return (
    <MapView height={460} onClick={onClick} layers={layers} show={{ districts: true, streets: true, communities: true, grids: true }}
      onReady={(m) => { (window as unknown as { cityopsAdminMap: unknown }).cityopsAdminMap = m; }}
      aria-label={t({ zh: '区划与网格地图', en: 'Map of regions and grids' })} />
  );
}

function GridDetails({ id, q, onClose }: { id: string; q: QueryState<GridDetail | undefined>; onClose: () => void }) {
  const { t } = useI18n();
  const label = useLabel();
  const g = q.data?.id === id ? q.data : undefined;
  return (
    <div className="grid-details" aria-live="polite">
      {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : !g ? <Loading inline /> : (
        <>
          <div className="row-between">
            <h3 data-testid="grid-details-name">{g.name}</h3>
            <button type="button" className="btn" onClick={onClose}>{t({ zh: '关闭', en: 'Close' })}</button>
          </div>
          <dl className="kv">
            <dt>{t({ zh: '网格编号', en: 'Grid id' })}</dt><dd><code>{g.id}</code></dd>
            <dt>{t({ zh: '网格编码', en: 'Code' })}</dt><dd><code>{g.code}</code></dd>
            <dt>{t({ zh: '类型', en: 'Kind' })}</dt><dd>{g.kind === 'unit' ? t({ zh: '单元网格', en: 'Unit grid' }) : t({ zh: '责任网格', en: 'Responsibility grid' })}</dd>
            <dt>{label(LEVEL_LABELS, 'community')}</dt><dd>{g.community.name}</dd>
            <dt>{label(LEVEL_LABELS, 'street')}</dt><dd>{g.street?.name ?? '—'}</dd>
            <dt>{t({ zh: '区域类别', en: 'Area class' })}</dt><dd>{g.areaClass ?? '—'}</dd>
            <dt>{t({ zh: '面积', en: 'Area' })}</dt><dd>{formatNumber(Math.round(g.areaM2))} m²</dd>
            <dt>{t({ zh: '范围', en: 'Bounding box' })}</dt><dd><code>{g.bbox.map((n) => n.toFixed(5)).join(', ')}</code></dd>
          </dl>
        </>
      )}
    </div>
  );
}

function CommunityGrids({ community, onPick }: { community: Region; onPick: (id: string) => void }) {
  const { t } = useI18n();
  const q = useQuery((signal) => api.GET('/api/v1/grids', { signal, params: { query: { communityId: community.id, limit: 2000 } } }), [community.id]);
  const items = q.data?.items ?? [];
  const paged = usePaged(items, 15, community.id);
  return (
    <section className="card" aria-labelledby="community-grids-h">
      <h2 id="community-grids-h">{t({ zh: '{name}的网格', en: 'Grids of {name}' }, { name: community.name })}</h2>
      {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : !q.data ? <Loading /> : items.length === 0 ? <EmptyState /> : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th>{t({ zh: '名称', en: 'Name' })}</th><th>{t({ zh: '编码', en: 'Code' })}</th><th>{t({ zh: '类别', en: 'Class' })}</th><th /></tr></thead>
              <tbody>
                {paged.rows.map((g) => (
                  <tr key={g.id}>
                    <td>{g.name}</td><td><code>{g.code}</code></td><td>{g.areaClass ?? '—'}</td>
                    <td><button type="button" className="btn btn-small" onClick={() => onPick(g.id)}>{t({ zh: '详情', en: 'Details' })}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager {...paged} label={t({ zh: '网格分页', en: 'Grid pages' })} />
        </>
      )}
    </section>
  );
}

function GridImport() {
  const { t } = useI18n();
  const label = useLabel();
  const msg = useMessage();
  const errorText = useErrorText();
  const [file, setFile] = useState<File | undefined>();
  const [kind, setKind] = useState<NonNullable<ImportQuery['kind']>>('unit');
  const [coordSystem, setCoordSystem] = useState<NonNullable<ImportQuery['coordSystem']>>('wgs84');
  const [dryRun, setDryRun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportReport | undefined>();
  const [failed, setFailed] = useState<{ error: ApiError | Error; report?: ImportReport } | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true); setResult(undefined); setFailed(undefined);
    try {
      let json: unknown;
      try { json = JSON.parse(await file.text()); } catch {
        throw new Error(t({ zh: '文件不是有效的 JSON（GeoJSON）。', en: 'The file is not valid JSON (GeoJSON).' }));
      }
      // The file goes as read: the server validates it and answers with the report.
      const report = await api.POST('/api/v1/grids/import', { body: json as BodyOf<'/api/v1/grids/import', 'post'>, params: { query: { kind, coordSystem, dryRun: dryRun || undefined } } });
      setResult(report);
    } catch (err) {
      const report = isApiError(err) ? ((err.details.details as { report?: ImportReport } | undefined)?.report) : undefined;
      setFailed({ error: err as Error, report });
    } finally { setBusy(false); }
  };

  const problems = useMemo(() => (failed?.report?.problems ?? []).map(problemRow), [failed]);
  const paged = usePaged(problems, 20, failed);

  return (
    <section className="card admin-wide" aria-labelledby="grid-import-h">
      <h2 id="grid-import-h">{t({ zh: '导入网格（GeoJSON）', en: 'Import grids (GeoJSON)' })}</h2>
      <p className="muted">{t({
        zh: 'FeatureCollection，每个要素一个网格：properties.id（或 code）、communityId、name、areaClass；几何为 Polygon 或 MultiPolygon。全部校验通过才导入，按网格编号更新；任何一处错误都不会导入。',
        en: 'A FeatureCollection, one feature per grid: properties.id (or code), communityId, name, areaClass; Polygon or MultiPolygon geometry. All or nothing: any problem and nothing is imported.',
      })}</p>
      <form className="form-row" onSubmit={submit}>
        <div className="field">
          <label htmlFor="grid-import-file">{t({ zh: 'GeoJSON 文件', en: 'GeoJSON file' })}<span className="req" aria-hidden="true"> *</span></label>
          <FileInput id="grid-import-file" accept=".geojson,.json,application/geo+json,application/json" required
            onFiles={(f) => { setFile(f[0]); setResult(undefined); setFailed(undefined); }} />
        </div>
        <Select label={t({ zh: '网格类型', en: 'Grid kind' })} value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}
          options={[{ value: 'unit', label: t({ zh: '单元网格', en: 'Unit grid' }) }, { value: 'responsibility', label: t({ zh: '责任网格', en: 'Responsibility grid' }) }]} />
        <Select label={t({ zh: '坐标系', en: 'Coordinate system' })} value={coordSystem} onChange={(e) => setCoordSystem(e.currentTarget.value as typeof coordSystem)}
          options={[{ value: 'wgs84', label: 'WGS84' }, { value: 'cgcs2000', label: 'CGCS2000' }, { value: 'gcj02', label: t({ zh: 'GCJ-02（高德/腾讯）', en: 'GCJ-02 (AMap/Tencent)' }) }, { value: 'bd09', label: t({ zh: 'BD-09（百度）', en: 'BD-09 (Baidu)' }) }]} />
        <Checkbox label={t({ zh: '只校验，不导入', en: 'Check only, do not import' })} checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={!file || busy}>{busy ? t({ zh: '正在导入…', en: 'Importing…' }) : dryRun ? t({ zh: '校验', en: 'Check' }) : t({ zh: '导入', en: 'Import' })}</button>
        </div>
      </form>
      {result && (
        <div className="notice notice-ok" role="status">
          {result.dryRun
            ? t({ zh: '校验通过：{n} 个要素全部有效，未写入。', en: 'Check passed: all {n} features are valid; nothing written.' }, { n: result.features })
            : t({ zh: '导入成功：{n} 个网格已导入或更新（地图在刷新页面后显示新边界）。', en: 'Imported: {n} grids created or updated (the map shows new boundaries after a reload).' }, { n: result.imported })}
        </div>
      )}
      {failed && (
        <div className="import-report" data-testid="grid-import-report">
          <FormError>
            {failed.report
              ? t({ zh: '校验未通过：{f} 个要素中有 {p} 处问题，未导入任何网格。', en: 'Check failed: {p} problem(s) in {f} features; nothing was imported.' }, { p: failed.report.problems.length, f: failed.report.features })
              : <>{errorText(failed.error)}{isApiError(failed.error) && failed.error.field && <> (<code>{failed.error.field}</code>)</>}</>}
          </FormError>
          {problems.length > 0 && (
            <>
              <div className="table-wrap">
                <table className="table">
                  <caption className="sr-only">{t({ zh: '校验报告', en: 'Validation report' })}</caption>
                  <thead>
                    <tr>
                      <th>{t({ zh: '要素序号', en: 'Feature #' })}</th><th>{t({ zh: '网格编号', en: 'Grid id' })}</th>
                      <th>{t({ zh: '位置（坐标路径）', en: 'Where (coordinate path)' })}</th><th>{t({ zh: '问题', en: 'Problem' })}</th><th>{t({ zh: '说明', en: 'Message' })}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {paged.rows.map((p, i) => (
                      <tr key={`${p.feature}-${p.field}-${i}`}>
                        <td>{p.feature}</td><td>{p.id ? <code>{p.id}</code> : '—'}</td><td><code>{p.field}</code></td>
                        <td>{label(PROBLEM_LABELS, p.code)} <code className="muted">{p.code}</code></td><td title={p.message}>{msg({ key: `grid.${p.code}` }, p.message)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager {...paged} label={t({ zh: '问题分页', en: 'Problem pages' })} />
            </>
          )}
        </div>
      )}
    </section>
  );
}
