/**
 * The offline geocoder: address text → candidate points from a local gazetteer of roads (with door-plate
 * numbers), residential compounds and landmarks. Pure and synchronous; built once from the places and reused.
 *
 * Matching rules (scores 0–1; see rank.ts for merging and the outcome):
 * - road + number: the road named right before the number — exactly (1), by its core or another road word
 *   (望江128号, 望江街128号 for 望江路: 0.85), or with one character off (≈0.7) — times the number's factor:
 *   1 when the number is known, 0.95 for 128-1号 at 128号, 0.9 interpolated between the nearest numbers of the
 *   same parity, 0.8 from the other side, 0.7 the nearest known number, 0.6 the road's middle;
 * - compound / landmark name anywhere in the text: exact 1; a compound by its core with no word or a generic
 *   one (锦绣, 锦绣小区 for 锦绣花园) 0.95, with another compound word (锦绣苑) 0.85; common landmark forms
 *   (世纪大道站 for 地铁2号线世纪大道站, 12中 for 第十二中学); names without the city/district prefix;
 * - tolerant: one wrong, missing or extra character (two from eight characters), ≈0.69–0.77;
 * - a road alone: its middle, 0.85 × the name score; two roads named together: their crossing;
 * - a region (街道/镇, 社区/村) by its name or its name without the suffix (芦湾 for 芦湾镇): a representative
 *   point inside it, 0.9 × the name score and never exact — a town is not a place to send a handler to, so the
 *   caller is asked to confirm or click the map.
 */
import {
  GENERIC_COMPOUND_WORDS, ROAD_SUFFIXES, compoundCores, normalizeAddress, normalizeText, roadCore, stripRegionPrefix, type NormalizeOptions,
} from './normalize.ts';
import { houseNumbersIn, parseNormalized } from './parse.ts';
import { NameIndex, type Alias } from './name-index.ts';
import { RoadNumbers, crossingPoint, parseHouseNumber, type HouseNumberKey } from './road-numbers.ts';
import { approxSubstring, fuzzyScore, maxEdits } from './similarity.ts';
import { ROAD_ONLY, decide, dropContained, mergeCandidates, type Cand } from './rank.ts';
import type { GazetteerPlace, GeocodeOptions, GeocodeResult, MatchMethod } from './types.ts';

interface Entry {
  place: GazetteerPlace;
  norm: string;
  lines: number[][][];
  road?: RoadNumbers;
  roadCore?: { core: string; suffix: string };
  addrRoad?: number;
  addrNumber?: string;
}

interface NameMatch { score: number; exact: boolean; fuzzy: boolean; method: MatchMethod; start: number; end: number }

const SEARCH_WIDTH = 64;
const MAX_QUERY = 200;
/** 望江街 or 望江 for 望江路: below an exact road with an interpolated number (0.9), which it must not tie */
const ROAD_VARIANT = 0.85;
/** A region named: below a compound or landmark of the same words (锦绣 → 锦绣花园 before 锦绣社区) */
const REGION_ONLY = 0.9;

export class Gazetteer {
  private readonly entries: Entry[] = [];
  private readonly index = new NameIndex();
  private readonly regionNames: string[];

  constructor(places: readonly GazetteerPlace[], opts: NormalizeOptions = {}) {
    this.regionNames = (opts.regionNames ?? []).map(normalizeText).filter((n) => n.length >= 2);
    for (const p of places) this.add(p);
    this.index.finish();
    for (const e of this.entries) if (e.place.address && !e.road) this.resolveAddress(e);
  }

  /** entries held (roads, compounds, landmarks) */
  get size(): number {
    return this.entries.length;
  }

  /** house numbers held, over all roads */
  get houseNumbers(): number {
    return this.entries.reduce((s, e) => s + (e.road?.count ?? 0), 0);
  }

  geocode(text: string, opts: GeocodeOptions = {}): GeocodeResult {
    const limit = Math.max(1, Math.min(50, Math.floor(opts.limit ?? 5)));
    const n = normalizeAddress(text.slice(0, MAX_QUERY * 2), { regionNames: this.regionNames });
    const parsed = parseNormalized(n);
    const t = n.text.slice(0, MAX_QUERY);
    if (t.length < 2) return { outcome: 'none', candidates: [], parsed };
    const hits = this.index.search(t, SEARCH_WIDTH);
    const cands = this.numberCandidates(t, hits);
    for (const id of hits) {
      const alias = this.index.aliases[id];
      const m = this.matchAlias(alias, t);
      if (m) cands.push(this.nameCandidate(alias.entry, m));
    }
    let list = dropContained(mergeCandidates(cands));
    list = this.crossings(list);
    return { ...decide(list, limit, t), parsed };
  }

  private add(p: GazetteerPlace): void {
    const norm = normalizeText(p.name);
    if (norm.length < 2 || !Number.isFinite(p.lon) || !Number.isFinite(p.lat)) return;
    const id = this.entries.length;
    const e: Entry = { place: p, norm, lines: p.lines ?? [] };
    this.entries.push(e);
    const names = p.kind === 'landmark' ? [norm, ...landmarkForms(norm)] : [norm];
    for (const name of names) {
      this.index.add(id, name, 'name');
      const prefix = stripRegionPrefix(name, this.regionNames).join('');
      if (prefix && name.length - prefix.length >= 2) this.index.add(id, name.slice(prefix.length), 'name');
    }
    if (p.kind === 'road') {
      e.road = new RoadNumbers(p.houseNumbers ?? [], e.lines, [p.lon, p.lat]);
      const rc = roadCore(norm);
      if (rc) {
        e.roadCore = rc;
        this.index.add(id, rc.core, 'road-core');
      }
    } else if (p.kind === 'compound') {
      for (const core of compoundCores(norm)) this.index.add(id, core, 'core');
    } else if (p.kind === 'region') {
      const core = regionCore(norm);
      if (core) this.index.add(id, core, 'region-core');
    }
  }

  /** A compound's or landmark's own road and number, read from its address against the roads held. */
  private resolveAddress(e: Entry): void {
    const t = normalizeAddress(e.place.address!, { regionNames: this.regionNames }).text;
    for (const m of houseNumbersIn(t)) {
      const key = parseHouseNumber(m[1] + (m[2] ?? '号'));
      const road = this.exactRoadsEndingAt(t, m.index!)[0];
      if (key && road !== undefined) {
        e.addrRoad = road;
        e.addrNumber = key.key;
        return;
      }
    }
  }

  private exactRoadsEndingAt(t: string, k: number): number[] {
    const out: number[] = [];
    for (let j = Math.max(0, k - 16); j <= k - 2; j++) {
      for (const id of this.index.byText.get(t.slice(j, k)) ?? []) {
        const a = this.index.aliases[id];
        if (this.entries[a.entry].road && !out.includes(a.entry)) out.push(a.entry);
      }
    }
    return out;
  }

  /** Road + house number: for the first number in the text that follows a known road. */
  private numberCandidates(t: string, hits: number[]): Cand[] {
    let seen = 0;
    for (const m of houseNumbersIn(t)) {
      if (++seen > 3) break;
      const k = m.index!;
      const key = parseHouseNumber(m[1] + (m[2] ?? '号'));
      if (!key) continue;
      const roads = new Set(this.exactRoadsEndingAt(t, k));
      for (const id of hits) if (this.entries[this.index.aliases[id].entry].road) roads.add(this.index.aliases[id].entry);
      const out: Cand[] = [];
      for (const r of roads) {
        const rm = this.roadEndingAt(r, t, k);
        if (rm) out.push(this.numberCandidate(r, key, rm, k + m[0].length));
      }
      if (out.length > 0) return out;
    }
    return [];
  }

  private roadEndingAt(r: number, t: string, k: number): NameMatch | null {
    const e = this.entries[r];
    const name = e.norm;
    const at = (start: number, score: number, method: MatchMethod): NameMatch =>
      ({ score, exact: method === 'exact', fuzzy: method === 'fuzzy', method, start, end: k });
    if (k >= name.length && t.startsWith(name, k - name.length)) return at(k - name.length, 1, 'exact');
    const before = t.slice(0, k);
    if (e.roadCore) {
      const { core } = e.roadCore;
      if (before.endsWith(core)) return at(k - core.length, ROAD_VARIANT, 'variant');
      for (const s of ROAD_SUFFIXES) if (before.endsWith(core + s)) return at(k - core.length - s.length, ROAD_VARIANT, 'variant');
    }
    const allowed = maxEdits(name.length);
    if (allowed === 0) return null;
    const m = approxSubstring(name, t, { endAt: k, anchored: true, maxDistance: allowed });
    return m.distance > 0 && m.distance <= allowed && !/\d/.test(t.slice(m.start, k)) ? at(m.start, fuzzyScore(m.distance, name.length), 'fuzzy') : null;
  }

  private numberCandidate(r: number, key: HouseNumberKey, rm: NameMatch, end: number): Cand {
    const e = this.entries[r];
    const loc = e.road!.locate(key);
    return {
      entry: r, kind: 'house_number', score: rm.score * loc.factor, exact: rm.exact && loc.method === 'exact', literal: rm.exact, fuzzy: rm.fuzzy,
      method: loc.method === 'exact' ? rm.method : loc.method, start: rm.start, end, nameEnd: rm.end, lon: loc.lon, lat: loc.lat,
      name: `${e.place.name}${key.key}`, address: `${e.place.name}${key.key}`,
      communityId: null, placeId: e.place.id ?? null, numberKey: key.key,
    };
  }

  private matchAlias(a: Alias, t: string): NameMatch | null {
    const len = a.text.length;
    if (a.role === 'name') {
      const i = t.indexOf(a.text);
      if (i >= 0) return { score: 1, exact: true, fuzzy: false, method: 'exact', start: i, end: i + len };
      // tolerance is for mistyped characters of a name, not for numbers (12中 is not 128)
      const allowed = /\d/.test(a.text) ? 0 : maxEdits(len);
      if (allowed === 0) return null;
      const m = approxSubstring(a.text, t, { maxDistance: allowed });
      if (m.distance === 0 || m.distance > allowed || /\d/.test(t.slice(m.start, m.end))) return null;
      return { score: fuzzyScore(m.distance, len), exact: false, fuzzy: true, method: 'fuzzy', start: m.start, end: m.end };
    }
    for (let i = t.indexOf(a.text); i >= 0; i = t.indexOf(a.text, i + 1)) {
      const after = t.slice(i + len);
      if (a.role === 'region-core') {
        // 芦湾 names 芦湾镇, but 芦湾路 / 芦湾花园 / 芦湾小区 name a road or a compound of those words
        const named = ROAD_SUFFIXES.some((x) => after.startsWith(x)) || GENERIC_COMPOUND_WORDS.some((w) => after.startsWith(w)) || compoundWordAt(after);
        if (!named) return { score: 0.95, exact: false, fuzzy: false, method: 'variant', start: i, end: i + len };
        continue;
      }
      if (a.role === 'core') {
        // 锦绣 / 锦绣小区 / 锦绣3栋 name 锦绣花园 itself; 锦绣苑 is another form of the name, less sure
        const generic = GENERIC_COMPOUND_WORDS.find((w) => after.startsWith(w));
        if (after === '' || /^[\dA-Z]/.test(after) || generic) {
          return { score: 0.95, exact: true, fuzzy: false, method: 'variant', start: i, end: i + len + (generic?.length ?? 0) };
        }
        const word = compoundWordAt(after);
        if (word) return { score: 0.85, exact: false, fuzzy: false, method: 'variant', start: i, end: i + len + word.length };
      } else {
        // 望江街 for 望江路 (but 望江街道 is a sub-district, and 望江 + a number is handled with the number)
        const e = this.entries[a.entry];
        const s = ROAD_SUFFIXES.find((x) => after.startsWith(x));
        if (s && s !== e.roadCore?.suffix && !(s === '街' && after[1] === '道')) {
          return { score: ROAD_VARIANT, exact: false, fuzzy: false, method: 'variant', start: i, end: i + len + s.length };
        }
      }
    }
    return null;
  }

  private nameCandidate(entry: number, m: NameMatch): Cand {
    const e = this.entries[entry];
    const p = e.place;
    const road = p.kind === 'road';
    const region = p.kind === 'region';
    return {
      entry, kind: p.kind, score: road ? m.score * ROAD_ONLY : region ? m.score * REGION_ONLY : m.score, exact: road || region ? false : m.exact,
      literal: m.method === 'exact', fuzzy: m.fuzzy,
      method: road ? 'road' : region ? 'region' : m.method, start: m.start, end: m.end, nameEnd: m.end,
      lon: road ? e.road!.mid[0] : p.lon, lat: road ? e.road!.mid[1] : p.lat, name: p.name, address: p.address ?? null,
      communityId: p.communityId ?? null, placeId: p.id ?? null, addrRoad: e.addrRoad, addrNumber: e.addrNumber,
    };
  }

  /** Two roads named together (建设路与同心街, 建设路同心街路口) → their crossing, when they cross. */
  private crossings(list: Cand[]): Cand[] {
    if (list.some((c) => c.kind === 'house_number')) return list;
    const roads = list.filter((c) => c.kind === 'road' && !c.fuzzy).sort((a, b) => a.start - b.start);
    for (let i = 0; i < roads.length; i++) {
      for (let j = i + 1; j < roads.length; j++) {
        const a = roads[i];
        const b = roads[j];
        if (a.entry === b.entry || b.start < a.end) continue;
        const p = crossingPoint(this.entries[a.entry].lines, this.entries[b.entry].lines);
        if (!p) continue;
        const both = Math.min(a.score, b.score) / ROAD_ONLY;
        const cross: Cand = {
          ...a, kind: 'intersection', score: both, exact: both >= 1, method: 'intersection', end: b.end, nameEnd: b.end, lon: p[0], lat: p[1],
          name: `${a.name}与${b.name}交叉口`, address: `${a.name}与${b.name}交叉口`, communityId: null,
        };
        return [cross, ...list.filter((c) => c !== a && c !== b)];
      }
    }
    return list;
  }
}

/** 芦湾 for 芦湾镇, 望江 for 望江街道, 锦绣 for 锦绣社区: a region is often named without its level word. */
function regionCore(name: string): string | undefined {
  return /^(.{2,}?)(街道办事处|街道|镇|乡|社区|居委会|村委会|村)$/.exec(name)?.[1];
}

/** Common forms of landmark names: 地铁2号线世纪大道站 → 世纪大道站, 世纪大道地铁站, 地铁世纪大道站; 第12中学 → 12中. */
function landmarkForms(name: string): string[] {
  const out: string[] = [];
  const metro = /^地铁[\d-]+号线(.+)站$/.exec(name);
  if (metro) out.push(`${metro[1]}站`, `${metro[1]}地铁站`, `地铁${metro[1]}站`);
  const school = /^(.*)第(\d+)中学$/.exec(name);
  if (school) out.push(`${school[1]}${school[2]}中`);
  return out;
}

const COMPOUND_WORDS_AFTER_CORE = ['花园', '家园', '新村', '公寓', '名邸', '华庭', '雅苑', '花苑', '公馆', '山庄', '苑', '府', '庭', '园', '邸', '居', '村'];
const compoundWordAt = (after: string): string | undefined => COMPOUND_WORDS_AFTER_CORE.find((w) => after.startsWith(w));
