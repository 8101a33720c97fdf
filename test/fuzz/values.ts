/**
 * Values for the OpenAPI fuzzer (test/fuzz/arbitraries.ts): JSON and percent encoding, nasty values, and valid-ish
 * values derived from an operation's schemas with ids, codes and coordinates from the seeded demo city.
 */
import fc from 'fast-check';
import type { Operation, Schema } from './openapi-model.ts';
import type { Pools } from './fixtures.ts';

// Control characters (built from a string: a literal in a regex is easy to misread, and lint forbids it).
export const CONTROL_CHARS = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}]`, 'g');

/** A number (or any JSON text) written into the body verbatim: 1e999, 9007199254740993 and -0 do not survive JS numbers. */
export class RawJson {
  constructor(readonly text: string) {}
}

// ---------------------------------------------------------------------------------------------------------------
// Encoding helpers

/** JSON text of a value, with RawJson spliced in verbatim and own `__proto__` keys kept. */
export function toJsonText(v: unknown): string {
  if (v instanceof RawJson) return v.text;
  if (v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).filter((k) => (v as any)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${toJsonText((v as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
/** Percent-encodes the UTF-8 bytes of a string (lone surrogates become U+FFFD, as a browser would send them). */
export function pct(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && UNRESERVED.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Nasty values

export const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '%00', '\\u0000', '1e999', '-1', '0', '-0', 'NaN', 'Infinity', '9007199254740993',
  '99999999999999999999', '1e308', 'null', 'true', '[]', '{}', "' OR 1=1 --", '"; DROP TABLE cases; --', '../../etc/passwd',
  '<x>&amp;</x>', '\uD800', '\uFFFF', '🙂', '\r\n', ' 1', '0x10', '١٢', '2026-02-30', '2026-11-25T10:00:00', 'cok_x_y',
  'x'.repeat(5000), '中'.repeat(3000),
];
/** Written verbatim into JSON: beyond double range, beyond 2^53, beyond int32/int64, negative zero, subnormal. */
export const RAW_NUMBERS = [
  '1e999', '-1e999', '1e308', '-1e308', '9007199254740993', '-9007199254740993', '18446744073709551616',
  '123456789012345678901234567890', '-0', '0', '-1', '1.5', '2147483648', '4.9e-324', '1e-400',
];
/** Query and path text values (percent-encoded before sending). */
export const NASTY_TEXT = [
  ...NASTY_STRINGS.filter((s) => s.length < 1000), 'x'.repeat(5000), '-1e999', '1e-400', '18446744073709551616',
  '123456789012345678901234567890', '1.5', '2147483648',
];
/** Sent raw in a path or query: malformed percent escapes and URL syntax characters. */
export const RAW_FRAGMENTS = ['%', '%zz', '%E0%A4%A', '%C0%AF', '%FF', '%00', '%%', '%u0041', '+', ';', '..', '%2F', '%2e%2e'];

const deepJson = (depth: number, kind: 'array' | 'object') =>
  new RawJson(kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

const nastyScalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 5 },
  { arbitrary: fc.constantFrom(...RAW_NUMBERS).map((t) => new RawJson(t)), weight: 4 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false, 'NaN'), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>([], {}), weight: 1 },
);
export const nastyJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyScalar, weight: 8 },
  { arbitrary: fc.array(nastyScalar, { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.dictionary(fc.constantFrom('a', 'id', '__proto__', 'constructor', ''), nastyScalar, { maxKeys: 2 }), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom(64, 1000, 20000), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([d, k]) => deepJson(d, k)), weight: 1 },
);

// ---------------------------------------------------------------------------------------------------------------
// Valid-ish values from a schema, with names that mean ids taken from the seeded store

type PoolName = keyof Pools;
const NAME_POOLS: Record<string, PoolName[]> = {
  unitId: ['unit'], subUnitId: ['unit'], partOwnerUnitId: ['unit'], unitIds: ['unit'], assistingUnitIds: ['unit'],
  regionId: ['region', 'community'], regionIds: ['region'], parentId: ['region'], communityId: ['community'], streetId: ['street'],
  gridId: ['grid'], partId: ['part'], afterId: ['part'], matterCode: ['matter'], service_code: ['matter'],
  classCode: ['matterClass'], matterClass: ['matterClass'], masterCaseId: ['caseId'], duplicateOfCaseId: ['caseId'],
  caseNo: ['caseNo'], service_request_id: ['caseNo'], attachmentIds: ['attachment'], photos: ['attachment'],
  articleId: ['kb'], api_key: ['open311Key'], externalId: ['externalId'], username: ['username'],
  lon: ['lon'], long: ['lon'], lat: ['lat'], beforeId: ['caseId'], 'last-event-id': ['outboxId'],
};
const NAME_CONSTANTS: Record<string, unknown[]> = {
  phone: ['13812345678', '010-12345678'], url: ['http://127.0.0.1:9/hook'], media_url: ['https://example.org/a.jpg'],
  password: ['correct horse battery staple'], year: [2026], start: ['2026-11-25T10:00:00+08:00'], daysOff: ['2026-10-01'],
  makeUpWorkdays: ['2026-10-11'], version: [1, 2], description: ['人行道上有垃圾堆积'], format: ['json', 'xml'],
  urgency: ['normal', 'urgent'], coordSystem: ['wgs84', 'gcj02'], selfFixed: ['true', 'false'], result: ['已清理'],
  address: ['幸福路 1 号'], roles: ['operator'], rating: ['satisfied'],
  // Open311 list filters (strings in the document).
  page: ['1', '2'], page_size: ['10', '50'], start_date: ['2026-01-01T00:00:00Z'], end_date: ['2026-12-31T00:00:00+08:00'],
  updated_after: ['2026-11-01T00:00:00Z'], status: ['open', 'closed'], jurisdiction_id: ['cityops'],
};
/** Path parameters named `id` (and friends) mean the record kind of the segment before them. */
const SEGMENT_POOLS: Record<string, PoolName[]> = {
  cases: ['caseId', 'caseNo'], regions: ['region', 'community'], grids: ['grid'], units: ['unit'], matters: ['matter'],
  parts: ['part'], versions: ['ruleVersion'], users: ['user'], apikeys: ['apikey'], webhooks: ['webhook'], kb: ['kb'],
  attachments: ['attachment'], services: ['matter'], requests: ['caseNo'],
};

export interface Hints { pools: Pools; op: Operation }

function poolValues(h: Hints, names: PoolName[]): unknown[] {
  return names.flatMap((n) => h.pools[n] as unknown[]);
}

/** Known-good values for a field, or undefined. */
export function knownValues(h: Hints, name: string, s: Schema, where: 'path' | 'query' | 'header' | 'body'): unknown[] | undefined {
  let vals: unknown[] | undefined;
  if (where === 'path') {
    const seg = h.op.path.split('/');
    const i = seg.findIndex((x) => x.includes(`{${name}}`));
    const prev = i > 0 ? seg[i - 1] : '';
    if (name === 'format') vals = ['json', 'xml'];
    else if (NAME_POOLS[name]) vals = poolValues(h, NAME_POOLS[name]);
    else if (name === 'code') vals = h.pools.matter;
    else if (name === 'version') vals = h.pools.ruleVersion;
    else if (SEGMENT_POOLS[prev]) vals = poolValues(h, SEGMENT_POOLS[prev]);
  } else if (name === 'code') {
    vals = /tracking/i.test(String(s.description)) ? h.pools.trackingCode : s.pattern === '^\\d{5}$' ? h.pools.matter : undefined;
  } else if (NAME_POOLS[name]) {
    vals = poolValues(h, NAME_POOLS[name]);
  } else if (NAME_CONSTANTS[name]) {
    vals = NAME_CONSTANTS[name];
  }
  if (!vals || vals.length === 0) return undefined;
  if (s.pattern) {
    // "Case id (numeric) or case number" with pattern ^\d{1,18}$: keep the values the pattern admits, if any.
    const re = new RegExp(s.pattern);
    const fit = vals.filter((v) => re.test(String(v)));
    if (fit.length) vals = fit;
  }
  if (s.type === 'integer' || s.type === 'number') vals = vals.map(Number).filter((n) => Number.isFinite(n));
  else if (s.type === 'string' || where !== 'body') vals = vals.map(String);
  return vals.length ? vals : undefined;
}

/**
 * Strings the schema allows but a store may not: NUL (PostgreSQL text refuses 0x00), a lone surrogate, astral
 * characters. Sent as "valid" values now and then, since they pass validation and reach the database.
 */
export const EDGY_STRINGS = ['a\u0000b', '\u0000', '\uD800', '🙂🙂', 'Ω≈ç√', ' '];
/** Integers an open-ended schema (`minimum: 1`, no maximum) allows: beyond int32, int64 and 2^53, and 1e308. */
export const EDGY_INTEGERS = ['2147483648', '9007199254740993', '9223372036854775808', '1e308', '100000000000000000000'];

function stringArb(s: Schema, edgyOk: boolean): fc.Arbitrary<string> {
  if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern));
    } catch { /* fall through */ }
  }
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? 20, 20));
  const fits = (x: string) => [...x].length >= min && [...x].length <= (s.maxLength ?? Infinity);
  const words = ['人行道上有垃圾堆积', 'fuzz', 'ok-value'].filter(fits);
  const edgy = EDGY_STRINGS.filter(fits);
  const parts: { arbitrary: fc.Arbitrary<string>; weight: number }[] = [{ arbitrary: fc.string({ minLength: min, maxLength: max }), weight: 4 }];
  if (words.length) parts.push({ arbitrary: fc.constantFrom(...words), weight: 4 });
  if (!edgyOk) { /* clean values only */ } else if (edgy.length) parts.push({ arbitrary: fc.constantFrom(...edgy), weight: 2 });
  else if (fits(`${'x'.repeat(min)}\u0000`)) parts.push({ arbitrary: fc.constant(`${'x'.repeat(min)}\u0000`), weight: 2 });
  return fc.oneof(...parts);
}

/** A value that (mostly) satisfies the schema; ids, codes and coordinates come from the seeded store. */
/**
 * `edgyOk`: may include schema-valid values a store may still refuse (NUL, lone surrogates, integers beyond int64).
 * Off for the valid parts of a request that breaks something else, so one request shows one fault.
 */
export function validish(s: Schema | undefined, name: string, h: Hints, where: 'path' | 'query' | 'header' | 'body', edgyOk = true, depth = 0): fc.Arbitrary<unknown> {
  s = s ?? {};
  if (depth > 6) return fc.constant(s.type === 'array' ? [] : s.type === 'object' ? {} : 'x');
  const isContainer = s.type === 'array' || s.type === 'object' || !!s.properties;
  const isEnum = !!s.enum || ((s.anyOf ?? s.oneOf) as Schema[] | undefined)?.every((x) => x.enum) === true;
  const known = isContainer || isEnum ? undefined : knownValues(h, name, s, where);
  let arb: fc.Arbitrary<unknown>;
  let edgy: fc.Arbitrary<unknown> | undefined;
  if (s.enum) arb = fc.constantFrom(...(s.enum as unknown[]));
  else if (s.anyOf || s.oneOf) arb = fc.oneof(...(s.anyOf ?? s.oneOf).map((x: Schema) => validish({ ...x, description: s!.description }, name, h, where, edgyOk, depth + 1)));
  else if (s.type === 'string') arb = stringArb(s, edgyOk);
  else if (s.type === 'integer') {
    const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? Number(s.exclusiveMinimum) + 1 : -10);
    arb = fc.integer({ min, max: Math.max(min, s.maximum ?? 1000) });
    if (s.maximum === undefined && edgyOk) edgy = fc.constantFrom(...EDGY_INTEGERS).map((t) => (where === 'body' ? new RawJson(t) : t));
  } else if (s.type === 'number') {
    const min = s.minimum ?? s.exclusiveMinimum ?? -1000;
    arb = fc.double({ min, max: Math.max(min, s.maximum ?? 1000), noNaN: true, noDefaultInfinity: true });
  } else if (s.type === 'boolean') arb = fc.boolean();
  else if (s.type === 'array') {
    // Clean (baseline) arrays carry at least one item, so a sweep into `items[0].field` lands in a whole item.
    const min = edgyOk ? (s.minItems ?? 0) : Math.min(Math.max(s.minItems ?? 0, 1), s.maxItems ?? 1);
    const max = edgyOk ? Math.max(min, Math.min(s.maxItems ?? 3, 3)) : min;
    arb = fc.array(validish(s.items, name, h, where, edgyOk, depth + 1), { minLength: min, maxLength: max });
  } else if (s.type === 'object' || s.properties) {
    // A clean body leaves out an optional "expected version" (optimistic concurrency): a guess is almost always stale.
    const props = Object.entries<Schema>(s.properties ?? {}).filter(([k, v]) => edgyOk || (s!.required ?? []).includes(k) || !/optimistic concurrency/i.test(String(v.description)));
    const required = new Set<string>(s.required ?? []);
    arb = fc.record(Object.fromEntries(props.map(([k, v]) => [k, validish(v, k, h, where, edgyOk, depth + 1)])), {
      requiredKeys: props.filter(([k]) => required.has(k)).map(([k]) => k),
    }).map((o) => ({ ...o }));
  } else {
    arb = fc.oneof(fc.constant(null), fc.string({ maxLength: 5 }), fc.integer(), fc.boolean());
  }
  if (known) {
    // Known ids (only those, in a clean value), sometimes with a NUL appended (valid text, still the id's shape to a lenient check).
    const knownArb = fc.constantFrom(...known);
    const parts = [{ arbitrary: knownArb, weight: 8 }, { arbitrary: arb, weight: edgyOk || name === 'username' ? 2 : 0 }];
    if (edgyOk && typeof known[0] === 'string' && !s.pattern && !s.enum) parts.push({ arbitrary: knownArb.map((k) => `${k}\u0000`), weight: 1 });
    arb = fc.oneof(...parts);
  }
  if (edgy) arb = fc.oneof({ arbitrary: arb, weight: 5 }, { arbitrary: edgy, weight: 1 });
  if (s.nullable) arb = fc.oneof({ arbitrary: arb, weight: 6 }, { arbitrary: fc.constant(null), weight: 1 });
  return arb;
}
