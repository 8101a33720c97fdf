/**
 * Extra questions per matter (GeoReport v2 "service definition" attributes, docs/open311.md §1.4): a city asks
 * which cover type is affected (井盖), the pole number (路灯), the volume (暴露垃圾). The definitions are data an
 * administrator edits; this module validates them and validates a report's answers against them. Pure.
 *
 * Choices beyond the spec (each one from what FixMyStreet's Open311 client does with a definition):
 * - `code` is ASCII letters, digits and `_`: it is sent back as the form name `attribute[code]`, and a non-ASCII
 *   code makes FixMyStreet's client encode every non-ASCII value of the form twice.
 * - `automated` (mySociety's extension): `server_set` — the client does not ask, the server fills it (so it is
 *   never required from the client); `hidden_field` — the client fills it without asking (e.g. an asset id).
 * - `variable: false` is an informational text (shown, not asked); it cannot be required and has no values.
 */
import { invalidAs } from '../errors.ts';

export const ATTRIBUTE_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];
export const AUTOMATED_KINDS = ['server_set', 'hidden_field'] as const;
export type AutomatedKind = (typeof AUTOMATED_KINDS)[number];

export interface AttributeValueDef { key: string; name: string }

export interface AttributeDef {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  variable: boolean;
  /** Display order, 1 first, unique within the matter. */
  order: number;
  /** The question (or, when not variable, the information) shown to the citizen. */
  description: string;
  datatypeDescription: string | null;
  /** The allowed answers of the two list datatypes: key = the submitted value, name = its label. */
  values: AttributeValueDef[];
  automated: AutomatedKind | null;
}

export const MAX_ATTRIBUTES = 50;
const CODE_RE = /^[A-Za-z0-9_]{1,50}$/;
const MAX_DESCRIPTION = 500;
const MAX_DATATYPE_DESCRIPTION = 200;
const MAX_VALUES = 100;
const MAX_KEY = 100;
const MAX_NAME = 200;
/** Longest answer per datatype, in characters (text is the spec's multi-line field: 4,000 like a description). */
const MAX_ANSWER: Readonly<Record<AttributeDatatype, number>> = {
  string: 500, text: 4000, number: 40, datetime: 40, singlevaluelist: MAX_KEY, multivaluelist: MAX_KEY,
};

const isList = (d: AttributeDatatype): boolean => d === 'singlevaluelist' || d === 'multivaluelist';
const chars = (s: string): number => [...s].length;

function text(v: unknown, field: string, max: number, required: boolean): string | null {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '' && !required)) return null;
  if (typeof v !== 'string' || v.trim() === '') throw invalidAs(field, { key: 'field.required' }, 'must be a non-blank string');
  const t = v.trim();
  if (chars(t) > max) throw invalidAs(field, { key: 'catalog.at_most_characters', params: { max: String(max) } }, `must be at most ${max} characters`);
  return t;
}

/**
 * Validates a matter's whole set of definitions (as an administrator sends it) and returns it normalised, in
 * display order. Errors name the field, e.g. `attributes[2].values[0].key`.
 */
export function validateAttributeDefs(input: unknown): AttributeDef[] {
  if (!Array.isArray(input)) throw invalidAs('attributes', { key: 'field.list_2' }, 'must be a list');
  if (input.length > MAX_ATTRIBUTES) throw invalidAs('attributes', { key: 'catalog.at_most_attributes_per_matter', params: { max_attributes: String(MAX_ATTRIBUTES) } }, `at most ${MAX_ATTRIBUTES} attributes per matter`);
  const codes = new Map<string, number>();
  const orders = new Map<number, number>();
  const out = input.map((raw, i): AttributeDef => {
    const at = `attributes[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidAs(at, { key: 'field.object' }, 'must be an object');
    const a = raw as Record<string, unknown>;
    if (typeof a.code !== 'string' || !CODE_RE.test(a.code)) {
      throw invalidAs(`${at}.code`, { key: 'catalog.1_50_ascii_letters_digits' }, 'must be 1–50 ASCII letters, digits or _ (clients send it back as attribute[code])');
    }
    const lower = a.code.toLowerCase();
    const first = codes.get(lower);
    if (first !== undefined) throw invalidAs(`${at}.code`, { key: 'catalog.already_used_by_attributes_codes', params: { code: String(a.code), first: String(first) } }, `"${a.code}" is already used by attributes[${first}] (codes are compared without case)`);
    codes.set(lower, i);
    if (typeof a.datatype !== 'string' || !(ATTRIBUTE_DATATYPES as readonly string[]).includes(a.datatype)) {
      throw invalidAs(`${at}.datatype`, { key: 'field.one_of', params: { allowed: ATTRIBUTE_DATATYPES.join(', ') } }, `must be one of ${ATTRIBUTE_DATATYPES.join(', ')}`);
    }
    const datatype = a.datatype as AttributeDatatype;
    const variable = a.variable === undefined ? true : a.variable;
    if (typeof variable !== 'boolean') throw invalidAs(`${at}.variable`, { key: 'field.true_or_false' }, 'must be true or false');
    const required = a.required === undefined ? false : a.required;
    if (typeof required !== 'boolean') throw invalidAs(`${at}.required`, { key: 'field.true_or_false' }, 'must be true or false');
    if (!variable && required) throw invalidAs(`${at}.required`, { key: 'catalog.informational_attribute_variable_false_cannot' }, 'an informational attribute (variable: false) cannot be required');
    if (typeof a.order !== 'number' || !Number.isInteger(a.order) || a.order < 1 || a.order > 10_000) {
      throw invalidAs(`${at}.order`, { key: 'catalog.positive_integer_1_shown_first' }, 'must be a positive integer (1 is shown first)');
    }
    const sameOrder = orders.get(a.order);
    if (sameOrder !== undefined) throw invalidAs(`${at}.order`, { key: 'catalog.already_used_by_attributes', params: { order: String(a.order), sameOrder: String(sameOrder) } }, `${a.order} is already used by attributes[${sameOrder}]`);
    orders.set(a.order, i);
    const description = text(a.description, `${at}.description`, MAX_DESCRIPTION, true)!;
    const datatypeDescription = text(a.datatypeDescription, `${at}.datatypeDescription`, MAX_DATATYPE_DESCRIPTION, false);
    let automated: AutomatedKind | null = null;
    if (a.automated !== undefined && a.automated !== null) {
      if (typeof a.automated !== 'string' || !(AUTOMATED_KINDS as readonly string[]).includes(a.automated)) {
        throw invalidAs(`${at}.automated`, { key: 'catalog.or_absent', params: { allowed: AUTOMATED_KINDS.join(' or ') } }, `must be ${AUTOMATED_KINDS.join(' or ')}, or absent`);
      }
      automated = a.automated as AutomatedKind;
    }
    const values: AttributeValueDef[] = [];
    const rawValues = a.values ?? [];
    if (!Array.isArray(rawValues)) throw invalidAs(`${at}.values`, { key: 'catalog.list' }, 'must be a list of {key, name}');
    if (isList(datatype) && variable) {
      if (rawValues.length === 0) throw invalidAs(`${at}.values`, { key: 'catalog.needs_at_least_one_value', params: { datatype: String(datatype) } }, `${datatype} needs at least one value`);
      if (rawValues.length > MAX_VALUES) throw invalidAs(`${at}.values`, { key: 'catalog.at_most_values', params: { max_values: String(MAX_VALUES) } }, `at most ${MAX_VALUES} values`);
      const keys = new Map<string, number>();
      rawValues.forEach((rv, j) => {
        const vat = `${at}.values[${j}]`;
        if (typeof rv !== 'object' || rv === null) throw invalidAs(vat, { key: 'catalog.must_be' }, 'must be {key, name}');
        const v = rv as Record<string, unknown>;
        const key = text(v.key, `${vat}.key`, MAX_KEY, true)!;
        if (key !== v.key) throw invalidAs(`${vat}.key`, { key: 'catalog.not_start_or_end_with' }, 'must not start or end with spaces (it is compared as sent)');
        const dup = keys.get(key);
        if (dup !== undefined) throw invalidAs(`${vat}.key`, { key: 'catalog.already_used_by_values', params: { key_: String(key), dup: String(dup) } }, `"${key}" is already used by values[${dup}]`);
        keys.set(key, j);
        values.push({ key, name: text(v.name, `${vat}.name`, MAX_NAME, true)! });
      });
    } else if (rawValues.length > 0) {
      throw variable
        ? invalidAs(`${at}.values`, { key: 'catalog.only_lists_have_values', params: { datatype } }, `only singlevaluelist and multivaluelist have values, not ${datatype}`)
        : invalidAs(`${at}.values`, { key: 'catalog.informational_has_no_values' }, 'an informational attribute has no values');
    }
    return { code: a.code, datatype, required, variable, order: a.order, description, datatypeDescription, values, automated };
  });
  return out.sort((x, y) => x.order - y.order);
}

/** One stored answer, as the case keeps it: what was asked, and what was answered (keys and their labels). */
export interface AttributeAnswer {
  code: string;
  description: string;
  datatype: AttributeDatatype;
  /** The submitted values: one for every datatype but multivaluelist. */
  values: string[];
  /** What the values mean: the value's name for list datatypes, the value itself otherwise. */
  labels: string[];
}

/** What the client must send: the questions it asks (variable and not filled by the server). */
export const isAsked = (d: AttributeDef): boolean => d.variable && d.automated !== 'server_set';

/** A refusal naming the attribute (the edge turns it into its own error format). */
export class AttributeError extends Error {
  constructor(readonly code: string, message: string) {
    super(`attribute[${code}]: ${message}`);
    this.name = 'AttributeError';
  }
}

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Validates a report's answers (`attribute[code]` → its values, in the order sent) against the matter's
 * definitions and returns what the case stores, in display order. Rules: a required question must be answered;
 * a number must be a decimal number; a datetime must parse (`parseDatetime`, e.g. the W3C parser with its zone
 * rule); list answers must be keys of the definition; only a multivaluelist takes several values. Answers to codes
 * the matter does not ask (e.g. FixMyStreet's own `fixmystreet_id`), to informational attributes and to server_set
 * ones are ignored.
 */
export function answerAttributes(
  defs: readonly AttributeDef[], sent: ReadonlyMap<string, readonly string[]>, parseDatetime: (s: string) => number | null,
): AttributeAnswer[] {
  const out: AttributeAnswer[] = [];
  for (const d of defs) {
    // Informational attributes are not questions; server_set ones are the server's to fill, never the client's.
    if (!isAsked(d)) continue;
    const values = [...new Set((sent.get(d.code) ?? []).map((v) => v.trim()).filter((v) => v !== ''))];
    if (values.length === 0) {
      if (d.required) throw new AttributeError(d.code, `“${d.description}” is required / 此项必填`);
      continue;
    }
    if (values.length > 1 && d.datatype !== 'multivaluelist') {
      throw new AttributeError(d.code, `takes one value (${d.datatype}), got ${values.length} / 只能填写一个值`);
    }
    for (const v of values) {
      if (chars(v) > MAX_ANSWER[d.datatype]) throw new AttributeError(d.code, `is longer than ${MAX_ANSWER[d.datatype]} characters`);
    }
    let labels = values;
    if (isList(d.datatype)) {
      const names = new Map(d.values.map((v) => [v.key, v.name]));
      const bad = values.find((v) => !names.has(v));
      if (bad !== undefined) {
        throw new AttributeError(d.code, `"${bad.slice(0, 40)}" is not one of ${d.values.map((v) => v.key).join(', ')} / 不是可选值`);
      }
      labels = values.map((v) => names.get(v)!);
    } else if (d.datatype === 'number') {
      if (!NUMBER_RE.test(values[0]) || !Number.isFinite(Number(values[0]))) throw new AttributeError(d.code, `must be a number, got "${values[0].slice(0, 40)}" / 须为数字`);
    } else if (d.datatype === 'datetime') {
      if (parseDatetime(values[0]) === null) {
        throw new AttributeError(d.code, `must be a W3C datetime (e.g. 2026-11-25T10:00:00+08:00), got "${values[0].slice(0, 40)}" / 须为带时区的日期时间`);
      }
    }
    out.push({ code: d.code, description: d.description, datatype: d.datatype, values, labels });
  }
  return out;
}
