/**
 * House numbers along one road. Chinese door plates follow 左单右双 (odd numbers on one side, even on the other,
 * rising along the road), so a number that is not in the gazetteer is placed between the nearest known numbers
 * *of the same parity*: interpolating across the road would put 13号 on the wrong side of the street.
 */
import { normalizeText } from './normalize.ts';
import type { HouseNumberPoint } from './types.ts';

export interface HouseNumberKey {
  base: number;
  sub: number | null;
  unit: '号' | '弄';
  /** canonical text: 128号, 128-1号, 100弄, 100弄5号 (house 5 in lane 100) */
  key: string;
}

/** 128号 / 一百二十八号 / 128 / 128-1号 / 100弄 / 100弄5号 → its parts; null when the text is not a house number. */
export function parseHouseNumber(text: string): HouseNumberKey | null {
  const read = (t: string): HouseNumberKey | null => {
    const lane = /^(\d+)弄(?:(\d+)号)?$/.exec(t);
    if (lane) {
      const sub = lane[2] === undefined ? null : Number(lane[2]);
      return { base: Number(lane[1]), sub, unit: '弄', key: `${Number(lane[1])}弄${sub === null ? '' : `${sub}号`}` };
    }
    const m = /^(\d+)(?:-(\d+))?号?$/.exec(t);
    if (!m) return null;
    const sub = m[2] === undefined ? null : Number(m[2]);
    return { base: Number(m[1]), sub, unit: '号', key: `${Number(m[1])}${sub === null ? '' : `-${sub}`}号` };
  };
  return read(text) ?? read(normalizeText(text)); // most door plates are already 128号
}

export interface NumberLocation {
  lon: number;
  lat: number;
  /** multiplies the road's score: 1 exact … 0.6 road only */
  factor: number;
  method: 'exact' | 'variant' | 'interpolated' | 'nearest' | 'road';
}

type Known = { n: number; lon: number; lat: number };

export class RoadNumbers {
  private readonly byKey = new Map<string, Known>();
  /** plain numbers (no sub number, 号) by parity: [even, odd], sorted */
  private readonly sides: [Known[], Known[]] = [[], []];
  readonly mid: [number, number];
  readonly count: number;

  constructor(numbers: readonly HouseNumberPoint[], lines: readonly number[][][], fallback: [number, number]) {
    for (const h of numbers) {
      const k = parseHouseNumber(h.number);
      if (!k || !Number.isFinite(h.lon) || !Number.isFinite(h.lat)) continue;
      const known = { n: k.base, lon: h.lon, lat: h.lat };
      this.byKey.set(k.key, known);
      if (k.sub === null && k.unit === '号') this.sides[k.base % 2].push(known);
    }
    for (const s of this.sides) s.sort((a, b) => a.n - b.n);
    this.count = this.byKey.size;
    this.mid = midpoint(lines) ?? medianNumber(this.sides) ?? fallback;
  }

  locate(k: HouseNumberKey): NumberLocation {
    const hit = this.byKey.get(k.key);
    if (hit) return { lon: hit.lon, lat: hit.lat, factor: 1, method: 'exact' };
    // 128-1号 next to 128号; a house in a lane at the lane, a lane at the door number it opens from
    const lane = k.unit === '弄' && k.sub !== null ? this.byKey.get(`${k.base}弄`) : undefined;
    if (lane) return { lon: lane.lon, lat: lane.lat, factor: 0.95, method: 'variant' };
    const base = k.sub !== null || k.unit === '弄' ? this.byKey.get(`${k.base}号`) : undefined;
    if (base) return { lon: base.lon, lat: base.lat, factor: k.unit === '号' ? 0.95 : 0.9, method: 'variant' };
    const same = this.sides[k.base % 2];
    const between = bracket(same, k.base);
    if (between) return { ...between, factor: 0.9, method: 'interpolated' };
    // nothing known on this side around the number: the other side of the road, a street's width off
    const across = bracket(this.sides[(k.base + 1) % 2], k.base);
    if (across) return { ...across, factor: 0.8, method: 'interpolated' };
    const near = nearest(same.length > 0 ? same : this.sides[(k.base + 1) % 2], k.base);
    if (near) return { lon: near.lon, lat: near.lat, factor: 0.7, method: 'nearest' };
    return { lon: this.mid[0], lat: this.mid[1], factor: 0.6, method: 'road' };
  }
}

function bracket(list: Known[], n: number): { lon: number; lat: number } | null {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (list[m].n < n) lo = m + 1;
    else hi = m;
  }
  // list[lo - 1].n < n <= list[lo].n
  if (lo === 0 || lo >= list.length) return null;
  const a = list[lo - 1];
  const b = list[lo];
  const t = (n - a.n) / (b.n - a.n);
  return { lon: a.lon + t * (b.lon - a.lon), lat: a.lat + t * (b.lat - a.lat) };
}

function nearest(list: Known[], n: number): Known | undefined {
  let best: Known | undefined;
  for (const k of list) if (!best || Math.abs(k.n - n) < Math.abs(best.n - n)) best = k;
  return best;
}

function medianNumber(sides: [Known[], Known[]]): [number, number] | null {
  const all = [...sides[0], ...sides[1]].sort((a, b) => a.n - b.n);
  if (all.length === 0) return null;
  const m = all[all.length >> 1];
  return [m.lon, m.lat];
}

/** The point half way along the longest part of a road's centre line (local metric scale). */
function midpoint(lines: readonly number[][][]): [number, number] | null {
  let best: { line: readonly number[][]; len: number } | null = null;
  for (const line of lines) {
    if (line.length < 2) continue;
    const len = lengthOf(line);
    if (!best || len > best.len) best = { line, len };
  }
  if (!best) return null;
  let left = best.len / 2;
  const k = Math.cos((best.line[0][1] * Math.PI) / 180);
  for (let i = 1; i < best.line.length; i++) {
    const [x0, y0] = best.line[i - 1];
    const [x1, y1] = best.line[i];
    const seg = Math.hypot((x1 - x0) * k, y1 - y0);
    if (seg >= left && seg > 0) return [x0 + ((x1 - x0) * left) / seg, y0 + ((y1 - y0) * left) / seg];
    left -= seg;
  }
  const last = best.line[best.line.length - 1];
  return [last[0], last[1]];
}

function lengthOf(line: readonly number[][]): number {
  const k = Math.cos((line[0][1] * Math.PI) / 180);
  let s = 0;
  for (let i = 1; i < line.length; i++) s += Math.hypot((line[i][0] - line[i - 1][0]) * k, line[i][1] - line[i - 1][1]);
  return s;
}

/** Where two roads cross (or touch, as at a T junction): the first crossing of their centre lines, or null. */
export function crossingPoint(a: readonly number[][][], b: readonly number[][][]): [number, number] | null {
  const eps = 1e-9;
  for (const la of a) {
    for (let i = 1; i < la.length; i++) {
      const [px, py] = la[i - 1];
      const rx = la[i][0] - px;
      const ry = la[i][1] - py;
      for (const lb of b) {
        for (let j = 1; j < lb.length; j++) {
          const [qx, qy] = lb[j - 1];
          const sx = lb[j][0] - qx;
          const sy = lb[j][1] - qy;
          const denom = rx * sy - ry * sx;
          if (Math.abs(denom) < 1e-18) continue; // parallel
          const t = ((qx - px) * sy - (qy - py) * sx) / denom;
          const u = ((qx - px) * ry - (qy - py) * rx) / denom;
          if (t >= -eps && t <= 1 + eps && u >= -eps && u <= 1 + eps) return [px + t * rx, py + t * ry];
        }
      }
    }
  }
  return null;
}
