/** Request parts for the OpenAPI fuzzer (test/fuzz/arbitraries.ts): path and query slots, content types, garbage bodies, auth plans, multipart encoding. */
import fc from 'fast-check';
import type { Schema } from './openapi-model.ts';
import { PNG, JPEG, type Principal } from './fixtures.ts';
import type { Mutation } from './mutations.ts';
import { NASTY_TEXT, RAW_FRAGMENTS, pct, toJsonText } from './values.ts';

// ---------------------------------------------------------------------------------------------------------------
// Request parts

/** What to put in a path or query slot: a valid-ish value, a nasty value (encoded), raw text, or a long run. */
export type Slot =
  | { kind: 'valid'; value: unknown }
  | { kind: 'nasty'; value: string }
  | { kind: 'nul'; value: string }
  | { kind: 'raw'; value: string }
  | { kind: 'long'; value: string };

/** Nasty text for numeric parameters: beyond every integer and double range, negative, fractional, not numbers. */
export const NASTY_NUMBER_TEXT = ['1e999', '-1e999', '1e308', '9007199254740993', '99999999999999999999', '9223372036854775808', '2147483648',
  '-1', '0', '-0', '1.5', 'NaN', 'Infinity', '0x10', '1e-400', ' 1', ''];

export function slotArb(valid: fc.Arbitrary<unknown>, s: Schema, weights: { valid: number; nasty: number; raw: number; long: number }): fc.Arbitrary<Slot> {
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
export const slotText = (s: Slot): string =>
  s.kind === 'valid' ? pct(typeof s.value === 'string' ? s.value : toJsonText(s.value)) : s.kind === 'nasty' || s.kind === 'nul' ? pct(s.value) : s.value;
export const slotNote = (name: string, s: Slot): string | undefined =>
  s.kind === 'valid' ? undefined : `${name}: ${s.kind}${s.kind === 'long' ? ` ${s.value.length}` : ` ${JSON.stringify(s.value.slice(0, 24))}`}`;

export type QuerySlot = { kind: 'omit' } | Slot | { kind: 'array'; values: Slot[] };

export const CONTENT_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=', 'application/json; charset=utf-16',
  'application/json; charset=latin1', 'application/xml', 'application/octet-stream', 'application/vnd.api+json', 'APPLICATION/JSON', ';;;',
  'application/json, text/plain', 'image/png', '*/*', 'application/json; boundary=x',
];
export const GARBAGE_BODIES = ['{', '{"a":', ']', 'nul', '\u0000', '{"a":1}{"b":2}', "{'a':1}", '{"a":1,}', '\uFEFF{}', '', ' ', '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}', '{"a":1,"a":2}', '"\\ud800"', '[1,2', '1e999', '-'];

export type BodyPlan =
  | { kind: 'schema'; base: unknown; muts: Mutation[] }
  | { kind: 'empty-object' }
  | { kind: 'top'; value: unknown }
  | { kind: 'garbage'; text: string }
  | { kind: 'truncated'; base: unknown; frac: number }
  | { kind: 'none' };

export type AuthPlan = { principal: Principal; twist: 'none' | 'no-csrf' | 'bad-csrf' | 'bad-bearer' | 'bad-cookie' };

export function authArb(allowed: Principal[]): fc.Arbitrary<AuthPlan> {
  return fc.record({
    principal: fc.constantFrom(...allowed),
    twist: fc.oneof(
      { arbitrary: fc.constant('none' as const), weight: 14 },
      { arbitrary: fc.constantFrom('no-csrf' as const, 'bad-csrf' as const, 'bad-bearer' as const, 'bad-cookie' as const), weight: 1 },
    ),
  });
}
export function authHeaders(a: AuthPlan, method: string): { headers: Record<string, string>; note?: string } {
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
export const MP_SHAPES = [
  'no-boundary', 'wrong-boundary', 'truncated', 'no-closing', 'bad-part-header', 'empty-body', 'json-body', 'lf-only', 'long-boundary',
  'quoted-boundary', 'preamble-junk', 'too-many-fields', 'too-many-files', 'not-multipart',
] as const;
export type MpShape = 'ok' | (typeof MP_SHAPES)[number];

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

export const FILE_CONTENT: [Buffer, string, string][] = [[PNG, 'image/png', 'a.png'], [JPEG, 'image/jpeg', 'b.jpg'], [Buffer.from('not an image'), 'image/png', 'c.png'], [Buffer.alloc(0), 'image/png', 'empty.png']];
