/**
 * Matter and part classes (GB/T 47678.5-2026). Codes are 5 digits: 2-digit class + 3-digit subclass.
 * Matter classes 01–05 mirror the part classes as "<part>异常" (same code); 06–10 are event classes.
 * The key of a class is (kind, code): 01001 is both the part 供水井盖 and the matter 供水井盖异常.
 */
import { invalidAs } from '../errors.ts';

export type MatterKind = 'matter' | 'part';

export interface MatterClassDef {
  kind: MatterKind;
  code: string;
  name: string;
  classCode: string;
  className: string;
  /** 立案条件: when a report of this matter may be registered. Data, editable per city. */
  registrationCondition: string | null;
  /** 结案条件: what closure requires. Data, editable per city. */
  closureCondition: string | null;
  /** A city's own addition, not from the standard. */
  local: boolean;
}

interface CatalogJsonEntry { code: string; name: string; class: string; className: string }
export interface CatalogJson { matters: CatalogJsonEntry[]; parts: CatalogJsonEntry[] }

export const CODE_RE = /^\d{5}$/;
export const PART_ID_RE = /^\d{17}$/;

// Generic conditions in the spirit of the standard's 立案/结案 rules; cities replace them per matter.
const DEFAULT_REGISTRATION = '位于本市网格范围内，属于本事项，现场情况与上报一致且未在处置中';
const DEFAULT_CLOSURE = '按时限处置完毕，处置结果与现场照片相符，经监督员核查通过';
const PART_REGISTRATION = '部件缺失、破损、移位或功能异常，影响安全或使用';
const PART_CLOSURE = '部件恢复完好或已采取安全防护措施，经核查通过';

export function assertCode(code: string, field: string): void {
  if (!CODE_RE.test(code)) throw invalidAs(field, { key: 'catalog.not_5_digit_class_code', params: { code: String(code) } }, `"${code}" is not a 5-digit class code (2-digit class + 3-digit subclass)`);
}

/** Builds the class list from the standard's transcription: event matters, part classes, and part-derived matters. */
export function buildCatalog(json: CatalogJson): MatterClassDef[] {
  const out: MatterClassDef[] = [];
  const seen = new Set<string>();
  const push = (d: MatterClassDef, field: string) => {
    assertCode(d.code, field);
    if (d.code.slice(0, 2) !== d.classCode) throw invalidAs(field, { key: 'catalog.code_does_not_start_with', params: { code: String(d.code), classCode: String(d.classCode) } }, `code ${d.code} does not start with its class ${d.classCode}`);
    const key = `${d.kind}:${d.code}`;
    if (seen.has(key)) throw invalidAs(field, { key: 'catalog.duplicate_code', params: { kind: String(d.kind), code: String(d.code) } }, `duplicate ${d.kind} code ${d.code}`);
    seen.add(key);
    out.push(d);
  };
  json.matters.forEach((m, i) =>
    push({
      kind: 'matter', code: m.code, name: m.name, classCode: m.class, className: m.className,
      registrationCondition: DEFAULT_REGISTRATION, closureCondition: DEFAULT_CLOSURE, local: false,
    }, `matters[${i}].code`),
  );
  json.parts.forEach((p, i) => {
    push({
      kind: 'part', code: p.code, name: p.name, classCode: p.class, className: p.className,
      registrationCondition: null, closureCondition: null, local: false,
    }, `parts[${i}].code`);
    push({
      kind: 'matter', code: p.code, name: `${p.name}异常`, classCode: p.class, className: `${p.className}（部件）`,
      registrationCondition: PART_REGISTRATION, closureCondition: PART_CLOSURE, local: false,
    }, `parts[${i}].code`);
  });
  return out;
}

/** A part instance id: 6-digit administrative area + 2-digit class + 3-digit subclass + 6-digit sequence. */
export function assertPartId(id: string, field: string, partCode?: string): void {
  if (!PART_ID_RE.test(id)) throw invalidAs(field, { key: 'catalog.not_17_digit_part_id', params: { id: String(id) } }, `"${id}" is not a 17-digit part id (area 6 + class 2 + subclass 3 + sequence 6)`);
  if (partCode && id.slice(6, 11) !== partCode) throw invalidAs(field, { key: 'catalog.part_id_does_not_carry', params: { id: String(id), partCode: String(partCode) } }, `part id ${id} does not carry its class code ${partCode} at digits 7–11`);
}
