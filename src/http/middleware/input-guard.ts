/**
 * Input limits every route gets, whatever its schema says — so a forgotten bound cannot reach the database:
 *  - no NUL character in any string (PostgreSQL cannot store one in text; no legitimate input carries one),
 *    checked in the parsed body, query and path parameters, and offered to the multipart readers;
 *  - numbers are finite and integers are safe integers (JSON's `1e999` is Infinity and passes a plain
 *    `type: integer`; `9007199254740993` cannot be told from its neighbour), added to every compiled schema
 *    that does not set a tighter bound itself.
 * A refusal is a 400 naming the field, like every validation error.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidAs } from '../../domain/errors.ts';

const NUL = '\u0000';

/** Refuses a string that holds a NUL character, naming the field. */
export function assertNoNul(field: string, value: string): void {
  if (value.includes(NUL)) throw invalidAs(field, { key: 'input-guard.not_contain_nul_character_u0000' }, 'must not contain a NUL character (\\u0000)');
}

/** The path of the first string holding a NUL in a parsed value, or null. */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes(NUL)) return path ? `${path}.${k.replaceAll(NUL, '\\u0000')}` : k.replaceAll(NUL, '\\u0000');
    const hit = findNul(v, path ? `${path}.${k}` : k, depth + 1);
    if (hit) return hit;
  }
  return null;
}

function checkRequest(req: FastifyRequest): void {
  for (const [part, value] of [['params', req.params], ['query', req.query], ['body', req.body]] as const) {
    const hit = findNul(value, '');
    if (hit !== null) throw invalidAs(hit || part, { key: 'input-guard.not_contain_nul_character_u0000' }, 'must not contain a NUL character (\\u0000)');
  }
}

/** Registers the NUL check on every route (before schema validation, so it holds for schema-less routes too). */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => checkRequest(req));
}

type JsonSchema = Record<string, unknown>;
const SCHEMA_KEYS_WITH_SCHEMA = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'] as const;
const SCHEMA_KEYS_WITH_SCHEMAS = ['anyOf', 'allOf', 'oneOf', 'prefixItems'] as const;
const SCHEMA_KEYS_WITH_MAP = ['properties', 'patternProperties', 'definitions', '$defs'] as const;

/**
 * A copy of a JSON schema in which every `integer` lies within ±Number.MAX_SAFE_INTEGER and every `number` is
 * finite, unless the schema bounds it more tightly. The original (which the OpenAPI document is built from) is
 * left as it is.
 */
export function withNumericBounds<T>(schema: T): T {
  return bound(schema as unknown, 0) as T;
}

function bound(node: unknown, depth: number): unknown {
  if (depth > 64 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => bound(n, depth + 1));
  const s = node as JsonSchema;
  const out: JsonSchema = { ...s };
  // TypeBox keeps its kind on symbol keys; spreading copies them, which is what the compiler expects.
  for (const sym of Object.getOwnPropertySymbols(s)) (out as Record<symbol, unknown>)[sym] = (s as Record<symbol, unknown>)[sym];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const limit = types.includes('integer') ? Number.MAX_SAFE_INTEGER : types.includes('number') ? Number.MAX_VALUE : null;
  if (limit !== null) {
    if (typeof s.maximum !== 'number' && typeof s.exclusiveMaximum !== 'number') out.maximum = limit;
    if (typeof s.minimum !== 'number' && typeof s.exclusiveMinimum !== 'number') out.minimum = -limit;
  }
  for (const k of SCHEMA_KEYS_WITH_SCHEMA) if (k in s) out[k] = bound(s[k], depth + 1);
  for (const k of SCHEMA_KEYS_WITH_SCHEMAS) if (Array.isArray(s[k])) out[k] = (s[k] as unknown[]).map((n) => bound(n, depth + 1));
  for (const k of SCHEMA_KEYS_WITH_MAP) {
    const m = s[k];
    if (m && typeof m === 'object') out[k] = Object.fromEntries(Object.entries(m as JsonSchema).map(([n, v]) => [n, bound(v, depth + 1)]));
  }
  return out;
}
