/**
 * Matter code helpers (GB/T 47678.5, domain.md §3): 5 digits = 2-digit class (大类) + 3-digit subclass (小类).
 */

const MATTER_CODE = /^\d{5}$/;
const MATTER_CLASS = /^\d{2}$/;

/** Classes 01–05 mirror the part classes as "<part>异常" (e.g. 01001 供水井盖异常); 06–10 are event matters. */
const PART_DERIVED_CLASSES: ReadonlySet<string> = new Set(['01', '02', '03', '04', '05']);

export const isMatterCode = (value: unknown): value is string => typeof value === 'string' && MATTER_CODE.test(value);

export const isMatterClass = (value: unknown): value is string =>
  typeof value === 'string' && MATTER_CLASS.test(value);

export const matterClassOf = (matterCode: string): string => matterCode.slice(0, 2);

/** True for matters of classes 01–05, which concern a part (asset) and default to its maintainer or owner. */
export const isPartDerivedMatter = (matterCode: string): boolean => PART_DERIVED_CLASSES.has(matterClassOf(matterCode));
