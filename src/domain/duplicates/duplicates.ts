/**
 * Duplicate detection (issue 3 §5), pure part.
 *
 * Points are bucketed on a fixed equal-angle grid: lat step = cellMeters / 111320 degrees, lon step =
 * cellMeters / (111320 · cos 31°) degrees (31° N ≈ the latitude of the demo city; north of it a cell is a little
 * narrower east–west, which is why candidates are then filtered by true distance). With cellMeters ≥ the radius,
 * every point within the radius lies in the 3×3 block of cells around the new point, so the store is asked for
 * 9 cells of one matter in one time window — an index range scan on (matter_code, dup_cell, created_at) whose
 * cost does not grow with the store. The cell size is fixed (DUP_CELL_METERS) so stored cells stay comparable;
 * a configured radius above it is clamped to it.
 */

export const DUP_CELL_METERS = 200;
const M_PER_DEG = 111320;
const LON_M_PER_DEG = M_PER_DEG * Math.cos((31 * Math.PI) / 180);

export interface DuplicatePolicy {
  enabled: boolean;
  radiusMeters: number;
  windowHours: number;
  /** 'matter': same matter code (the default); 'class': same matter class (first two digits). */
  match: 'matter' | 'class';
}

/**
 * On by default. The candidate lookup runs inside the store's write transaction (one indexed range scan per case on
 * SQLite; one query per group-committed batch on PostgreSQL), so it costs little throughput. A city tunes or turns
 * it off with the settings row `duplicate_policy`.
 */
export const DEFAULT_DUPLICATE_POLICY: DuplicatePolicy = { enabled: true, radiusMeters: 50, windowHours: 72, match: 'matter' };

/** Merges a stored (partial, possibly malformed) policy onto the defaults; radius is clamped to (0, DUP_CELL_METERS]. */
export function normalisePolicy(raw: unknown): DuplicatePolicy {
  const p = { ...DEFAULT_DUPLICATE_POLICY };
  if (raw && typeof raw === 'object') {
    const r = raw as Record<string, unknown>;
    if (typeof r.enabled === 'boolean') p.enabled = r.enabled;
    if (typeof r.radiusMeters === 'number' && r.radiusMeters > 0) p.radiusMeters = Math.min(r.radiusMeters, DUP_CELL_METERS);
    if (typeof r.windowHours === 'number' && r.windowHours > 0) p.windowHours = r.windowHours;
    if (r.match === 'class' || r.match === 'matter') p.match = r.match;
  }
  return p;
}

export function dupCell(lon: number, lat: number, cellMeters = DUP_CELL_METERS): string {
  const x = Math.floor((lon * LON_M_PER_DEG) / cellMeters);
  const y = Math.floor((lat * M_PER_DEG) / cellMeters);
  return `${x}:${y}`;
}

/** The cell and its 8 neighbours. */
export function neighbourCells(cell: string): string[] {
  const [x, y] = cell.split(':').map(Number);
  const out: string[] = [];
  for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) out.push(`${x + dx}:${y + dy}`);
  return out;
}

/** A square (in degrees) that holds every point within `meters` of (lon, lat), with a 1% margin. */
export function radiusBox(lon: number, lat: number, meters: number): { minLon: number; maxLon: number; minLat: number; maxLat: number } {
  const dLat = (meters * 1.01) / M_PER_DEG;
  const dLon = (meters * 1.01) / (M_PER_DEG * Math.cos((lat * Math.PI) / 180));
  return { minLon: lon - dLon, maxLon: lon + dLon, minLat: lat - dLat, maxLat: lat + dLat };
}

export function haversineMeters(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface DuplicateCandidate { id: number; caseNo: string; state: string; lon: number | null; lat: number | null; createdAt: number }

const CLOSED = new Set(['ARCHIVED', 'CANCELLED']);

/** The oldest open candidate within the radius and the window, or null. */
export function pickMaster(
  candidates: DuplicateCandidate[], point: { lon: number; lat: number }, now: number, policy: DuplicatePolicy,
): { master: DuplicateCandidate; distanceMeters: number } | null {
  if (!policy.enabled) return null;
  const since = now - policy.windowHours * 3600_000;
  let best: { master: DuplicateCandidate; distanceMeters: number } | null = null;
  for (const c of candidates) {
    if (CLOSED.has(c.state) || c.lon === null || c.lat === null || c.createdAt < since) continue;
    const d = haversineMeters(point.lon, point.lat, c.lon, c.lat);
    if (d > policy.radiusMeters) continue;
    if (!best || c.createdAt < best.master.createdAt || (c.createdAt === best.master.createdAt && c.id < best.master.id)) {
      best = { master: c, distanceMeters: Math.round(d * 10) / 10 };
    }
  }
  return best;
}
