/**
 * The names a map shows (issue 8, "every map shows names"): districts, streets and towns, communities and villages
 * at a point inside each, roads along their centre lines, landmarks and compounds at their points. Pure: built from
 * the regions, the grids' points and the gazetteer's places, once per reference version (src/runtime/map-labels-cache.ts).
 *
 * Each label carries its own kind, read from the region's name where the data has no other word for it: a 镇 is a
 * town and a 乡 a township, never a 街道 (sub-district); a 村 is a village, not a 社区. `rank` orders labels of one
 * kind for placement (0 first): main roads (大道, or the longest) before side streets; hospitals and stations before
 * shops. The map style decides at which zoom each kind appears (docs/issue-8/maps.md).
 */
import { regionPoints, type GridPoint, type RegionRef } from './regions.ts';
import type { GazetteerPlace } from './types.ts';

export type RegionKind = 'district' | 'county' | 'subdistrict' | 'town' | 'township' | 'community' | 'village';
export type LabelKind = RegionKind | 'road' | 'landmark' | 'compound';

/** What a region is, by its level and the suffix of its own name (GB/T 2260 names carry it: 芦湾镇, 陈家村). */
export function regionKind(level: string, name: string): RegionKind | undefined {
  const n = name.trim();
  if (level === 'district') return n.endsWith('县') ? 'county' : 'district';
  if (level === 'street') return n.endsWith('镇') ? 'town' : n.endsWith('乡') ? 'township' : 'subdistrict';
  if (level === 'community') return n.endsWith('村') ? 'village' : 'community';
  return undefined;
}

export const REGION_KIND_LABELS: Readonly<Record<RegionKind, { zh: string; en: string }>> = {
  district: { zh: '区', en: 'District' }, county: { zh: '县', en: 'County' },
  subdistrict: { zh: '街道', en: 'Sub-district' }, town: { zh: '镇', en: 'Town' }, township: { zh: '乡', en: 'Township' },
  community: { zh: '社区', en: 'Community' }, village: { zh: '村', en: 'Village' },
};

export interface LabelFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'MultiLineString'; coordinates: number[][][] };
  properties: { id: string; name: string; kind: LabelKind; rank: number; level?: string; category?: string };
}

/** Landmark categories that orient a caller best come first (the others keep rank 2). */
const LANDMARK_RANK: Readonly<Record<string, number>> = { 机关: 0, 医院: 0, 地铁站: 0, 公园: 1, 学校: 1, 卫生服务中心: 1 };
const LEVELS: ReadonlySet<string> = new Set(['district', 'street', 'community']);
/** Roads whose total length is in the top fifth count as main roads (rank 0) as well as every 大道. */
const MAIN_ROAD_SHARE = 0.2;

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const lengthOf = (lines: number[][][]) => lines.reduce((s, l) => s + l.slice(1).reduce((t, p, i) => t + Math.hypot(p[0] - l[i][0], p[1] - l[i][1]), 0), 0);

export function mapLabels(regions: ReadonlyMap<string, RegionRef>, grids: Iterable<GridPoint>, places: readonly GazetteerPlace[]): LabelFeature[] {
  const out: LabelFeature[] = [];
  for (const { region: r, lon, lat } of regionPoints(regions, grids, LEVELS)) {
    const kind = regionKind(r.level, r.name);
    if (!kind) continue;
    out.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [round(lon), round(lat)] }, properties: { id: r.id, name: r.name, kind, rank: 0, level: r.level } });
  }
  const roads = places.filter((p) => p.kind === 'road' && (p.lines?.length ?? 0) > 0);
  const lengths = roads.map((p) => lengthOf(p.lines!)).sort((a, b) => b - a);
  const mainAbove = lengths[Math.max(0, Math.ceil(lengths.length * MAIN_ROAD_SHARE) - 1)] ?? Infinity;
  for (const p of places) {
    const id = `place:${p.id ?? p.name}`;
    if (p.kind === 'road') {
      if (!p.lines?.length) continue;
      const main = p.name.endsWith('大道') || lengthOf(p.lines) >= mainAbove;
      out.push({
        type: 'Feature', geometry: { type: 'MultiLineString', coordinates: p.lines.map((l) => l.map((c) => [round(c[0]), round(c[1])])) },
        properties: { id, name: p.name, kind: 'road', rank: main ? 0 : 1 },
      });
    } else if (p.kind === 'landmark' || p.kind === 'compound') {
      if (!Number.isFinite(p.lon) || !Number.isFinite(p.lat)) continue;
      const rank = p.kind === 'landmark' ? LANDMARK_RANK[p.category ?? ''] ?? 2 : 3;
      out.push({
        type: 'Feature', geometry: { type: 'Point', coordinates: [round(p.lon), round(p.lat)] },
        properties: { id, name: p.name, kind: p.kind, rank, ...(p.category ? { category: p.category } : {}) },
      });
    }
  }
  return out;
}
