/**
 * A matter's extra questions (GeoReport v2 service-definition attributes), for administrators: read any version,
 * replace the whole set (a new version, live on every node within seconds), list the versions. Open311 clients read
 * the current set at GET /open311/v2/services/{code}.{xml,json}.
 */
import { Type, type Static } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { notFound } from '../../../domain/errors.ts';
import { ATTRIBUTE_DATATYPES, AUTOMATED_KINDS, type AttributeDef } from '../../../domain/catalog/attributes.ts';
import { replaceMatterAttributes } from '../../../commands/matter-attributes-replace.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse } from '../common.schema.ts';
import { Nullable, StrEnum } from './reference.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const CodeParam = Type.Object({ code: Type.String({ pattern: '^\\d{5}$', description: '5-digit matter code (= Open311 service_code)' }) });

const Value = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 100, description: 'The value a client sends' }),
  name: Type.String({ minLength: 1, maxLength: 200, description: 'Its label (Chinese first)' }),
}, { additionalProperties: false });

const DATATYPE_DOC = 'string (one line), number, datetime (W3C), text (several lines), singlevaluelist, multivaluelist';
const AttributeFields = {
  code: Type.String({ pattern: '^[A-Za-z0-9_]{1,50}$', description: 'ASCII letters, digits and _, unique in the matter; clients send attribute[code]' }),
  order: Type.Integer({ minimum: 1, maximum: 10000, description: 'Display order, 1 first, unique in the matter' }),
  description: Type.String({ minLength: 1, maxLength: 500, description: 'The question (or, when not variable, the information) shown to the citizen' }),
};

const AttributeInput = Type.Object({
  ...AttributeFields,
  datatype: StrEnum(ATTRIBUTE_DATATYPES, DATATYPE_DOC),
  required: Type.Optional(Type.Boolean({ description: 'Must be answered to file a report (default false)' })),
  variable: Type.Optional(Type.Boolean({ description: 'false: information only, not a question (default true)' })),
  datatypeDescription: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'A hint for the input, e.g. 例如 LD-0123' }))),
  values: Type.Optional(Type.Array(Value, { maxItems: 100, description: 'The options of a singlevaluelist or multivaluelist (required for them, not allowed otherwise)' })),
  automated: Type.Optional(Nullable(StrEnum(AUTOMATED_KINDS, "mySociety's extension: server_set (clients do not ask) or hidden_field (filled without asking)"))),
}, { additionalProperties: false });

const AttributeDto = Type.Object({
  ...AttributeFields,
  datatype: Type.String({ description: DATATYPE_DOC }),
  required: Type.Boolean(), variable: Type.Boolean(), datatypeDescription: Nullable(Type.String()), values: Type.Array(Value),
  automated: Nullable(Type.String()),
});

const AttributeSetDto = Type.Object({
  matterCode: Type.String(),
  version: Type.Integer({ description: 'Version of this set; 0 when the matter never had questions' }),
  savedAt: Nullable(Type.String({ description: 'When this version was saved' })),
  savedBy: Nullable(Type.String({ description: 'Who saved it (user id)' })),
  attributes: Type.Array(AttributeDto, { description: 'In display order' }),
});

const ReplaceBody = Type.Object({
  attributes: Type.Array(AttributeInput, { maxItems: 50, description: 'The whole new set (an empty list removes the questions)' }),
  version: Type.Optional(Type.Integer({ minimum: 0, description: 'The version you edited: 409 if another save came first' })),
}, { additionalProperties: false });

function present(matterCode: string, set: { version: number; attributes: unknown[]; createdAt: number; createdBy: string | null } | undefined): Static<typeof AttributeSetDto> {
  return {
    matterCode,
    version: set?.version ?? 0,
    savedAt: set ? new Date(set.createdAt).toISOString() : null,
    savedBy: set?.createdBy ?? null,
    attributes: ((set?.attributes ?? []) as AttributeDef[]).map((a) => ({
      code: a.code, datatype: a.datatype, order: a.order, description: a.description, required: a.required, variable: a.variable,
      datatypeDescription: a.datatypeDescription, values: a.values, automated: a.automated,
    })),
  };
}

export async function matterAttributeRoutes(app: App, ctx: AppContext): Promise<void> {
  const known = (code: string) => {
    if (!ctx.ref.current().matters.has(code)) throw notFound('matter', code);
  };

  app.get('/api/v1/catalog/matters/:code/attributes', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['catalog'], summary: "A matter's extra questions (Open311 service attributes): the current set, or an older version",
      params: CodeParam,
      querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'An older version (default: the current one)' })) }, { additionalProperties: false }),
      response: { 200: AttributeSetDto, ...ERRORS },
    },
  }, async (req) => {
    known(req.params.code);
    const set = await ctx.store.matterAttributes.findAttributeSet(req.params.code, req.query.version);
    if (!set && req.query.version !== undefined) throw notFound('attribute version', `${req.params.code}@${req.query.version}`);
    return present(req.params.code, set);
  });

  app.get('/api/v1/catalog/matters/:code/attributes/versions', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['catalog'], summary: "The saved versions of a matter's extra questions, newest first",
      params: CodeParam,
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({ version: Type.Integer(), savedAt: Type.String(), savedBy: Nullable(Type.String()), count: Type.Integer({ description: 'Attributes in it' }) })),
        }),
        ...ERRORS,
      },
    },
  }, async (req) => {
    known(req.params.code);
    const rows = await ctx.store.matterAttributes.listAttributeVersions(req.params.code);
    return { items: rows.map((r) => ({ version: r.version, savedAt: new Date(r.createdAt).toISOString(), savedBy: r.createdBy, count: r.count })) };
  });

  app.put('/api/v1/catalog/matters/:code/attributes', {
    config: { permission: 'catalog.manage' },
    schema: {
      tags: ['admin'],
      summary: "Replace a matter's extra questions (a new version; Open311 clients see it at once, every node within seconds)",
      description: 'Validated whole: codes ASCII and unique, orders unique, list datatypes with values, informational attributes '
        + '(variable: false) neither required nor with values. Send `version` (the one you edited) to refuse a lost update (409). '
        + 'Reports already filed keep the answers and questions they were filed with.',
      params: CodeParam, body: ReplaceBody,
      response: { 200: AttributeSetDto, ...ERRORS },
    },
  }, async (req) => {
    const r = await replaceMatterAttributes(ctx, req.params.code, req.body.attributes, principalOf(req).userId, { expectedVersion: req.body.version });
    return present(r.matterCode, { version: r.version, attributes: r.attributes, createdAt: r.createdAt, createdBy: r.createdBy });
  });
}
