/**
 * Building the flat tables behind {@link GridIndex}: polygon edges in one Float64Array and a uniform cell table
 * (CSR layout) listing, for every cell, the polygons that touch it — flagged "full" when the polygon covers the
 * whole cell, so a lookup there needs no point-in-polygon test.
 */
import { polygonsOf, type PolygonalGeometry } from './geojson.ts';

/** Per edge: lowY, highY, x at lowY, dx/dy — the exact operands of the point-in-polygon test in geometry.ts. */
export const EDGE_STRIDE = 4;

export interface EdgeTable {
  edges: Float64Array;
  /** edges of polygon i are edges[edgeStart[i]*EDGE_STRIDE .. edgeStart[i+1]*EDGE_STRIDE) */
  edgeStart: Uint32Array;
  /** minX, minY, maxX, maxY per polygon */
  bboxes: Float64Array;
}

export interface CellTable {
  x0: number;
  y0: number;
  cols: number;
  rows: number;
  /** cells per degree */
  invW: number;
  invH: number;
  /** entries of cell c are items[cellStart[c] .. cellStart[c+1]); entry = polygon * 2 + (full ? 1 : 0) */
  cellStart: Uint32Array;
  items: Int32Array;
}

/**
 * The table `locate` reads, laid out so a lookup touches as few cache lines as possible (with points spread over
 * a city, memory latency, not arithmetic, is the cost): one read of `direct` answers most cells; the others point
 * into `records`, which holds each test's edge range inline so no further table is consulted.
 */
export interface LocateTable {
  /** ≥ 0: the answer (the cell's first entry covers it); -1: no grid touches the cell; ≤ -2: records[-2 - value] */
  direct: Int32Array;
  /** per partial cell: count, then per entry: polygon * 2 + full, first edge, end edge (edges not starting above the row) */
  records: Int32Array;
}

/** Every edge of every polygon, horizontal ones included: ax, ay, bx, by. */
export interface RawEdges {
  xy: Float64Array;
  /** edges of polygon i are xy[start[i]*4 .. start[i+1]*4) */
  start: Uint32Array;
  /** minX, minY, maxX, maxY per polygon */
  bboxes: Float64Array;
}

/** Flattens all rings into one array of edges, closing unclosed rings implicitly (as geometry.ts does). */
export function flattenEdges(geoms: readonly PolygonalGeometry[]): RawEdges {
  let count = 0;
  for (const g of geoms) for (const rings of polygonsOf(g)) for (const ring of rings) count += ring.length;
  let xy = new Float64Array(count * 4);
  const start = new Uint32Array(geoms.length + 1);
  const bboxes = new Float64Array(geoms.length * 4);
  let e = 0;
  for (let i = 0; i < geoms.length; i++) {
    start[i] = e / 4;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const rings of polygonsOf(geoms[i])) {
      for (const ring of rings) {
        const n = ring.length;
        if (n === 0) continue;
        const closed = ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1];
        const edges = closed ? n - 1 : n;
        for (let k = 0; k < edges; k++) {
          const a = ring[k];
          const b = ring[k + 1 === n ? 0 : k + 1];
          const ax = a[0], ay = a[1];
          if (ax < minX) minX = ax;
          if (ax > maxX) maxX = ax;
          if (ay < minY) minY = ay;
          if (ay > maxY) maxY = ay;
          xy[e] = ax; xy[e + 1] = ay; xy[e + 2] = b[0]; xy[e + 3] = b[1];
          e += 4;
        }
      }
    }
    bboxes[i * 4] = minX; bboxes[i * 4 + 1] = minY; bboxes[i * 4 + 2] = maxX; bboxes[i * 4 + 3] = maxY;
  }
  start[geoms.length] = e / 4;
  if (e < xy.length) xy = xy.slice(0, e);
  return { xy, start, bboxes };
}

/**
 * The crossing-test table: horizontal edges dropped (never crossed under the half-open rule), each edge stored from
 * its lower end, a polygon's edges sorted by that lower end.
 */
export function buildEdgeTable(raw: RawEdges): EdgeTable {
  const n = raw.start.length - 1;
  const { xy } = raw;
  let count = 0;
  for (let e = 0; e < xy.length; e += 4) if (xy[e + 1] !== xy[e + 3]) count++;
  const edges = new Float64Array(count * EDGE_STRIDE);
  const edgeStart = new Uint32Array(n + 1);
  let o = 0;
  for (let i = 0; i < n; i++) {
    edgeStart[i] = o / EDGE_STRIDE;
    for (let e = raw.start[i] * 4; e < raw.start[i + 1] * 4; e += 4) {
      const ax = xy[e], ay = xy[e + 1], bx = xy[e + 2], by = xy[e + 3];
      if (ay === by) continue;
      const lower = ay < by;
      const x0 = lower ? ax : bx, y0 = lower ? ay : by, x1 = lower ? bx : ax, y1 = lower ? by : ay;
      // insertion by lowY keeps each polygon's edges sorted, so a test can stop at the first edge above the point
      let q = o - EDGE_STRIDE;
      while (q >= edgeStart[i] * EDGE_STRIDE && edges[q] > y0) {
        edges[q + 4] = edges[q]; edges[q + 5] = edges[q + 1]; edges[q + 6] = edges[q + 2]; edges[q + 7] = edges[q + 3];
        q -= EDGE_STRIDE;
      }
      q += EDGE_STRIDE;
      edges[q] = y0;
      edges[q + 1] = y1;
      edges[q + 2] = x0;
      edges[q + 3] = (x1 - x0) / (y1 - y0);
      o += EDGE_STRIDE;
    }
  }
  edgeStart[n] = o / EDGE_STRIDE;
  return { edges, edgeStart, bboxes: raw.bboxes };
}

/** Margin (degrees, ~0.1 mm) by which edges are widened when rasterised, so rounding can never hide an edge. */
const PAD = 1e-9;

export interface CellSizing {
  /** target cells per median grid side; more cells → more "full" cells, fewer polygon tests, more memory */
  cellsPerGrid: number;
  /** upper bound on the number of cells */
  maxCells: number;
}

function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  return sorted.length === 0 ? 0 : sorted[sorted.length >> 1];
}

export function buildCellTable(raw: RawEdges, sizing: CellSizing): CellTable {
  const n = raw.start.length - 1;
  const { bboxes, xy } = raw;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const widths = new Float64Array(n), heights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, bboxes[i * 4]);
    y0 = Math.min(y0, bboxes[i * 4 + 1]);
    x1 = Math.max(x1, bboxes[i * 4 + 2]);
    y1 = Math.max(y1, bboxes[i * 4 + 3]);
    widths[i] = bboxes[i * 4 + 2] - bboxes[i * 4];
    heights[i] = bboxes[i * 4 + 3] - bboxes[i * 4 + 1];
  }
  if (n === 0) {
    return { x0: 0, y0: 0, cols: 1, rows: 1, invW: 0, invH: 0, cellStart: new Uint32Array(2), items: new Int32Array(0) };
  }
  x0 -= PAD; y0 -= PAD; x1 += PAD; y1 += PAD;
  const spanX = x1 - x0, spanY = y1 - y0;
  const cellW = Math.max(median(widths) / sizing.cellsPerGrid, spanX / 65536, 1e-7);
  const cellH = Math.max(median(heights) / sizing.cellsPerGrid, spanY / 65536, 1e-7);
  let cols = Math.max(1, Math.ceil(spanX / cellW));
  let rows = Math.max(1, Math.ceil(spanY / cellH));
  if (cols * rows > sizing.maxCells) {
    const shrink = Math.sqrt(sizing.maxCells / (cols * rows));
    cols = Math.max(1, Math.floor(cols * shrink));
    rows = Math.max(1, Math.floor(rows * shrink));
  }
  const invW = cols / spanX, invH = rows / spanY;
  const h = spanY / rows;
  const colOf = (x: number): number => Math.min(cols - 1, Math.max(0, Math.floor((x - x0) * invW)));
  const rowOf = (y: number): number => Math.min(rows - 1, Math.max(0, Math.floor((y - y0) * invH)));

  // (cell, entry) pairs in polygon order; counting-sorted into CSR below (stable, so entries stay in input order).
  // Sized once from the bounding boxes, an upper bound, instead of growing (the copies showed up as GC time).
  let bound = 0;
  for (let i = 0; i < n; i++) {
    bound += (colOf(bboxes[i * 4 + 2] + PAD) - colOf(bboxes[i * 4] - PAD) + 1) * (rowOf(bboxes[i * 4 + 3] + PAD) - rowOf(bboxes[i * 4 + 1] - PAD) + 1);
  }
  const pairs = new Int32Array(bound * 2);
  let np = 0;
  let mark = new Uint8Array(1024);
  const rowXs: number[][] = [];

  for (let i = 0; i < n; i++) {
    const c0 = colOf(bboxes[i * 4] - PAD), r0 = rowOf(bboxes[i * 4 + 1] - PAD);
    const c1 = colOf(bboxes[i * 4 + 2] + PAD), r1 = rowOf(bboxes[i * 4 + 3] + PAD);
    const bw = c1 - c0 + 1, bh = r1 - r0 + 1;
    if (mark.length < bw * bh) mark = new Uint8Array(Math.max(bw * bh, mark.length * 2));
    mark.fill(0, 0, bw * bh);
    for (let r = 0; r < bh; r++) (rowXs[r] ??= []).length = 0;

    for (let e = raw.start[i] * 4; e < raw.start[i + 1] * 4; e += 4) {
      const ax = xy[e], ay = xy[e + 1], bx = xy[e + 2], by = xy[e + 3];
      const lowY = ay < by ? ay : by, highY = ay < by ? by : ay;
      const ra = Math.max(r0, rowOf(lowY - PAD)), rb = Math.min(r1, rowOf(highY + PAD));
      const flat = ay === by;
      const slope = flat ? 0 : (bx - ax) / (by - ay);
      // operands of the crossing test, from the lower end (see buildEdgeTable)
      const ex0 = ay < by ? ax : bx, ek = flat ? 0 : ay < by ? slope : (ax - bx) / (ay - by);
      for (let r = ra; r <= rb; r++) {
        const bandLo = y0 + r * h;
        const ya = Math.max(lowY, bandLo - PAD), yb = Math.min(highY, bandLo + h + PAD);
        let xa: number, xb: number;
        if (flat) { xa = Math.min(ax, bx); xb = Math.max(ax, bx); } else {
          xa = ax + (ya - ay) * slope;
          xb = ax + (yb - ay) * slope;
          if (xa > xb) { const t = xa; xa = xb; xb = t; }
        }
        const ca = Math.max(c0, colOf(xa - PAD)), cb = Math.min(c1, colOf(xb + PAD));
        const base = (r - r0) * bw - c0;
        for (let c = ca; c <= cb; c++) mark[base + c] = 1;
        const yc = bandLo + h / 2;
        if (!flat && yc >= lowY && yc < highY) rowXs[r - r0].push(ex0 + (yc - lowY) * ek);
      }
    }

    for (let r = r0; r <= r1; r++) {
      const xs = rowXs[r - r0];
      for (let p = 1; p < xs.length; p++) { // insertion sort: a handful of crossings per row
        const v = xs[p];
        let q = p - 1;
        while (q >= 0 && xs[q] > v) { xs[q + 1] = xs[q]; q--; }
        xs[q + 1] = v;
      }
      let k = 0;
      for (let c = c0; c <= c1; c++) {
        const cell = r * cols + c;
        if (mark[(r - r0) * bw + (c - c0)] === 1) { pairs[np++] = cell; pairs[np++] = i * 2; continue; }
        const xc = x0 + (c + 0.5) / invW;
        while (k < xs.length && xs[k] <= xc) k++;
        // crossings east of the centre decide; no edge comes near this cell, so the whole cell agrees
        if ((xs.length - k) % 2 === 1) { pairs[np++] = cell; pairs[np++] = i * 2 + 1; }
      }
    }
  }

  const cellStart = new Uint32Array(cols * rows + 1);
  for (let p = 0; p < np; p += 2) cellStart[pairs[p] + 1]++;
  for (let c = 0; c < cols * rows; c++) cellStart[c + 1] += cellStart[c];
  const fill = cellStart.slice(0, cols * rows);
  const items = new Int32Array(np / 2);
  for (let p = 0; p < np; p += 2) items[fill[pairs[p]]++] = pairs[p + 1];
  return { x0, y0, cols, rows, invW, invH, cellStart, items };
}

export function buildLocateTable(cells: CellTable, table: EdgeTable): LocateTable {
  const { cols, rows, cellStart, items } = cells;
  const { edges, edgeStart } = table;
  const direct = new Int32Array(cols * rows);
  let size = 0;
  for (let c = 0; c < cols * rows; c++) {
    const k = cellStart[c];
    if (k < cellStart[c + 1] && (items[k] & 1) === 0) size += 1 + 3 * (cellStart[c + 1] - k);
  }
  const records = new Int32Array(size);
  let o = 0;
  for (let c = 0; c < cols * rows; c++) {
    const k0 = cellStart[c], k1 = cellStart[c + 1];
    if (k0 === k1) { direct[c] = -1; continue; }
    if ((items[k0] & 1) === 1) { direct[c] = items[k0] >> 1; continue; }
    direct[c] = -2 - o;
    records[o++] = k1 - k0;
    // any latitude that falls in this row is below bandHi, so edges starting above it can be left out
    const bandHi = cells.y0 + (Math.floor(c / cols) + 1) / cells.invH + PAD;
    for (let k = k0; k < k1; k++) {
      const poly = items[k] >> 1;
      let end = edgeStart[poly + 1];
      while (end > edgeStart[poly] && edges[(end - 1) * EDGE_STRIDE] > bandHi) end--;
      records[o++] = items[k];
      records[o++] = edgeStart[poly];
      records[o++] = end;
    }
  }
  return { direct, records };
}
