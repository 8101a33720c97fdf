/**
 * Point → grid lookup. Every report, sensor alarm and patrol event is placed on the grid, so this is on the hot
 * path of intake and of bulk re-assignment (e.g. re-locating a year of cases after a grid redraw).
 *
 * Layout: a uniform cell table over the extent of all grids; each cell lists the grids that touch it, in input
 * order, flagged "full" when the grid covers the whole cell. A lookup computes its cell, returns a full grid at
 * once, and otherwise runs an exact point-in-polygon test on the listed grids' edges (flat Float64Array, no
 * allocation). With cells a quarter of a grid wide most lookups in a tessellation land in a full cell.
 *
 * Semantics, identical to `pointInPolygon` in geometry.ts (same arithmetic on the same operands):
 * - `locate` returns the FIRST grid in input order that contains the point, or null.
 * - Boundary: a point exactly on an edge shared by two grids belongs to the grid east of the edge (north of it
 *   for an east-west edge), so in a tessellation every point has exactly one grid; a point on the outer east or
 *   north boundary of the layer is outside (null).
 * - Non-finite coordinates return null (validate at the edge with `validateLonLat`).
 */
import { DomainError, invalidAs } from '../errors.ts';
import type { MultiPolygon, Polygon, PolygonalGeometry } from './geojson.ts';
import { validatePolygonGeometry } from './geometry-validation.ts';
import { buildCellTable, buildEdgeTable, buildLocateTable, EDGE_STRIDE, flattenEdges } from './spatial-index-build.ts';

export interface GridFeature {
  id: string;
  geometry: Polygon | MultiPolygon;
}

export interface GridIndexOptions {
  /**
   * Check each geometry with `validatePolygonGeometry` (self-intersections included) and throw INVALID_GEOMETRY on
   * the first bad one. Default true; set false only for geometries already validated on import.
   */
  validate?: boolean;
  /** Cells per median grid side (default 4: two thirds of lookups in a tessellation need no polygon test). */
  cellsPerGrid?: number;
  /** Upper bound on the cell table (default max(65,536, 32 × grids)). */
  maxCells?: number;
}

export class GridIndex {
  readonly #ids: string[];
  readonly #edges: Float64Array;
  readonly #edgeStart: Uint32Array;
  readonly #cellStart: Uint32Array;
  readonly #items: Int32Array;
  readonly #direct: Int32Array;
  readonly #records: Int32Array;
  readonly #x0: number;
  readonly #y0: number;
  readonly #cols: number;
  readonly #rows: number;
  readonly #invW: number;
  readonly #invH: number;

  constructor(grids: readonly GridFeature[], options: GridIndexOptions = {}) {
    const seen = new Set<string>();
    const geoms: PolygonalGeometry[] = [];
    grids.forEach((g, i) => {
      if (typeof g?.id !== 'string' || g.id.length === 0) throw invalidAs(`grids[${i}].id`, { key: 'grid.grid_id_non_empty_string' }, 'grid id must be a non-empty string');
      if (seen.has(g.id)) throw invalidAs(`grids[${i}].id`, { key: 'grid.duplicate_grid_id', params: { id: String(g.id) } }, `duplicate grid id "${g.id}"`, { id: g.id });
      seen.add(g.id);
      if (options.validate !== false) {
        const problems = validatePolygonGeometry(g.geometry);
        if (problems.length > 0) {
          throw new DomainError('INVALID_GEOMETRY', `grid "${g.id}": ${problems[0].path}: ${problems[0].message}`, {
            field: `grids[${i}].geometry`,
            details: { id: g.id, problems },
            key: `grid.${problems[0].code}`, params: { id: g.id },
          });
        }
      }
      geoms.push(g.geometry);
    });
    this.#ids = grids.map((g) => g.id);
    const raw = flattenEdges(geoms);
    const edges = buildEdgeTable(raw);
    const cells = buildCellTable(raw, {
      cellsPerGrid: options.cellsPerGrid ?? 4,
      maxCells: options.maxCells ?? Math.max(65_536, 32 * grids.length),
    });
    this.#edges = edges.edges;
    this.#edgeStart = edges.edgeStart;
    this.#cellStart = cells.cellStart;
    this.#items = cells.items;
    const locateTable = buildLocateTable(cells, edges);
    this.#direct = locateTable.direct;
    this.#records = locateTable.records;
    this.#x0 = cells.x0;
    this.#y0 = cells.y0;
    this.#cols = cells.cols;
    this.#rows = cells.rows;
    this.#invW = cells.invW;
    this.#invH = cells.invH;
  }

  /** Number of grids indexed. */
  get size(): number {
    return this.#ids.length;
  }

  /** Shape of the cell table, for benchmarks and diagnostics. */
  get stats(): { cols: number; rows: number; entries: number; fullEntries: number; directCells: number; edges: number; bytes: number } {
    let full = 0;
    for (let k = 0; k < this.#items.length; k++) full += this.#items[k] & 1;
    let direct = 0;
    for (let c = 0; c < this.#direct.length; c++) if (this.#direct[c] >= 0) direct++;
    const bytes = [this.#edges, this.#edgeStart, this.#cellStart, this.#items, this.#direct, this.#records].reduce((sum, a) => sum + a.byteLength, 0);
    return { cols: this.#cols, rows: this.#rows, entries: this.#items.length, fullEntries: full, directCells: direct, edges: this.#edges.length / EDGE_STRIDE, bytes };
  }

  /** Id of the grid containing the WGS84 point, or null when it lies outside every grid. */
  locate(lon: number, lat: number): string | null {
    const i = this.locateIndex(lon, lat);
    return i < 0 ? null : this.#ids[i];
  }

  /** Input position of the grid containing the point, or -1. Allocation-free. */
  locateIndex(lon: number, lat: number): number {
    const fx = (lon - this.#x0) * this.#invW;
    const fy = (lat - this.#y0) * this.#invH;
    // written so that NaN fails too
    if (!(fx >= 0 && fy >= 0 && fx < this.#cols && fy < this.#rows)) return -1;
    const cell = Math.floor(fy) * this.#cols + Math.floor(fx);
    const d = this.#direct[cell];
    if (d >= -1) return d; // covered by one grid, or empty
    const rec = this.#records;
    let k = -2 - d;
    const end = k + 1 + 3 * rec[k];
    for (k++; k < end; k += 3) {
      const entry = rec[k];
      if ((entry & 1) === 1 || this.#inside(rec[k + 1], rec[k + 2], lon, lat)) return entry >> 1;
    }
    return -1;
  }

  /** Ids of all grids containing the point, in input order (responsibility layers may overlap). */
  locateAll(lon: number, lat: number): string[] {
    const out: string[] = [];
    const fx = (lon - this.#x0) * this.#invW;
    const fy = (lat - this.#y0) * this.#invH;
    if (!(fx >= 0 && fy >= 0 && fx < this.#cols && fy < this.#rows)) return out;
    const cell = Math.floor(fy) * this.#cols + Math.floor(fx);
    const end = this.#cellStart[cell + 1];
    for (let k = this.#cellStart[cell]; k < end; k++) {
      const entry = this.#items[k];
      if ((entry & 1) === 1 || this.#contains(entry >> 1, lon, lat)) out.push(this.#ids[entry >> 1]);
    }
    return out;
  }

  /** Even-odd crossing test over the polygon's edges; same operands and order as geometry.ts `ringParity`. */
  #contains(poly: number, x: number, y: number): boolean {
    return this.#inside(this.#edgeStart[poly], this.#edgeStart[poly + 1], x, y);
  }

  /** Crossing test over edges [from, to) — a polygon's edges sorted by lowY, possibly cut off above the point. */
  #inside(from: number, to: number, x: number, y: number): boolean {
    const e = this.#edges;
    const end = to * EDGE_STRIDE;
    let odd = false;
    for (let j = from * EDGE_STRIDE; j < end; j += EDGE_STRIDE) {
      const lowY = e[j];
      if (y < lowY) break; // sorted by lowY: no later edge reaches down to y
      if (y >= e[j + 1]) continue;
      if (x < e[j + 2] + (y - lowY) * e[j + 3]) odd = !odd;
    }
    return odd;
  }
}
