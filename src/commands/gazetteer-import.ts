/**
 * importGazetteer: a GeoJSON FeatureCollection of places (roads with house numbers, compounds, landmarks, and
 * door-plate Points) into the `places` table. All or nothing: every feature is checked first and any problem
 * refuses the whole file (400 naming the feature and field); a valid file is written in one transaction with
 * one outbox row, and the reference version is bumped so that every node rebuilds its geocoder.
 *
 * Identity is kind + name (one 望江路, one 锦绣花园 per city — give same-named compounds a distinguishing word):
 * - mode "upsert" (default): a place of the file replaces the stored place of the same kind and name, others
 *   are kept;
 * - mode "replace": the stored gazetteer is emptied first (a full re-import).
 * Door plates whose road is not in the file join the stored road of that name (same number: replaced), or,
 * when there is none, make a new road known by its numbers only.
 * A compound or landmark without communityId gets the community its point lies in (null outside every grid).
 */
import { DomainError } from '../domain/errors.ts';
import { readGazetteerFile, type FileProblem } from '../domain/geocode/gazetteer-file.ts';
import type { HouseNumberPoint } from '../domain/geocode/index.ts';
import type { CoordSystem } from '../domain/grid/index.ts';
import type { AppContext } from '../runtime/context.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { type NewPlace } from '../storage/repositories/gazetteer.repository.ts';

export type GazetteerImportMode = 'upsert' | 'replace';

export interface GazetteerImportReport {
  mode: GazetteerImportMode;
  features: number;
  roads: number;
  compounds: number;
  landmarks: number;
  houseNumbers: number;
  /** places written (new or replacing a stored one of the same kind and name) */
  written: number;
  /** stored places replaced by a place of the file (upsert) or removed first (replace) */
  replaced: number;
  /** stored roads that received door plates from the file */
  roadsExtended: number;
}

const MAX_PROBLEMS = 100;

export async function importGazetteer(
  ctx: AppContext, json: unknown, opts: { mode?: GazetteerImportMode; coordSystem?: CoordSystem; actorId?: string | null } = {},
): Promise<GazetteerImportReport> {
  const fc = json as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new DomainError('VALIDATION_FAILED', 'file: must be a GeoJSON FeatureCollection with a "features" array', { field: 'file' });
  }
  const features: unknown[] = fc.features;
  const mode = opts.mode ?? 'upsert';
  const file = readGazetteerFile(features, opts.coordSystem ?? 'wgs84');
  const problems: FileProblem[] = [...file.problems];
  const ref = ctx.ref.current();
  const rows: NewPlace[] = [];
  for (const p of file.places) {
    let communityId = p.communityId;
    if (communityId !== null && ref.regions.get(communityId)?.level !== 'community') {
      problems.push({
        feature: p.feature, field: `features[${p.feature}].properties.communityId`,
        message: `features[${p.feature}].properties.communityId: "${communityId}" is not a known community`,
      });
      continue;
    }
    if (communityId === null && p.kind !== 'road') communityId = ctx.ref.locate(p.lon, p.lat)?.communityId ?? null;
    rows.push({
      kind: p.kind, name: p.name, communityId, address: p.address, lon: p.lon, lat: p.lat, geometry: p.geometry,
      houseNumbers: p.houseNumbers, propertyUnitId: p.propertyUnitId, category: p.category,
    });
  }
  if (file.places.length === 0 && file.orphanNumbers.size === 0 && problems.length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'features: the file holds no place', { field: 'features' });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.feature - b.feature);
    throw new DomainError('VALIDATION_FAILED', `${problems[0].message} (${problems.length} problem(s) in ${features.length} features; nothing was imported)`, {
      field: problems[0].field, details: { problems: problems.slice(0, MAX_PROBLEMS) },
    });
  }

  const now = ctx.clock.now();
  const report = await ctx.store.transaction(async (tx) => {
    let replaced = mode === 'replace' ? await tx.gazetteer.deleteAllPlaces() : 0;
    let roadsExtended = 0;
    const extra: NewPlace[] = [];
    const orphanNames = [...file.orphanNumbers.keys()];
    const stored = mode === 'replace' ? [] : await tx.gazetteer.findRoadsByName(orphanNames);
    for (const name of orphanNames) {
      const numbers = file.orphanNumbers.get(name)!;
      const road = stored.find((r) => r.name === name);
      if (road) {
        await tx.gazetteer.updateRoadNumbers(road.id, road.details, mergeNumbers(road.houseNumbers, numbers));
        roadsExtended++;
      } else {
        extra.push({
          kind: 'road', name, communityId: null, address: null, lon: numbers[0].lon, lat: numbers[0].lat, geometry: null,
          houseNumbers: numbers, propertyUnitId: null, category: null,
        });
      }
    }
    const all = [...rows, ...extra];
    if (mode === 'upsert') {
      for (const kind of ['road', 'compound', 'landmark'] as const) {
        replaced += await tx.gazetteer.deletePlacesByName(kind, all.filter((r) => r.kind === kind).map((r) => r.name));
      }
    }
    await tx.gazetteer.insertPlaces(all);
    const count = (k: string) => all.filter((r) => r.kind === k).length;
    const out: GazetteerImportReport = {
      mode, features: features.length, roads: count('road'), compounds: count('compound'), landmarks: count('landmark'),
      houseNumbers: file.houseNumbers, written: all.length, replaced, roadsExtended,
    };
    await tx.settings.bumpReferenceVersion();
    await tx.outbox.append(configEvent('gazetteer.imported', { ...out, by: opts.actorId ?? null }, now));
    return out;
  });
  await ctx.ref.load();
  return report;
}

/** Stored numbers with the file's on top (same number: the file's point). */
function mergeNumbers(stored: HouseNumberPoint[], incoming: HouseNumberPoint[]): HouseNumberPoint[] {
  const byNumber = new Map(stored.map((h) => [h.number, h]));
  for (const h of incoming) byNumber.set(h.number, h);
  return [...byNumber.values()];
}
