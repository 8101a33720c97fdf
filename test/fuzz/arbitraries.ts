/**
 * fast-check arbitraries that turn one OpenAPI operation into HTTP requests, most of them malformed.
 *
 * Each request is generated as a plain descriptor (what to put in the path, the query, the headers and the body,
 * and which principal sends it), then built into bytes by pure functions here. Values start "valid-ish" — derived
 * from the operation's schemas, with ids, codes and coordinates that exist in the seeded demo city — and are then
 * broken: nasty path and query values, body mutations (missing required, wrong types, extra fields, NUL, numbers
 * out of every range, deep nesting, `{}`), malformed JSON, wrong or missing content types, and for multipart
 * operations malformed multipart bodies (no boundary, wrong boundary, truncated, …).
 */
import fc from 'fast-check';
import type { Operation, Schema } from './openapi-model.ts';
import { PNG, JPEG, type Pools, type Principal } from './fixtures.ts';

// Control characters (built from a string: a literal in a regex is easy to misread, and lint forbids it).
const CONTROL_CHARS = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(0x1f)}]`, 'g');

/** A number (or any JSON text) written into the body verbatim: 1e999, 9007199254740993 and -0 do not survive JS numbers. */
export class RawJson {
  constructor(readonly text: string) {}
}

export interface FuzzRequest {
  /** Operation key ("POST /api/v1/cases/{id}/accept") or "ROUTER" for router-level oddities. */
  op: string;
  /** Path template shown in the report. */
  template: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  principal: string;
  /** What was done to the request, for the report ("path id: nasty", "body: drop 'reason'", …). */
  notes: string[];
  /** Open311 routes answer errors in GeoReport v2's format. */
  open311: boolean;
  /** A live stream: after its first chunk the client disconnects, and the server must let go of it. */
  streaming?: boolean;
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

// ---------------------------------------------------------------------------------------------------------------
// Body mutations

export type Mutation =
  | { kind: 'drop'; sel: number }
  | { kind: 'replace'; sel: number; value: unknown }
  | { kind: 'nul'; sel: number; value: string }
  | { kind: 'number'; sel: number; value: RawJson }
  | { kind: 'extra'; sel: number; key: string; value: unknown }
  | { kind: 'wrap'; sel: number }
  | { kind: 'long'; sel: number; length: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), sel: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), sel: fc.nat(), value: nastyJson }),
  fc.record({ kind: fc.constant('nul' as const), sel: fc.nat(), value: fc.constantFrom('\u0000', 'a\u0000', '\u0000\u0000x') }),
  fc.record({ kind: fc.constant('number' as const), sel: fc.nat(), value: fc.constantFrom(...RAW_NUMBERS).map((t) => new RawJson(t)) }),
  fc.record({ kind: fc.constant('extra' as const), sel: fc.nat(), key: fc.constantFrom('extra', '__proto__', 'constructor', '', 'a\u0000', 'id', 'version', 'x'.repeat(300)), value: nastyJson }),
  fc.record({ kind: fc.constant('wrap' as const), sel: fc.nat() }),
  fc.record({ kind: fc.constant('long' as const), sel: fc.nat(), length: fc.constantFrom(4001, 70_000) }),
);

/** Mostly one mutation at a time (so each can reach the handler), sometimes none or several. */
export const mutationsArb: fc.Arbitrary<Mutation[]> = fc.oneof(
  { arbitrary: fc.constant([] as Mutation[]), weight: 2 },
  { arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 1 }), weight: 6 },
  { arbitrary: fc.array(mutationArb, { minLength: 2, maxLength: 3 }), weight: 2 },
);

type Path = (string | number)[];
function nodes(v: unknown, p: Path = [], out: { path: Path; value: unknown }[] = []) {
  out.push({ path: p, value: v });
  if (v instanceof RawJson) return out;
  if (Array.isArray(v)) v.forEach((x, i) => nodes(x, [...p, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) nodes((v as any)[k], [...p, k], out);
  return out;
}
function clone(v: unknown): unknown {
  if (v instanceof RawJson || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone);
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) Object.defineProperty(o, k, { value: clone((v as any)[k]), enumerable: true, writable: true, configurable: true });
  return o;
}
function setAt(root: unknown, p: Path, value: unknown): unknown {
  if (p.length === 0) return value;
  const parent = p.slice(0, -1).reduce((o: any, k) => o[k], root);
  Object.defineProperty(parent, p[p.length - 1], { value, enumerable: true, writable: true, configurable: true });
  return root;
}
const show = (p: Path) => (p.length ? p.join('.') : '<body>');
const brief = (v: unknown) => {
  const t = toJsonText(v);
  return t.length > 40 ? `${t.slice(0, 37)}…(${t.length})` : t;
};

/** Applies mutations to a clone of the body; returns the body and what was done. */
export function applyMutations(body: unknown, muts: Mutation[], opts: { keepRoot?: boolean } = {}): { body: unknown; notes: string[] } {
  let root = clone(body);
  const notes: string[] = [];
  for (const m of muts) {
    // Form fields are a flat map: mutate the fields, not the map itself.
    const all = nodes(root).filter((n) => !opts.keepRoot || n.path.length > 0);
    if (!all.length) continue;
    const pick = <T>(xs: T[]) => xs[m.sel % xs.length];
    switch (m.kind) {
      case 'drop': {
        const keyed = all.filter((n) => n.path.length > 0 && typeof n.path[n.path.length - 1] === 'string');
        if (!keyed.length) break;
        const n = pick(keyed);
        const parent = n.path.slice(0, -1).reduce((o: any, k) => o[k], root);
        delete parent[n.path[n.path.length - 1]];
        notes.push(`drop ${show(n.path)}`);
        break;
      }
      case 'replace': {
        const n = pick(all);
        root = setAt(root, n.path, m.value);
        notes.push(`${show(n.path)}=${brief(m.value)}`);
        break;
      }
      case 'nul': {
        const strings = all.filter((n) => typeof n.value === 'string');
        const n = pick(strings.length ? strings : all);
        root = setAt(root, n.path, typeof n.value === 'string' ? `${n.value}${m.value}` : m.value);
        notes.push(`NUL in ${show(n.path)}`);
        break;
      }
      case 'number': {
        const nums = all.filter((n) => typeof n.value === 'number');
        const n = pick(nums.length ? nums : all);
        root = setAt(root, n.path, m.value);
        notes.push(`${show(n.path)}=${m.value.text}`);
        break;
      }
      case 'extra': {
        const objs = all.filter((n) => n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value) && !(n.value instanceof RawJson));
        if (!objs.length) break;
        const n = pick(objs);
        Object.defineProperty(n.value as object, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
        notes.push(`extra ${show([...n.path, m.key.length > 20 ? `${m.key.slice(0, 8)}…` : m.key])}`);
        break;
      }
      case 'wrap': {
        const leaves = all.filter((n) => n.path.length > 0 && (n.value === null || typeof n.value !== 'object'));
        if (!leaves.length) break;
        const n = pick(leaves);
        root = setAt(root, n.path, [n.value, n.value]);
        notes.push(`${show(n.path)} as array`);
        break;
      }
      case 'long': {
        const strings = all.filter((n) => typeof n.value === 'string');
        const n = pick(strings.length ? strings : all);
        root = setAt(root, n.path, 'x'.repeat(m.length));
        notes.push(`${show(n.path)} ${m.length} chars`);
        break;
      }
    }
  }
  return { body: root, notes };
}

// ---------------------------------------------------------------------------------------------------------------
// Request parts

/** What to put in a path or query slot: a valid-ish value, a nasty value (encoded), raw text, or a long run. */
type Slot =
  | { kind: 'valid'; value: unknown }
  | { kind: 'nasty'; value: string }
  | { kind: 'nul'; value: string }
  | { kind: 'raw'; value: string }
  | { kind: 'long'; value: string };

/** Nasty text for numeric parameters: beyond every integer and double range, negative, fractional, not numbers. */
export const NASTY_NUMBER_TEXT = ['1e999', '-1e999', '1e308', '9007199254740993', '99999999999999999999', '9223372036854775808', '2147483648',
  '-1', '0', '-0', '1.5', 'NaN', 'Infinity', '0x10', '1e-400', ' 1', ''];

function slotArb(valid: fc.Arbitrary<unknown>, s: Schema, weights: { valid: number; nasty: number; raw: number; long: number }): fc.Arbitrary<Slot> {
  const numeric = s.type === 'integer' || s.type === 'number' || (s.type === 'string' && /\\d/.test(String(s.pattern ?? '')));
  const nasty = numeric
    ? fc.oneof({ arbitrary: fc.constantFrom(...NASTY_NUMBER_TEXT), weight: 3 }, { arbitrary: fc.constantFrom(...NASTY_TEXT), weight: 1 })
    : fc.constantFrom(...NASTY_TEXT);
  return fc.oneof(
    { arbitrary: valid.map((value) => ({ kind: 'valid' as const, value })), weight: weights.valid },
    { arbitrary: nasty.map((value) => ({ kind: 'nasty' as const, value })), weight: weights.nasty },
    { arbitrary: valid.map((v) => ({ kind: 'nul' as const, value: `${typeof v === 'string' ? v : toJsonText(v)}\u0000` })), weight: Math.ceil(weights.nasty / 2) },
    { arbitrary: fc.tuple(fc.constantFrom(...RAW_FRAGMENTS), fc.constantFrom('', '1', 'abc')).map(([a, b]) => ({ kind: 'raw' as const, value: b + a })), weight: weights.raw },
    { arbitrary: fc.tuple(fc.constantFrom('9', 'a', '%41'), fc.constantFrom(101, 1000, 10_000)).map(([c, n]) => ({ kind: 'long' as const, value: c.repeat(n) })), weight: weights.long },
  );
}
const slotText = (s: Slot): string =>
  s.kind === 'valid' ? pct(typeof s.value === 'string' ? s.value : toJsonText(s.value)) : s.kind === 'nasty' || s.kind === 'nul' ? pct(s.value) : s.value;
const slotNote = (name: string, s: Slot): string | undefined =>
  s.kind === 'valid' ? undefined : `${name}: ${s.kind}${s.kind === 'long' ? ` ${s.value.length}` : ` ${JSON.stringify(s.value.slice(0, 24))}`}`;

type QuerySlot = { kind: 'omit' } | Slot | { kind: 'array'; values: Slot[] };

const CONTENT_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=', 'application/json; charset=utf-16',
  'application/json; charset=latin1', 'application/xml', 'application/octet-stream', 'application/vnd.api+json', 'APPLICATION/JSON', ';;;',
  'application/json, text/plain', 'image/png', '*/*', 'application/json; boundary=x',
];
const GARBAGE_BODIES = ['{', '{"a":', ']', 'nul', '\u0000', '{"a":1}{"b":2}', "{'a':1}", '{"a":1,}', '\uFEFF{}', '', ' ', '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}', '{"a":1,"a":2}', '"\\ud800"', '[1,2', '1e999', '-'];

type BodyPlan =
  | { kind: 'schema'; base: unknown; muts: Mutation[] }
  | { kind: 'empty-object' }
  | { kind: 'top'; value: unknown }
  | { kind: 'garbage'; text: string }
  | { kind: 'truncated'; base: unknown; frac: number }
  | { kind: 'none' };

type AuthPlan = { principal: Principal; twist: 'none' | 'no-csrf' | 'bad-csrf' | 'bad-bearer' | 'bad-cookie' };

function authArb(allowed: Principal[]): fc.Arbitrary<AuthPlan> {
  return fc.record({
    principal: fc.constantFrom(...allowed),
    twist: fc.oneof(
      { arbitrary: fc.constant('none' as const), weight: 14 },
      { arbitrary: fc.constantFrom('no-csrf' as const, 'bad-csrf' as const, 'bad-bearer' as const, 'bad-cookie' as const), weight: 1 },
    ),
  });
}
function authHeaders(a: AuthPlan, method: string): { headers: Record<string, string>; note?: string } {
  const p = a.principal;
  const h: Record<string, string> = { ...p.headers };
  const write = method !== 'GET';
  if (p.csrf && write) h['x-csrf-token'] = p.csrf;
  switch (a.twist) {
    case 'no-csrf': delete h['x-csrf-token']; break;
    case 'bad-csrf': h['x-csrf-token'] = 'x'.repeat(32); break;
    case 'bad-bearer': h.authorization = 'Bearer cok_bad_key'; break;
    case 'bad-cookie': h.cookie = 'cityops_session=%zz; cityops_session=2'; break;
    default: break;
  }
  return { headers: h, note: a.twist === 'none' ? undefined : `auth: ${a.twist}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Multipart

export interface MpPart { name: string; value?: string; filename?: string; content?: Buffer; mime?: string }
const MP_SHAPES = [
  'no-boundary', 'wrong-boundary', 'truncated', 'no-closing', 'bad-part-header', 'empty-body', 'json-body', 'lf-only', 'long-boundary',
  'quoted-boundary', 'preamble-junk', 'too-many-fields', 'too-many-files', 'not-multipart',
] as const;
type MpShape = 'ok' | (typeof MP_SHAPES)[number];

export function encodeMultipart(parts: MpPart[], boundary: string, opts: { eol?: string; closing?: boolean; badHeader?: boolean } = {}): Buffer {
  const eol = opts.eol ?? '\r\n';
  const chunks: Buffer[] = [];
  parts.forEach((p, i) => {
    const disp = opts.badHeader && i === 0 ? `Content-Disposition form-data; name=${p.name}` : `Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const head = `--${boundary}${eol}${disp}${eol}${p.filename !== undefined ? `Content-Type: ${p.mime ?? 'application/octet-stream'}${eol}` : ''}${eol}`;
    chunks.push(Buffer.from(head), p.content ?? Buffer.from(p.value ?? ''), Buffer.from(eol));
  });
  if (opts.closing !== false) chunks.push(Buffer.from(`--${boundary}--${eol}`));
  return Buffer.concat(chunks);
}

const FILE_CONTENT: [Buffer, string, string][] = [[PNG, 'image/png', 'a.png'], [JPEG, 'image/jpeg', 'b.jpg'], [Buffer.from('not an image'), 'image/png', 'c.png'], [Buffer.alloc(0), 'image/png', 'empty.png']];

// ---------------------------------------------------------------------------------------------------------------
// One operation → request arbitrary

export interface OpPlan { op: Operation; allowed: Principal[]; pools: Pools }

/**
 * Most requests break one thing (the focus) and keep the rest valid-ish, so a fault deep in a handler is not masked
 * by an earlier validation error; some break everything at once (chaos), a few break nothing.
 */
type Focus = 'path' | 'query' | 'headers' | 'body' | 'content-type' | 'auth' | 'chaos' | 'none';

export function requestArb(plan: OpPlan): fc.Arbitrary<FuzzRequest> {
  const { focusArb, pathArb, queryArb, headerArb, bodyArb, ctArb } = partsOf(plan);
  return fc.record({
    focus: focusArb, pick: fc.nat(), path: pathArb, query: queryArb, hdrs: headerArb, body: bodyArb, ct: ctArb, auth: authArb(plan.allowed),
  }).map((d) => buildRequest(plan, d as Descriptor));
}

/** Requests with nothing deliberately broken (the sweep's baselines): how deep valid-ish input gets. */
export function baselineArb(plan: OpPlan): fc.Arbitrary<FuzzRequest> {
  return baselineDescriptorArb(plan).map((d) => buildRequest(plan, d));
}

function baselineDescriptorArb(plan: OpPlan): fc.Arbitrary<Descriptor> {
  return fc.record({ auth: authArb(plan.allowed), whole: requestDescriptorParts(plan) })
    .map(({ whole, auth }) => ({ ...whole, focus: 'none' as Focus, pick: 0, auth: { ...auth, twist: 'none' as const } }) as Descriptor);
}

/** The valid-ish parts of a descriptor (path, query, headers, body), for the sweep's baselines. */
function requestDescriptorParts(plan: OpPlan) {
  const { pathArb, queryArb, headerArb, bodyArb } = partsOf(plan);
  return fc.record({ path: pathArb, query: queryArb, hdrs: headerArb, body: bodyArb, ct: fc.constant(null) });
}

function partsOf(plan: OpPlan) {
  const { op, pools } = plan;
  const h: Hints = { pools, op };
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header');
  const hasBody = !!(op.json || op.form || op.multipart);

  const focusArb = fc.oneof(
    ...([
      // More parameters, more requests that break one of them.
      ['path', pathParams.length ? 2 + pathParams.length : 0], ['query', queryParams.length ? 2 + Math.ceil(queryParams.length / 2) : 0], ['headers', headerParams.length ? 1 : 0],
      ['body', hasBody ? 6 : 0], ['content-type', hasBody ? 1 : 0], ['auth', 1], ['chaos', 2], ['none', 1],
    ] as [Focus, number][]).filter(([, w]) => w > 0).map(([f, weight]) => ({ arbitrary: fc.constant(f), weight })),
  );

  const pathArb = fc.tuple(...pathParams.map((p) => {
    const valid = validish(p.schema, p.name, h, 'path', false);
    return fc.record({ slot: slotArb(validish(p.schema, p.name, h, 'path'), p.schema, { valid: 2, nasty: 4, raw: 1, long: 1 }), valid });
  }));
  const queryArb = fc.record({
    slots: fc.tuple(...queryParams.map((p) => {
      const itemSchema = p.schema.type === 'array' ? (p.schema.items ?? {}) : p.schema;
      const valid = validish(itemSchema, p.name, h, 'query', false);
      const scalar = slotArb(validish(itemSchema, p.name, h, 'query'), itemSchema, { valid: 2, nasty: 4, raw: 1, long: 1 });
      return fc.record({
        slot: fc.oneof(
          { arbitrary: fc.constant({ kind: 'omit' } as QuerySlot), weight: 2 },
          { arbitrary: scalar as fc.Arbitrary<QuerySlot>, weight: 6 },
          { arbitrary: fc.array(scalar, { minLength: 2, maxLength: 3 }).map((values) => ({ kind: 'array', values }) as QuerySlot), weight: 1 },
        ),
        // A required parameter is always in a valid request; an optional one mostly.
        valid: p.required ? valid : fc.option(valid, { nil: undefined, freq: 5 }),
      });
    })),
    extra: fc.oneof({ arbitrary: fc.constant<string | null>(null), weight: 6 }, { arbitrary: fc.constantFrom('zzz=1', '__proto__=1', 'constructor=x', 'hasOwnProperty=1', '%zz=1', '=', '&&&', 'a[b]=1'), weight: 1 }),
  });
  const headerArb = fc.tuple(...headerParams.map((p) => {
    const valid = fc.option(validish(p.schema, p.name, h, 'header', false).map((v) => String(v).replace(CONTROL_CHARS, '')), { nil: null });
    return fc.record({
      value: fc.oneof(
        { arbitrary: valid, weight: 1 },
        { arbitrary: fc.constantFrom('', 'x', 'é'.repeat(10), 'k'.repeat(300), '1e999', '99999999999999999999', '-1', ' ', '9007199254740993'), weight: 3 },
      ),
      valid,
    });
  }));

  const bodyArb = bodyPlanArb(op, h);
  const ctArb = fc.oneof(
    { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 6 },
    { arbitrary: fc.constant<string | null>(null), weight: 1 },
  );

  return { focusArb, pathArb, queryArb, headerArb, bodyArb, ctArb };
}

/** A generated request before it is turned into bytes. */
interface Descriptor {
  focus: Focus;
  /** Which single path or query parameter the focus breaks (the others stay valid). */
  pick: number;
  path: { slot: Slot; valid: unknown }[];
  query: { slots: { slot: QuerySlot; valid: unknown }[]; extra: string | null };
  hdrs: { value: string | null; valid: string | null }[];
  body: { chosen: Plan; valid: Plan; validMp?: Plan };
  ct: string | null;
  auth: AuthPlan;
}

/** One slot of an otherwise valid request set to one value (the edge sweep). Text for path/query/header/form fields, JSON for body fields. */
export interface Override {
  area: 'path' | 'query' | 'header' | 'body' | 'field' | 'multipart' | 'json-text' | 'content-type';
  name: string;
  path?: (string | number)[];
  text?: string;
  json?: unknown;
  label: string;
}

function buildRequest(plan: OpPlan, d: Descriptor, override?: Override): FuzzRequest {
  const { op } = plan;
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header');
  const focus: Focus = override ? 'none' : d.focus;
  const broken = (area: Focus) => focus === area || focus === 'chaos';
  const notes: string[] = [];
  if (override) notes.push(`sweep: ${override.label}`);
  let url = op.path;
  const pathPick = pathParams.length ? d.pick % pathParams.length : -1;
  pathParams.forEach((p, i) => {
    const { slot, valid } = d.path[i];
    let text: string;
    if (override?.area === 'path' && override.name === p.name) text = pct(override.text!);
    else {
      const s: Slot = (broken('path') && (focus === 'chaos' || i === pathPick)) ? slot : { kind: 'valid', value: valid };
      text = slotText(s);
      const n = slotNote(`path ${p.name}`, s);
      if (n) notes.push(n);
    }
    url = url.replace(`{${p.name}}`, text);
  });
  const q: string[] = [];
  const queryPick = queryParams.length ? d.pick % queryParams.length : -1;
  queryParams.forEach((p, i) => {
    if (override?.area === 'query' && override.name === p.name) {
      q.push(`${pct(p.name)}=${pct(override.text!)}`);
      return;
    }
    const { slot, valid } = d.query.slots[i];
    const s: QuerySlot = (broken('query') && (focus === 'chaos' || i === queryPick)) ? slot : valid === undefined ? { kind: 'omit' } : { kind: 'valid', value: valid };
    if (s.kind === 'omit') return;
    if (s.kind === 'array') {
      for (const v of s.values) q.push(`${pct(p.name)}=${slotText(v)}`);
      notes.push(`query ${p.name}: repeated ${s.values.map((v) => JSON.stringify(v.kind === 'valid' ? v.value : v.value.slice(0, 12))).join(',')}`);
      return;
    }
    q.push(`${pct(p.name)}=${slotText(s)}`);
    const n = slotNote(`query ${p.name}`, s);
    if (n) notes.push(n);
  });
  if (d.query.extra && broken('query')) {
    q.push(d.query.extra);
    notes.push(`query extra ${d.query.extra}`);
  }
  if (q.length) url += `?${q.join('&')}`;

  const auth = broken('auth') ? d.auth : { ...d.auth, twist: 'none' as const };
  const { headers, note } = authHeaders(auth, op.method);
  if (note) notes.push(note);
  headerParams.forEach((p, i) => {
    const { value, valid } = d.hdrs[i];
    const v = override?.area === 'header' && override.name === p.name ? override.text! : broken('headers') ? value : valid;
    if (v !== null) headers[p.name] = v;
    if (broken('headers') && v !== null) notes.push(`header ${p.name}: ${JSON.stringify(v.slice(0, 24))}`);
  });
  let bodyPlan = broken('body') ? d.body.chosen : d.body.valid;
  if (override?.area === 'body' && bodyPlan.kind === 'schema') {
    bodyPlan = { ...bodyPlan, base: setDeep(clone(bodyPlan.base), override.path!, override.json) };
  } else if (override?.area === 'field' && (bodyPlan.kind === 'form' || bodyPlan.kind === 'mp')) {
    bodyPlan = { ...bodyPlan, fields: [...bodyPlan.fields.filter(([k]) => k !== override.name), [override.name, override.text]] };
  } else if (override?.area === 'multipart' && d.body.validMp?.kind === 'mp') {
    bodyPlan = { ...d.body.validMp, shape: override.name as MpShape };
  } else if (override?.area === 'json-text') {
    bodyPlan = { kind: 'garbage', text: override.text! };
  }
  const built = buildBody(op, bodyPlan, override?.area === 'content-type' ? override.text! : broken('content-type') ? d.ct : 'default');
  if (built.contentType !== undefined) headers['content-type'] = built.contentType;
  if (!override) notes.push(...built.notes);
  if (!override) {
    // Schema-valid edge values ride in "valid" parts too: say so, the example must explain itself.
    if (/%00/.test(url) && !notes.some((n) => n.includes('nul') || n.includes('\\u0000'))) notes.push('NUL in url');
    if (typeof built.payload === 'string' && /\\u0000|%00/.test(built.payload) && !notes.some((n) => n.includes('NUL'))) notes.push('NUL in body');
  }
  return {
    op: op.key, template: op.path, method: op.method, url, headers, payload: built.payload, principal: d.auth.principal.name, notes, open311: op.open311, streaming: op.streaming,
  };
}

/** Sets a value at a path, creating objects and arrays on the way. */
function setDeep(root: unknown, p: (string | number)[], value: unknown): unknown {
  if (p.length === 0) return value;
  const base: any = root !== null && typeof root === 'object' && !(root instanceof RawJson) ? root : typeof p[0] === 'number' ? [] : {};
  const [k, ...rest] = p;
  const next = base[k];
  Object.defineProperty(base, k, { value: setDeep(next, rest, value), enumerable: true, writable: true, configurable: true });
  return base;
}

// ---------------------------------------------------------------------------------------------------------------
// The edge sweep: every parameter and body field, one at a time, set to each value a store may choke on

/** JSON values for a body field of this schema (schema-valid ones first: they reach the store). */
function edgeJson(s: Schema): { label: string; json: unknown }[] {
  const t = s.type ?? (s.anyOf || s.enum ? 'string' : undefined);
  const out: { label: string; json: unknown }[] = [];
  if (t === 'integer' || t === 'number') {
    for (const n of ['1e999', '1e308', '9007199254740993', '99999999999999999999', '-1', '-0', '1.5']) out.push({ label: n, json: new RawJson(n) });
    out.push({ label: '"1"', json: '1' });
  } else if (t === 'string') {
    out.push({ label: 'NUL', json: 'a\u0000b' }, { label: 'lone surrogate', json: '\uD800' }, { label: 'number', json: 1 });
  } else if (t === 'boolean') {
    out.push({ label: '"true"', json: 'true' }, { label: '0', json: 0 });
  } else if (t === 'array') {
    out.push({ label: '[NUL]', json: ['a\u0000b'] }, { label: '[1e308]', json: [new RawJson('1e308')] }, { label: '{}', json: {} });
  } else {
    out.push({ label: '{}', json: {} }, { label: 'NUL', json: 'a\u0000b' });
  }
  out.push({ label: 'null', json: null });
  return out;
}
/** Text values for a path, query, header or form parameter of this schema. */
function edgeText(s: Schema, where: 'path' | 'query' | 'header' | 'field'): { label: string; text: string }[] {
  const t = s.type === 'array' ? (s.items?.type ?? 'string') : s.type ?? 'string';
  const numeric = t === 'integer' || t === 'number' || /\\d/.test(String(s.pattern ?? ''));
  const out: { label: string; text: string }[] = [];
  if (numeric) for (const n of ['1e999', '1e308', '9007199254740993', '99999999999999999999', '-1', '-0', '1.5', '0x10']) out.push({ label: n, text: n });
  // Header values cannot carry NUL on the wire.
  if (where !== 'header') out.push({ label: 'NUL', text: 'a\u0000b' });
  out.push({ label: 'lone surrogate', text: '\uD800' }, { label: 'empty', text: '' });
  return out;
}

/** Body field paths of a JSON schema (objects, array items), to depth 3. */
function fieldPaths(s: Schema | undefined, prefix: (string | number)[] = [], depth = 0): { path: (string | number)[]; schema: Schema }[] {
  if (!s || depth > 3) return [];
  const out: { path: (string | number)[]; schema: Schema }[] = [];
  if (s.type === 'object' || s.properties) {
    for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) {
      out.push({ path: [...prefix, k], schema: v }, ...fieldPaths(v, [...prefix, k], depth + 1));
    }
  } else if (s.type === 'array' && s.items) {
    out.push(...fieldPaths(s.items, [...prefix, 0], depth + 1).filter((x) => x.path.length > prefix.length + 1));
    if (s.items.type !== 'object') out.push({ path: [...prefix, 0], schema: s.items });
  }
  return out;
}

/**
 * Every slot of the operation, one at a time, with each edge value; the rest of each request is valid-ish, from
 * baselines drawn with the given seed. Deterministic: the same seed sends the same requests.
 */
export function sweepRequests(plan: OpPlan, seed: number): FuzzRequest[] {
  const { op } = plan;
  const overrides: Override[] = [];
  // Every documented value of an enum once (a fault may hide behind one valid choice), then the edge values.
  const enumValues = (sc: Schema): string[] => {
    const x = sc.type === 'array' ? (sc.items ?? {}) : sc;
    return [...(x.enum ?? []), ...((x.anyOf ?? x.oneOf ?? []) as Schema[]).flatMap((a) => a.enum ?? [])].map(String);
  };
  for (const p of op.params) {
    if (p.in === 'path' && p.name === 'format') continue;
    for (const v of enumValues(p.schema)) overrides.push({ area: p.in, name: p.name, text: v, label: `${p.in} ${p.name}=${v}` });
  }
  for (const f of fieldPaths(op.json)) {
    for (const v of enumValues(f.schema)) overrides.push({ area: 'body', name: f.path.join('.'), path: f.path, json: v, label: `body ${f.path.join('.')}=${v}` });
  }
  for (const p of op.params) {
    if (p.in === 'header') for (const e of edgeText(p.schema, 'header')) overrides.push({ area: 'header', name: p.name, text: e.text, label: `header ${p.name}=${e.label}` });
    else for (const e of edgeText(p.schema, p.in)) overrides.push({ area: p.in, name: p.name, text: e.text, label: `${p.in} ${p.name}=${e.label}` });
  }
  for (const f of fieldPaths(op.json)) {
    for (const e of edgeJson(f.schema)) overrides.push({ area: 'body', name: f.path.join('.'), path: f.path, json: e.json, label: `body ${f.path.join('.')}=${e.label}` });
  }
  const formFields = op.form ? Object.entries<Schema>(op.form.properties ?? {}) : (op.multipart?.fields ?? []).map((k) => [k, { type: 'string' }] as [string, Schema]);
  for (const [k, v] of formFields) {
    for (const e of edgeText(v, 'field')) overrides.push({ area: 'field', name: k, text: e.text, label: `field ${k}=${e.label}` });
  }
  // Encodings: every malformed multipart shape; for JSON bodies a few malformed texts and wrong content types.
  if (op.multipart) for (const shape of MP_SHAPES) overrides.push({ area: 'multipart', name: shape, label: `multipart ${shape}` });
  if (op.json) {
    for (const text of ['{', '{"a":1}{"b":2}', '', '"\\ud800"']) overrides.push({ area: 'json-text', name: 'body', text, label: `malformed JSON ${JSON.stringify(text)}` });
    for (const ct of ['text/plain', 'multipart/form-data', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16']) overrides.push({ area: 'content-type', name: 'content-type', text: ct, label: `content-type ${ct}` });
  }
  if (!overrides.length) return [];
  const bases = fc.sample(baselineDescriptorArb(plan), { seed, numRuns: Math.min(overrides.length, 16) });
  return overrides.map((o, i) => buildRequest(plan, bases[i % bases.length], o));
}

// Multipart and form plans
type MpPlan = { kind: 'mp'; shape: MpShape; fields: [string, unknown][]; muts: Mutation[]; files: number[]; frac: number };
type FormPlan = { kind: 'form'; fields: [string, unknown][]; muts: Mutation[]; raw: string | null; dup: boolean };

function fieldValueArb(h: Hints, name: string, s: Schema | undefined, edgyOk: boolean): fc.Arbitrary<unknown> {
  return validish(s ?? { type: 'string' }, name, h, 'query', edgyOk);
}

type Plan = BodyPlan | MpPlan | FormPlan;

/** A body to break (`chosen`) and a well-formed one (`valid`) for requests that break something else. */
function bodyPlanArb(op: Operation, h: Hints): fc.Arbitrary<{ chosen: Plan; valid: Plan; validMp?: Plan }> {
  const arbs: { arbitrary: fc.Arbitrary<Plan>; weight: number }[] = [];
  const valids: fc.Arbitrary<Plan>[] = [];
  let validMp: fc.Arbitrary<Plan> | undefined;
  if (op.json) {
    const base = validish(op.json, '', h, 'body');
    const clean = validish(op.json, '', h, 'body', false);
    const required = new Set<string>(op.json.required ?? []);
    valids.push(fc.record({ kind: fc.constant('schema' as const), base: clean, muts: fc.constant([] as Mutation[]) }));
    arbs.push(
      { arbitrary: fc.record({ kind: fc.constant('schema' as const), base, muts: mutationsArb }), weight: 16 },
      // Only the required fields (for an all-optional body: `{}`), so defaults and "nothing to change" paths run.
      { arbitrary: clean.map((b) => ({ kind: 'schema' as const, muts: [] as Mutation[], base: b && typeof b === 'object' && !Array.isArray(b) ? Object.fromEntries(Object.entries(b).filter(([k]) => required.has(k))) : b })), weight: 3 },
      { arbitrary: fc.constant({ kind: 'empty-object' as const }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant('top' as const), value: nastyJson }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant('garbage' as const), text: fc.constantFrom(...GARBAGE_BODIES) }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant('truncated' as const), base, frac: fc.double({ min: 0.05, max: 0.95, noNaN: true }) }), weight: 1 },
      { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
    );
  }
  if (op.form) {
    const props = Object.entries<Schema>(op.form.properties ?? {});
    const required = new Set<string>(op.form.required ?? []);
    const fieldsOf = (edgy: boolean) => fc.tuple(...props.map(([k, s]) => fc.oneof(
      { arbitrary: fc.constant(undefined), weight: required.has(k) ? 0 : 2 },
      { arbitrary: fieldValueArb(h, k, s, edgy), weight: 3 },
    ).map((v) => [k, v] as [string, unknown])));
    valids.push(fc.record({ kind: fc.constant('form' as const), fields: fieldsOf(false), muts: fc.constant([] as Mutation[]), raw: fc.constant(null), dup: fc.constant(false) }));
    arbs.push({
      arbitrary: fc.record({
        kind: fc.constant('form' as const),
        fields: fieldsOf(true),
        muts: mutationsArb,
        raw: fc.oneof({ arbitrary: fc.constant<string | null>(null), weight: 6 }, { arbitrary: fc.constantFrom(...RAW_FRAGMENTS), weight: 1 }),
        dup: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
      }),
      weight: 10,
    });
  }
  if (op.multipart) {
    const mp = op.multipart;
    const schemaProps: Record<string, Schema> = (op.form?.properties ?? {}) as Record<string, Schema>;
    const fieldsOf = (edgy: boolean) => fc.tuple(...mp.fields.map((k) => fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 1 },
      { arbitrary: fieldValueArb(h, k, schemaProps[k], edgy), weight: 4 },
    ).map((v) => [k, v] as [string, unknown])));
    const files = fc.array(fc.nat(FILE_CONTENT.length - 1), { maxLength: 3 });
    const frac = fc.double({ min: 0.05, max: 0.95, noNaN: true });
    // A well-formed form carries one or two real images (PNG, JPEG).
    validMp = fc.record({ kind: fc.constant('mp' as const), shape: fc.constant<MpShape>('ok'), fields: fieldsOf(false), muts: fc.constant([] as Mutation[]), files: fc.array(fc.nat(1), { minLength: 1, maxLength: 2 }), frac });
    valids.push(validMp);
    arbs.push({
      arbitrary: fc.record({
        kind: fc.constant('mp' as const),
        shape: fc.oneof(
          { arbitrary: fc.constant<MpShape>('ok'), weight: 6 },
          { arbitrary: fc.constantFrom<MpShape>(...MP_SHAPES), weight: 10 },
        ),
        fields: fieldsOf(true), muts: mutationsArb, files, frac,
      }),
      weight: 10,
    });
  }
  if (!arbs.length) {
    // No body documented: usually none, sometimes one anyway.
    valids.push(fc.constant({ kind: 'none' as const }));
    arbs.push({ arbitrary: fc.constant({ kind: 'none' as const }), weight: 8 });
    if (op.method !== 'GET') arbs.push(
      { arbitrary: fc.constant({ kind: 'empty-object' as const }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant('garbage' as const), text: fc.constantFrom(...GARBAGE_BODIES) }), weight: 1 },
    );
  }
  return fc.record({ chosen: fc.oneof(...arbs), valid: fc.oneof(...valids), ...(validMp ? { validMp } : {}) });
}

function formText(fields: Record<string, unknown>, dup: boolean, raw: string | null): string {
  const parts: string[] = [];
  for (const k of Object.keys(fields)) {
    const v = fields[k];
    const text = typeof v === 'string' ? v : toJsonText(v);
    parts.push(`${pct(k)}=${pct(text)}`);
    if (dup) parts.push(`${pct(k)}=${pct(text)}`);
  }
  if (raw) parts.push(`description=${raw}`);
  return parts.join('&');
}

function buildBody(op: Operation, plan: BodyPlan | MpPlan | FormPlan, ct: string | null): { payload?: string | Buffer; contentType?: string; notes: string[] } {
  const notes: string[] = [];
  const withCt = (dflt: string) => {
    if (ct === null) { notes.push('no content-type'); return undefined; }
    if (ct !== 'default') { notes.push(`content-type ${JSON.stringify(ct)}`); return ct; }
    return dflt;
  };
  switch (plan.kind) {
    case 'none':
      return { notes: op.bodyRequired ? ['no body'] : [] };
    case 'schema': {
      const { body, notes: n } = applyMutations(plan.base, plan.muts);
      notes.push(...n.map((x) => `body: ${x}`));
      return { payload: toJsonText(body), contentType: withCt('application/json'), notes };
    }
    case 'empty-object':
      notes.push('body {}');
      return { payload: '{}', contentType: withCt('application/json'), notes };
    case 'top':
      notes.push(`body ${brief(plan.value)}`);
      return { payload: toJsonText(plan.value), contentType: withCt('application/json'), notes };
    case 'garbage':
      notes.push(`malformed JSON ${JSON.stringify(plan.text)}`);
      return { payload: plan.text, contentType: withCt('application/json'), notes };
    case 'truncated': {
      const t = toJsonText(plan.base);
      notes.push('truncated JSON');
      return { payload: t.slice(0, Math.max(1, Math.floor(t.length * plan.frac))), contentType: withCt('application/json'), notes };
    }
    case 'form': {
      const obj: Record<string, unknown> = {};
      for (const [k, v] of plan.fields) if (v !== undefined) obj[k] = v;
      const { body, notes: n } = applyMutations(obj, plan.muts, { keepRoot: true });
      notes.push(...n.map((x) => `form: ${x}`));
      if (plan.dup) notes.push('form: every field twice');
      if (plan.raw) notes.push(`form: raw ${JSON.stringify(plan.raw)}`);
      const fields = body !== null && typeof body === 'object' && !Array.isArray(body) && !(body instanceof RawJson) ? (body as Record<string, unknown>) : { body };
      return { payload: formText(fields, plan.dup, plan.raw), contentType: withCt('application/x-www-form-urlencoded'), notes };
    }
    case 'mp': {
      const obj: Record<string, unknown> = {};
      for (const [k, v] of plan.fields) if (v !== undefined) obj[k] = v;
      const { body, notes: n } = applyMutations(obj, plan.muts, { keepRoot: true });
      notes.push(...n.map((x) => `field: ${x}`));
      const fields = body !== null && typeof body === 'object' && !Array.isArray(body) && !(body instanceof RawJson) ? (body as Record<string, unknown>) : { value: body };
      const parts: MpPart[] = Object.keys(fields).map((k) => ({ name: k, value: typeof fields[k] === 'string' ? (fields[k] as string) : toJsonText(fields[k]) }));
      const fileField = op.multipart!.fileFields[0] ?? 'file';
      for (const f of plan.files) {
        const [content, mime, filename] = FILE_CONTENT[f];
        parts.push({ name: fileField, filename, content, mime });
      }
      const boundary = 'fuzzb0undary';
      notes.push(`multipart: ${plan.shape}`);
      let payload: Buffer = encodeMultipart(parts, boundary);
      let contentType = `multipart/form-data; boundary=${boundary}`;
      switch (plan.shape) {
        case 'ok': break;
        case 'no-boundary': contentType = 'multipart/form-data'; break;
        case 'wrong-boundary': contentType = 'multipart/form-data; boundary=other-boundary'; break;
        case 'truncated': payload = payload.subarray(0, Math.max(1, Math.floor(payload.length * plan.frac))); break;
        case 'no-closing': payload = encodeMultipart(parts, boundary, { closing: false }); break;
        case 'bad-part-header': payload = encodeMultipart(parts.length ? parts : [{ name: 'x', value: 'y' }], boundary, { badHeader: true }); break;
        case 'empty-body': payload = Buffer.alloc(0); break;
        case 'json-body': payload = Buffer.from(toJsonText(fields)); break;
        case 'lf-only': payload = encodeMultipart(parts, boundary, { eol: '\n' }); break;
        case 'long-boundary': {
          const b = 'b'.repeat(200);
          payload = encodeMultipart(parts, b);
          contentType = `multipart/form-data; boundary=${b}`;
          break;
        }
        case 'quoted-boundary': contentType = `multipart/form-data; boundary="${boundary}"`; break;
        case 'preamble-junk': payload = Buffer.concat([Buffer.from('junk before the first boundary\r\n'), payload]); break;
        case 'too-many-fields': payload = encodeMultipart([...parts, ...Array.from({ length: 25 }, (_, i) => ({ name: `f${i}`, value: 'v' }))], boundary); break;
        case 'too-many-files': payload = encodeMultipart([...parts, ...Array.from({ length: 12 }, (_, i) => ({ name: fileField, filename: `p${i}.png`, content: PNG, mime: 'image/png' }))], boundary); break;
        case 'not-multipart': payload = Buffer.from(toJsonText(fields)); contentType = 'application/json'; break;
      }
      const finalCt = ct === 'default' ? contentType : withCt(contentType);
      return { payload, contentType: finalCt, notes };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Router-level oddities: a documented path made malformed before any route matches

type RouterTwist =
  | { kind: 'segment'; sel: number; frag: string }
  | { kind: 'append'; frag: string }
  | { kind: 'long-path'; n: number; where: 'param' | 'tail' | 'prefix' }
  | { kind: 'long-query'; n: number; many: boolean }
  | { kind: 'shape'; how: 'double-slash' | 'trailing-slash' | 'dot-segments' | 'upper' | 'semicolon' | 'query-escape' | 'fragment' | 'encoded-slash' };

export function routerArb(ops: Operation[], pools: Pools, principal: (op: Operation) => Principal[]): fc.Arbitrary<FuzzRequest> {
  const twist: fc.Arbitrary<RouterTwist> = fc.oneof(
    fc.record({ kind: fc.constant('segment' as const), sel: fc.nat(), frag: fc.constantFrom(...RAW_FRAGMENTS, '%E0%A4%A', '%ED%A0%80') }),
    fc.record({ kind: fc.constant('append' as const), frag: fc.constantFrom(...RAW_FRAGMENTS) }),
    fc.record({ kind: fc.constant('long-path' as const), n: fc.constantFrom(10_000, 70_000), where: fc.constantFrom('param' as const, 'tail' as const, 'prefix' as const) }),
    fc.record({ kind: fc.constant('long-query' as const), n: fc.constantFrom(10_000, 70_000), many: fc.boolean() }),
    fc.record({ kind: fc.constant('shape' as const), how: fc.constantFrom('double-slash' as const, 'trailing-slash' as const, 'dot-segments' as const, 'upper' as const, 'semicolon' as const, 'query-escape' as const, 'fragment' as const, 'encoded-slash' as const) }),
  );
  return fc.record({ i: fc.nat(ops.length - 1), t: twist, p: fc.nat() }).map(({ i, t, p }) => {
    const op = ops[i];
    const h: Hints = { pools, op };
    let url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const param = op.params.find((x) => x.name === name);
      const vals = knownValues(h, name, param?.schema ?? { type: 'string' }, 'path');
      return pct(String(vals?.[0] ?? '1'));
    });
    let note = '';
    switch (t.kind) {
      case 'segment': {
        const seg = url.split('/');
        const k = 1 + (t.sel % (seg.length - 1));
        seg[k] = t.frag;
        url = seg.join('/');
        note = `segment ${k} = ${t.frag}`;
        break;
      }
      case 'append': url += t.frag; note = `append ${t.frag}`; break;
      case 'long-path':
        note = `${t.n}-char path (${t.where})`;
        if (t.where === 'tail') url += '/' + 'a'.repeat(t.n);
        else if (t.where === 'prefix') url = '/' + 'a'.repeat(t.n) + url;
        else url = url.replace(/\/[^/]*$/, '/' + '1'.repeat(t.n));
        break;
      case 'long-query':
        note = `${t.n}-char query${t.many ? ' (many params)' : ''}`;
        url += '?' + (t.many ? 'a=1&'.repeat(Math.floor(t.n / 4)) : `q=${'a'.repeat(t.n)}`);
        break;
      case 'shape':
        note = t.how;
        if (t.how === 'double-slash') url = url.replace('/api/', '//api/').replace('/open311/', '//open311/');
        else if (t.how === 'trailing-slash') url += '/';
        else if (t.how === 'dot-segments') url = url.replace(/^\/(\w+)\//, '/$1/../$1/');
        else if (t.how === 'upper') url = url.toUpperCase();
        else if (t.how === 'semicolon') url += ';jsessionid=1';
        else if (t.how === 'query-escape') url += '?%zz=%&a=%E0%A4%A';
        else if (t.how === 'fragment') url += '#frag';
        else url = url.replace(/\/([^/]*)$/, '%2F$1');
        break;
    }
    const allowed = principal(op);
    const who = allowed[p % allowed.length];
    const headers: Record<string, string> = { ...who.headers };
    if (who.csrf && op.method !== 'GET') headers['x-csrf-token'] = who.csrf;
    let payload: string | undefined;
    if (op.method !== 'GET' && op.method !== 'DELETE') {
      payload = '{}';
      headers['content-type'] = 'application/json';
    }
    return {
      op: 'ROUTER', template: `${op.path} [${note.replace(/\d{4,}/, 'N')}]`, method: op.method, url, headers, payload, principal: who.name,
      notes: [`router: ${note}`], open311: url.startsWith('/open311/') || url.startsWith('//open311/'),
    };
  });
}
