/**
 * Normalising Chinese address text, so that what a caller types and what the gazetteer holds compare equal:
 * full-width → half-width (NFKC), a few traditional characters → simplified, Chinese numerals in house and
 * building numbers → Arabic (一百二十八号 → 128号, 第十二中学 → 第12中学), spaces and punctuation removed
 * (the hyphen of 128-1号 kept), building words unified (幢/座/号楼 → 栋, 号房 → 室, 3#楼 → 3栋).
 * Gazetteer names go through the same `normalizeText`, so the rules need only be consistent, not perfect.
 */
import { NUMERAL_CHARS, chineseToNumber } from './numerals.ts';

/** Road-type words, longest first; 望江路 / 望江街 / 望江大道 share the core 望江 (matched as a variant). */
export const ROAD_SUFFIXES = ['大道', '大街', '胡同', '路', '街', '巷', '弄', '道'] as const;
/** Residential compound words, longest first: 锦绣花园 = 锦绣小区 = 锦绣 (core 锦绣). */
export const COMPOUND_SUFFIXES = [
  '小区', '花园', '家园', '新村', '公寓', '名邸', '华庭', '雅苑', '花苑', '公馆', '山庄', '佳苑', '嘉园',
  '苑', '府', '庭', '园', '邸', '居', '村', '里', '湾', '郡', '城',
] as const;
/** Generic compound words: a query ending in these (or in nothing) names the compound itself. */
export const GENERIC_COMPOUND_WORDS = ['住宅小区', '小区', '宿舍'] as const;
/** Landmark words (学校, 医院, 地铁站 …), used to classify the name part of a parsed address. */
export const LANDMARK_SUFFIXES = [
  '卫生服务中心', '地铁站', '幼儿园', '菜市场', '卫生院', '派出所', '体育馆', '图书馆', '博物馆', '医院', '学校', '小学',
  '中学', '大学', '学院', '公园', '政府', '中心', '市场', '商场', '超市', '银行', '酒店', '宾馆', '广场', '大厦', '站',
] as const;

/** Position words: removed from the text before matching, reported as qualifiers (the point is near, not at). */
export const QUALIFIERS = [
  '交叉口', '交汇处', '十字路口', '附近', '旁边', '对面', '周边', '周围', '隔壁', '门口', '边上', '一带', '东侧', '西侧',
  '南侧', '北侧', '东面', '西面', '南面', '北面', '路口', '街口',
] as const;

const TRADITIONAL: Readonly<Record<string, string>> = {
  號: '号', 樓: '楼', 單: '单', 區: '区', 縣: '县', 鎮: '镇', 園: '园', 莊: '庄', 門: '门', 橋: '桥', 灣: '湾',
  廣: '广', 東: '东', 陽: '阳', 華: '华', 國: '国', 場: '场', 醫: '医', 學: '学', 層: '层', 棟: '栋', 濱: '滨',
  興: '兴', 豐: '丰', 龍: '龙', 鳳: '凤', 雲: '云', 長: '长', 錦: '锦', 繡: '绣', 綠: '绿', 蘭: '兰', 嶺: '岭',
  衖: '弄', 館: '馆', 車: '车', 處: '处', 側: '侧', 邊: '边', 對: '对',
};
const TRAD_RE = new RegExp(`[${Object.keys(TRADITIONAL).join('')}]`, 'g');
const NUM = `[${NUMERAL_CHARS}]+`;
/** a Chinese numeral before a number word (号, 弄, 栋, 单元, 室, 楼, 层, 号线 …, 中 as in 十二中) or after 第 */
const NUMERAL_BEFORE_UNIT = new RegExp(`(${NUM})(?=号|弄|栋|幢|座|单元|室|楼|层|巷|组|期|中(?!心))`, 'g');
const NUMERAL_AFTER_DI = new RegExp(`第(${NUM})`, 'g');
/** a number ending the text right after a road word: 望江路一百二十八 (号 left out) */
const NUMERAL_AFTER_ROAD = new RegExp(`(?<=[路街道巷弄])(${NUM})$`);
const KEEP_HYPHEN = '\uE000';

const toArabic = (m: string, n: string) => {
  const v = chineseToNumber(n);
  return v === null ? m : m.replace(n, String(v));
};

/** Character-level normalisation shared by queries and gazetteer names. */
export function normalizeText(text: string): string {
  let t = text.normalize('NFKC').replace(TRAD_RE, (c) => TRADITIONAL[c]).toUpperCase();
  t = t.replace(NUMERAL_BEFORE_UNIT, toArabic).replace(NUMERAL_AFTER_DI, toArabic).replace(NUMERAL_AFTER_ROAD, toArabic);
  t = t.replace(/(\d)\s*#/g, '$1号');
  t = t.replace(/(\d)\s*[-‐‑‒–—―~之]\s*(?=\d)/g, `$1${KEEP_HYPHEN}`);
  t = t.replace(/[\s\p{P}\p{S}\p{Cc}\p{Cf}]/gu, '').replaceAll(KEEP_HYPHEN, '-');
  t = t.replace(/(\d+|[A-Z])(号楼|栋楼|号栋|幢|座)/g, '$1栋');
  t = t.replace(/(\d+)(号房|房间|房)/g, '$1室');
  return t;
}

export interface NormalizedAddress {
  /** the text to match: normalised, qualifiers and the configured city/district prefix removed */
  text: string;
  /** position words found (附近, 对面, 交叉口 …), in order of appearance */
  qualifiers: string[];
  /** the region prefixes removed (e.g. 江海市, 滨江区) */
  regions: string[];
}

export interface NormalizeOptions {
  /**
   * Names of the configured city and district (e.g. 江海市, 滨江区): removed from the start of a query, with an
   * optional province before them. Only full names: 江海 alone could be the start of 江海路.
   */
  regionNames?: readonly string[];
}

const PROVINCE = /^(?:中华人民共和国|中国)?(?:[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,8}自治区)?/u;

/** Normalise an address as typed by a caller (see the module comment). */
export function normalizeAddress(text: string, opts: NormalizeOptions = {}): NormalizedAddress {
  let t = normalizeText(text);
  const qualifiers: { q: string; at: number }[] = [];
  for (const q of QUALIFIERS) {
    let at = t.indexOf(q);
    while (at >= 0) {
      qualifiers.push({ q, at });
      // 建设路口 → 建设路 (路口 is "the road's mouth"; the road word stays)
      const keep = q === '路口' ? '路' : q === '街口' ? '街' : '';
      t = t.slice(0, at) + keep + t.slice(at + q.length);
      at = t.indexOf(q, at + keep.length);
    }
  }
  if (qualifiers.length > 0) t = t.replace(NUMERAL_AFTER_ROAD, toArabic); // 望江路一百二十八附近
  const regions = stripRegionPrefix(t, opts.regionNames ?? []);
  for (const r of regions) t = t.slice(r.length);
  return { text: t, qualifiers: qualifiers.sort((a, b) => a.at - b.at).map((x) => x.q), regions };
}

/** The configured region names at the start of `t` (province allowed before them), as they appear. */
export function stripRegionPrefix(t: string, regionNames: readonly string[]): string[] {
  const names = [...regionNames].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
  const out: string[] = [];
  let rest = t;
  const province = PROVINCE.exec(rest)?.[0] ?? '';
  if (province && names.some((n) => rest.startsWith(n, province.length))) {
    out.push(province);
    rest = rest.slice(province.length);
  }
  for (let again = true; again;) {
    again = false;
    for (const n of names) {
      if (rest.startsWith(n) && rest.length > n.length) {
        out.push(n);
        rest = rest.slice(n.length);
        again = true;
        break;
      }
    }
  }
  return out;
}

/** 望江路 → 望江 (the core of a road name), or null when nothing of substance is left. */
export function roadCore(name: string): { core: string; suffix: string } | null {
  for (const s of ROAD_SUFFIXES) {
    if (name.endsWith(s) && name.length - s.length >= 2) return { core: name.slice(0, -s.length), suffix: s };
  }
  return null;
}

/** 锦绣花园小区 → [锦绣花园, 锦绣]: the name without its generic word (小区), then without its compound word. */
export function compoundCores(name: string): string[] {
  const out: string[] = [];
  let cur = name;
  const strip = (words: readonly string[]) => {
    const w = words.find((x) => cur.endsWith(x) && cur.length - x.length >= 2);
    if (w) out.push((cur = cur.slice(0, -w.length)));
  };
  strip(GENERIC_COMPOUND_WORDS);
  strip(COMPOUND_SUFFIXES.filter((w) => !(GENERIC_COMPOUND_WORDS as readonly string[]).includes(w)));
  return out;
}

/** The compound or road word at the start of `rest`, if any. */
export const startsWithAny = (rest: string, words: readonly string[]): string | undefined => words.find((w) => rest.startsWith(w));
