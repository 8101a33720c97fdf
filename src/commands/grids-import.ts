/**
 * importGrids: a GeoJSON FeatureCollection of grid polygons. Every feature is checked first (geometry validity,
 * community exists, ids); if any is invalid nothing is written and the report lists each problem with its
 * feature and coordinate path. Valid files are upserted by grid id in one transaction.
 */
import { DomainError } from '../domain/errors.ts';
import { bboxOf, polygonAreaM2, toWgs84, validatePolygonGeometry, type CoordSystem, type PolygonalGeometry } from '../domain/grid/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';

export interface GridImportProblem { feature: number; id: string | null; field: string; code: string; message: string }
export interface GridImportReport { features: number; valid: number; problems: GridImportProblem[]; imported: number; dryRun: boolean }

type Feature = { type?: unknown; id?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };

function convert(geom: PolygonalGeometry, from: CoordSystem): PolygonalGeometry {
  if (from === 'wgs84' || from === 'cgcs2000') return geom;
  const ring = (r: number[][]) => r.map(([x, y]) => toWgs84(x, y, from));
  return geom.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geom.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: geom.coordinates.map((p) => p.map(ring)) };
}

export async function importGrids(
  ctx: AppContext, json: unknown, opts: { kind?: 'unit' | 'responsibility'; dryRun?: boolean; coordSystem?: CoordSystem; actorId?: string | null } = {},
): Promise<GridImportReport> {
  const fc = json as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new DomainError('VALIDATION_FAILED', 'file: must be a GeoJSON FeatureCollection with a "features" array', { field: 'file' });
  }
  const ref = ctx.ref.current();
  const problems: GridImportProblem[] = [];
  const rows: { id: string; code: string; name: string; communityId: string; areaClass: string | null; geometry: PolygonalGeometry }[] = [];
  const seen = new Set<string>();
  (fc.features as Feature[]).forEach((f, i) => {
    const props = f?.properties ?? {};
    const id = String(props.id ?? f?.id ?? props.code ?? '');
    const add = (field: string, code: string, message: string) => problems.push({ feature: i, id: id || null, field: `features[${i}].${field}`, code, message });
    if (!id) return add('properties.id', 'MISSING_ID', 'each grid needs properties.id (or code)');
    if (seen.has(id)) add('properties.id', 'DUPLICATE_ID', `grid id ${id} appears twice in the file`);
    seen.add(id);
    const communityId = String(props.communityId ?? props.community_id ?? '');
    if (!ref.regions.has(communityId) || ref.regions.get(communityId)!.level !== 'community') {
      add('properties.communityId', 'UNKNOWN_COMMUNITY', `community "${communityId}" is not a known community region`);
    }
    const geomProblems = validatePolygonGeometry(f?.geometry);
    for (const p of geomProblems) add(`geometry.${p.path}`, p.code, p.message);
    if (geomProblems.length === 0 && communityId) {
      rows.push({
        id, code: String(props.code ?? id), name: String(props.name ?? id), communityId,
        areaClass: typeof props.areaClass === 'string' ? props.areaClass : null,
        geometry: convert(f.geometry as PolygonalGeometry, opts.coordSystem ?? 'wgs84'),
      });
    }
  });
  const report: GridImportReport = { features: fc.features.length, valid: rows.length, problems, imported: 0, dryRun: !!opts.dryRun };
  if (problems.length > 0) {
    throw new DomainError('INVALID_GEOMETRY', `file: ${problems.length} problem(s) in ${fc.features.length} features; nothing was imported. First: ${problems[0].field}: ${problems[0].message}`, {
      field: problems[0].field, details: { report },
    });
  }
  if (opts.dryRun) return report;
  const now = ctx.clock.now();
  await ctx.store.transaction(async (tx) => {
    await tx.admin.upsertGrids(rows.map((r) => ({
      id: r.id, code: r.code, name: r.name, kind: opts.kind ?? 'unit', communityId: r.communityId, geometry: r.geometry,
      areaM2: polygonAreaM2(r.geometry), areaClass: r.areaClass, bbox: bboxOf(r.geometry) as [number, number, number, number],
    })), now);
    await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('grids.imported', { count: rows.length, by: opts.actorId ?? null }, now));
  });
  await ctx.ref.load();
  return { ...report, imported: rows.length };
}
