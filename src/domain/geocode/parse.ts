/**
 * Reading the parts of a Chinese address without a gazetteer: 望江路128号锦绣花园3栋2单元501室 →
 * road 望江路, number 128号, compound 锦绣花园, building 3, unit 2, room 501. Best effort: the gazetteer matches
 * names anywhere in the text and does not depend on this split; it is returned to callers (and shown in the
 * UI) so that an operator sees how the address was read.
 */
import {
  COMPOUND_SUFFIXES, GENERIC_COMPOUND_WORDS, LANDMARK_SUFFIXES, ROAD_SUFFIXES, normalizeAddress,
  type NormalizeOptions, type NormalizedAddress,
} from './normalize.ts';

export interface ParsedAddress {
  /** the normalised text the parts were read from */
  normalized: string;
  /** region prefixes removed (江海市, 滨江区) */
  regions: string[];
  /** position words (附近, 对面 …): the place is near the point, not at it */
  qualifiers: string[];
  road?: string;
  /** house number with its word, e.g. 128号, 128-1号, 100弄, 100弄5号 (号 added when the caller left it out) */
  number?: string;
  compound?: string;
  landmark?: string;
  building?: string;
  unit?: string;
  room?: string;
  /** what was not read as any of the above */
  rest: string;
}

/**
 * A house number in normalised text: digits (with a -sub number) after a Chinese character, with 号, 弄 (and
 * the house in the lane: 100弄5号) or nothing, and not a building, unit, room, floor or metro line number (3栋, 2单元, 地铁2号线), nor 第2.
 */
export const HOUSE_NUMBER_RE = /(?<=[\u4e00-\u9fff])(?<!第)(\d+(?:-\d+)?)(?:(号(?!线|楼)|弄(?:\d+号)?)|(?![\d栋单室楼层线期区组座号中弄-]))/gu;

/** Every house-number match in normalised text, in order. */
export function houseNumbersIn(t: string): RegExpMatchArray[] {
  HOUSE_NUMBER_RE.lastIndex = 0;
  return [...t.matchAll(HOUSE_NUMBER_RE)];
}

/** Administrative words that may precede the road in a run of text (望江街道望江路 → 望江路). */
const ADMIN_PREFIX = /^.*(?:街道|社区|居委会|村委会|镇|乡)(?=[\u4e00-\u9fff]{2})/u;
const SEP = '|';

export function parseAddress(text: string, opts: NormalizeOptions = {}): ParsedAddress {
  return parseNormalized(normalizeAddress(text, opts));
}

export function parseNormalized(n: NormalizedAddress): ParsedAddress {
  const out: ParsedAddress = { normalized: n.text, regions: n.regions, qualifiers: n.qualifiers, rest: '' };
  let t = n.text;
  const cut = (re: RegExp, take: (m: RegExpExecArray) => void) => {
    const m = re.exec(t);
    if (!m) return;
    take(m);
    t = t.slice(0, m.index) + SEP + t.slice(m.index + m[0].length);
  };
  cut(/(\d+|[A-Z])栋(?:(\d+)室?(?![\d单]))?/, (m) => { out.building = m[1]; if (m[2]) out.room = m[2]; });
  cut(/(\d+)单元(?:(\d+)室?)?/, (m) => { out.unit = m[1]; if (m[2]) out.room = m[2]; });
  if (!out.room) cut(/(\d+)室/, (m) => { out.room = m[1]; });

  const rest: string[] = [];
  HOUSE_NUMBER_RE.lastIndex = 0;
  const num = HOUSE_NUMBER_RE.exec(t);
  HOUSE_NUMBER_RE.lastIndex = 0;
  if (num) {
    const before = t.slice(0, num.index);
    const run = /[\u4e00-\u9fff]+$/u.exec(before)?.[0] ?? '';
    const road = run.replace(ADMIN_PREFIX, '');
    if (before.length > road.length) rest.push(before.slice(0, before.length - road.length));
    const kind = classify(road);
    if (road && (kind === 'compound' || kind === 'landmark') && !out.building && !num[1].includes('-')) {
      // 江南雅苑3号: after a compound's name a number is its building (3号楼), not a door plate
      out[kind] = road;
      out.building = num[1];
    } else {
      if (road) out.road = road;
      out.number = num[1] + (num[2] ?? '号');
    }
    t = t.slice(num.index + num[0].length);
  }
  for (const piece of t.split(SEP)) {
    if (!piece) continue;
    const kind = classify(piece);
    if (kind === 'road' && !out.road && !out.number) out.road = piece.replace(ADMIN_PREFIX, '');
    else if (kind === 'landmark' && !out.landmark) out.landmark = piece;
    else if (kind === 'compound' && !out.compound) out.compound = piece;
    else if (kind === 'road+name' && !out.road && !out.number) {
      const m = /^(.{2,}?(?:大道|大街|路|街|巷))(.{2,})$/u.exec(piece)!;
      out.road = m[1].replace(ADMIN_PREFIX, '');
      if (classify(m[2]) === 'landmark') out.landmark = m[2];
      else out.compound = m[2];
    } else rest.push(piece);
  }
  out.rest = rest.join('').replaceAll(SEP, '');
  return out;
}

type PieceKind = 'road' | 'landmark' | 'compound' | 'road+name' | 'other';

function classify(piece: string): PieceKind {
  const ends = (words: readonly string[]) => words.some((w) => piece.endsWith(w) && piece.length > w.length);
  if (ends(LANDMARK_SUFFIXES)) {
    const split = /^(.{2,}?(?:大道|大街|路|街|巷))(.{2,})$/u.exec(piece);
    return split && !LANDMARK_SUFFIXES.includes(split[2] as never) ? 'road+name' : 'landmark';
  }
  if (ends(COMPOUND_SUFFIXES) || ends(GENERIC_COMPOUND_WORDS)) {
    const split = /^(.{2,}?(?:大道|大街|路|街|巷))(.{2,})$/u.exec(piece);
    return split && !COMPOUND_SUFFIXES.includes(split[2] as never) ? 'road+name' : 'compound';
  }
  if (ends(ROAD_SUFFIXES)) return 'road';
  return 'other';
}
