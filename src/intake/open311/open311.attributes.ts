/**
 * The matters' extra questions as the Open311 edge uses them: held in memory per reference snapshot (a save bumps
 * the reference version, so every node reloads them with the rest of the reference data), presented as GeoReport v2
 * service-definition attributes, and read from a POST's `attribute[code]` fields.
 */
import type { AttributeDef } from '../../domain/catalog/attributes.ts';
import type { AppContext } from '../../runtime/context.ts';
import type { ReferenceData } from '../../runtime/reference-cache.ts';

export type AttributeSets = ReadonlyMap<string, readonly AttributeDef[]>;

const cache = new WeakMap<ReferenceData, Promise<AttributeSets>>();

/** The current questions of every matter that has any, for the reference snapshot in use. */
export function attributeSetsOf(ctx: AppContext): Promise<AttributeSets> {
  const ref = ctx.ref.current();
  let p = cache.get(ref);
  if (!p) {
    p = ctx.store.matterAttributes.currentAttributeSets().then((rows) => new Map(rows
      .filter((r) => r.attributes.length > 0)
      .map((r) => [r.matterCode, r.attributes as AttributeDef[]])));
    p.catch(() => cache.delete(ref));
    cache.set(ref, p);
  }
  return p;
}

/**
 * One attribute as GeoReport v2 lists it (docs/open311.md §1.4), fields in the spec's order. Booleans become the
 * text true/false in XML, which is what FixMyStreet compares with. `datatype_description` is left out when there is
 * none; `automated` (mySociety's extension) only when set; `values` only for the list datatypes.
 */
export function presentAttribute(d: AttributeDef) {
  return {
    variable: d.variable,
    code: d.code,
    datatype: d.datatype,
    required: d.required,
    ...(d.datatypeDescription ? { datatype_description: d.datatypeDescription } : {}),
    order: d.order,
    description: d.description,
    ...(d.automated ? { automated: d.automated } : {}),
    ...(d.values.length ? { values: d.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
  };
}

const ATTRIBUTE_NAME = /^attribute\[([^\][]+)\](?:\[\])?$/;

/**
 * The answers in a form: `attribute[code]=v` and, for several values, the same name repeated (FixMyStreet) or
 * `attribute[code][]=v` (the spec's example); both spellings may be mixed. Values keep the order sent.
 */
export function attributeAnswersOf(body: Record<string, unknown> | undefined | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!body || typeof body !== 'object') return out;
  for (const [name, raw] of Object.entries(body)) {
    const m = ATTRIBUTE_NAME.exec(name);
    if (!m) continue;
    const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    out.set(m[1], [...(out.get(m[1]) ?? []), ...list]);
  }
  return out;
}
