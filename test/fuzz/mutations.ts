/** Body mutations for the OpenAPI fuzzer (test/fuzz/arbitraries.ts): what to break in a valid-ish JSON body, and applying it. */
import fc from 'fast-check';
import { RAW_NUMBERS, RawJson, nastyJson, toJsonText } from './values.ts';

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
export function clone(v: unknown): unknown {
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
export const brief = (v: unknown) => {
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
