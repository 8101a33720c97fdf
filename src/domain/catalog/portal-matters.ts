/**
 * Which matters citizens may report on the portal (issue 8: "the portal offers every public matter") is city data,
 * not code: the settings row `portal_matters` lists matter codes (5 digits) or classes (2 digits) to offer, codes or
 * classes to leave out, and the common ones shown first. By default every event matter (classes 06–10: 市容环境,
 * 宣传广告, 施工管理, 街面秩序, 其他) and every part matter of the public facilities a passer-by sees (01–04:
 * 市政公用, 交通, 市容环卫, 园林绿化); class 05 (其他管理部件: 公房地下室, 加油站, 文物古迹) is for inspectors.
 * A stored row that cannot be read leaves these defaults in force (the reference cache reports it).
 */
import { invalidAs } from '../errors.ts';

export interface PortalMatters {
  /** Matter codes or classes offered. */
  include: string[];
  /** Matter codes or classes left out even when `include` names them (an internal matter in a public class). */
  exclude: string[];
  /** Matter codes listed first, in this order (the problems citizens report most). */
  featured: string[];
}

export const DEFAULT_PORTAL_MATTERS: PortalMatters = {
  include: ['01', '02', '03', '04', '06', '07', '08', '09', '10'],
  exclude: [],
  featured: ['06010', '06042', '06013', '01037', '01023', '06028', '06027', '06036', '09006', '09009', '09010', '09012', '07001', '06017', '06030', '10001'],
};

const CODE_OR_CLASS = /^\d{2}$|^\d{5}$/;
const CODE = /^\d{5}$/;

const names = (list: readonly string[], code: string) => list.some((m) => m === code || (m.length === 2 && code.startsWith(m)));

/** Is this matter offered on the portal? */
export function isPortalMatter(p: PortalMatters, code: string): boolean {
  return names(p.include, code) && !names(p.exclude, code);
}

/** The matters offered, featured first (in their order), then by code; `codes` are the catalogue's matter codes. */
export function portalMatterCodes(p: PortalMatters, codes: Iterable<string>): { code: string; featured: boolean }[] {
  const offered = [...codes].filter((c) => isPortalMatter(p, c));
  const set = new Set(offered);
  const featured = p.featured.filter((c) => set.has(c));
  const first = new Set(featured);
  return [
    ...featured.map((code) => ({ code, featured: true })),
    ...offered.filter((c) => !first.has(c)).sort().map((code) => ({ code, featured: false })),
  ];
}

/** @throws DomainError VALIDATION_FAILED naming the field (e.g. `include.2`). */
export function parsePortalMatters(input: unknown, field = 'body'): PortalMatters {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidAs(field, { key: 'catalog.object_with_include_exclude_and' }, 'must be an object with include, exclude and featured');
  const o = input as Record<string, unknown>;
  const list = (key: keyof PortalMatters, re: RegExp, what: string, max: number): string[] => {
    const v = o[key];
    if (v === undefined && key !== 'include') return [];
    if (!Array.isArray(v)) throw invalidAs(key, { key: 'field.list_2' }, 'must be a list');
    if (v.length > max) throw invalidAs(key, { key: 'catalog.have_at_most_entries', params: { max: String(max) } }, `must have at most ${max} entries`);
    const out: string[] = [];
    v.forEach((x, i) => {
      if (typeof x !== 'string' || !re.test(x)) throw invalidAs(`${key}.${i}`, { key: 'field.must_be', params: { what: String(what) } }, `must be ${what}`);
      if (!out.includes(x)) out.push(x);
    });
    return out;
  };
  const include = list('include', CODE_OR_CLASS, 'a matter code (5 digits) or class (2 digits)', 1000);
  if (include.length === 0) throw invalidAs('include', { key: 'catalog.name_at_least_one_matter' }, 'must name at least one matter or class: the portal needs something to offer');
  return {
    include,
    exclude: list('exclude', CODE_OR_CLASS, 'a matter code (5 digits) or class (2 digits)', 1000),
    featured: list('featured', CODE, 'a matter code (5 digits)', 50),
  };
}
