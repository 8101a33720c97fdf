/**
 * The fuzz test's view of the committed OpenAPI document (openapi/openapi.json): one entry per operation
 * (method + path template) with its parameters and what its request body may be (JSON, form, multipart).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Schema = Record<string, any>;

export interface ParamSpec { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: Schema }

export interface MultipartSpec {
  /** Text fields. */
  fields: string[];
  /** File fields (photo, file, media). */
  fileFields: string[];
  /** Where the field list came from: the requestBody schema, or the operation's prose (routes with no body schema). */
  source: 'schema' | 'description';
}

export interface Operation {
  /** "METHOD /path/{template}" as in the document. */
  key: string;
  method: Method;
  /** Path template with {params}, as in the document. */
  path: string;
  /** The same path in Fastify's route syntax (:param), to look the route up in the route table. */
  fastifyPath: string;
  params: ParamSpec[];
  json?: Schema;
  form?: Schema;
  multipart?: MultipartSpec;
  bodyRequired: boolean;
  /** Open311 GeoReport v2 routes answer errors in that spec's format, not ours. */
  open311: boolean;
  /** Answers a never-ending text/event-stream (GET /api/v1/events): judged by its start, then disconnected. */
  streaming: boolean;
  text: string;
}

export const OPENAPI_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../openapi/openapi.json');

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Replaces every local `$ref` with its target (the document is small; cycles are cut at depth 20). */
function resolveRefs(doc: any, node: any, depth = 0): any {
  if (depth > 20 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n) => resolveRefs(doc, n, depth + 1));
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    const target = node.$ref.slice(2).split('/').reduce((o: any, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    return resolveRefs(doc, target, depth + 1);
  }
  const out: any = {};
  for (const [k, v] of Object.entries(node)) out[k] = resolveRefs(doc, v, depth + 1);
  return out;
}

const FILE_FIELD_PATTERNS = [
  /field\s+["`](\w+)["`]/g, // 'field "file"', 'the file field `media`'
  /`(\w+)`\s+files?\b/g, // '1–6 `photo` files'
];

/**
 * Three multipart operations are registered without a body schema (the route reads `req.parts()` itself), so
 * the document describes their form only in prose: "Fields: `matterCode`, `lon` + `lat`, … and 0–3 `photo` files".
 * Their field names are read from the backticked names there; file fields from "field "x"" / "`x` files".
 */
function multipartFromProse(text: string): MultipartSpec | undefined {
  if (!/multipart\/form-data/.test(text)) return undefined;
  const fileFields = new Set<string>();
  for (const re of FILE_FIELD_PATTERNS) for (const m of text.matchAll(re)) fileFields.add(m[1]);
  const fields = new Set<string>();
  for (const m of text.matchAll(/`(\w+)\??`/g)) if (!fileFields.has(m[1])) fields.add(m[1]);
  if (fileFields.size === 0 && fields.size === 0) return undefined;
  return { fields: [...fields], fileFields: [...fileFields], source: 'description' };
}

export function loadOperations(file = OPENAPI_PATH): Operation[] {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const ops: Operation[] = [];
  for (const [p, item] of Object.entries<any>(doc.paths)) {
    for (const m of METHODS) {
      const raw = item[m];
      if (!raw) continue;
      const o = resolveRefs(doc, raw);
      const method = m.toUpperCase() as Method;
      const text = `${o.summary ?? ''}\n${o.description ?? ''}`;
      const params: ParamSpec[] = [...(item.parameters ?? []), ...(o.parameters ?? [])]
        .map((x: any) => resolveRefs(doc, x))
        .filter((x: any) => x.in === 'path' || x.in === 'query' || x.in === 'header')
        .map((x: any) => ({ name: x.name, in: x.in, required: !!x.required || x.in === 'path', schema: x.schema ?? { type: 'string' } }));
      const content = o.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      const form = content['application/x-www-form-urlencoded']?.schema;
      let multipart: MultipartSpec | undefined;
      const mp = content['multipart/form-data']?.schema;
      if (mp) {
        const props = Object.entries<any>(mp.properties ?? {});
        const fileFields = new Set(props.filter(([, s]) => s.format === 'binary').map(([k]) => k));
        for (const re of FILE_FIELD_PATTERNS) for (const x of text.matchAll(re)) fileFields.add(x[1]);
        multipart = { fields: props.map(([k]) => k).filter((k) => !fileFields.has(k)), fileFields: [...fileFields], source: 'schema' };
      } else if (!json && !form && method !== 'GET') {
        multipart = multipartFromProse(text);
      }
      ops.push({
        key: `${method} ${p}`, method, path: p, fastifyPath: p.replace(/\{(\w+)\}/g, ':$1'), params,
        json, form, multipart, bodyRequired: !!o.requestBody?.required || !!multipart, open311: p.startsWith('/open311/'),
        streaming: /text\/event-stream/.test(text), text,
      });
    }
  }
  return ops;
}
