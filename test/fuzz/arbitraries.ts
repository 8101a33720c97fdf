/**
 * fast-check arbitraries that turn one OpenAPI operation into HTTP requests, most of them malformed.
 *
 * Each request is generated as a plain descriptor (what to put in the path, the query, the headers and the body,
 * and which principal sends it), then built into bytes by pure functions here. Values start "valid-ish" — derived
 * from the operation's schemas, with ids, codes and coordinates that exist in the seeded demo city — and are then
 * broken: nasty path and query values, body mutations (missing required, wrong types, extra fields, NUL, numbers
 * out of every range, deep nesting, `{}`), malformed JSON, wrong or missing content types, and for multipart
 * operations malformed multipart bodies (no boundary, wrong boundary, truncated, …).
 *
 * The values live in values.ts, the body mutations in mutations.ts, the request parts (slots, auth, multipart) in
 * request-parts.ts; this module puts them together per operation.
 */
import fc from 'fast-check';
import type { Operation, Schema } from './openapi-model.ts';
import { PNG, type Pools, type Principal } from './fixtures.ts';
import { type Mutation, applyMutations, brief, clone, mutationsArb } from './mutations.ts';
import { type AuthPlan, type BodyPlan, CONTENT_TYPES, FILE_CONTENT, GARBAGE_BODIES, MP_SHAPES, type MpPart, type MpShape, type QuerySlot, type Slot, authArb, authHeaders, encodeMultipart, slotArb, slotNote, slotText } from './request-parts.ts';
import { CONTROL_CHARS, type Hints, RAW_FRAGMENTS, RawJson, knownValues, nastyJson, pct, toJsonText, validish } from './values.ts';

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
