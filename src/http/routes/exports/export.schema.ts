/** Request and response schemas of the export routes (issue 10 part 6): validation, handler types and OpenAPI from one source. */
import { Type, type TSchema } from 'typebox';
import { EXPORT_KINDS, EXPORT_STATES } from '../../../domain/export/export.ts';
import { CaseListQuery } from '../cases/case-list.schema.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A string enum typed as its values (for handlers and the console's generated types). */
const StrEnum = <const T extends readonly string[]>(values: T, description: string) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description });

const { cursor: _c, beforeId: _b, limit: _l, ...filterProps } = CaseListQuery.properties;

const Format = StrEnum(['csv', 'xlsx'], 'csv (UTF-8 with BOM, opens in Excel) or xlsx');
const Lang = Type.Optional(StrEnum(['zh', 'en'], 'Header and label language (default zh)'));

/** The case list's filters (exactly those of GET /api/v1/cases, without paging). */
export const CaseExportFilter = Type.Object(filterProps, { additionalProperties: false, description: 'The filters of GET /api/v1/cases (no paging)' });

export const DirectCaseExportQuery = Type.Object({ ...filterProps, format: Format, lang: Lang }, { additionalProperties: false });

export const ExportRequestBody = Type.Object({
  kind: StrEnum(EXPORT_KINDS, 'What to export: cases (a filtered case list)'),
  format: Format,
  filter: CaseExportFilter,
  reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why the export is needed: required above the city\'s approval limit' })),
  lang: Lang,
}, { additionalProperties: false });

export const DecisionBody = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 500, description: 'The leader\'s note, kept with the decision' })),
}, { additionalProperties: false });

export const ExportParam = Type.Object({ id: Type.String({ pattern: '^\\d{1,15}$', description: 'Export id' }) });

export const ExportListQuery = Type.Object({
  scope: Type.Optional(StrEnum(['mine', 'approvals', 'all'], 'mine (default): my exports; approvals: requests waiting for a leader (export.approve); all: every export (export.approve)')),
  beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'Next page: exports with id below this' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size' })),
}, { additionalProperties: false });

const Person = Nullable(Type.Object({ id: Nullable(Type.String()), name: Nullable(Type.String()) }));

export const ExportDto = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  format: Type.String(),
  filename: Type.String(),
  filter: Type.Record(Type.String(), Type.Unknown(), { description: 'The filter as requested' }),
  state: StrEnum(EXPORT_STATES, 'requested → approved | rejected; approved → generating → ready | failed; ready → expired'),
  stateLabel: Type.Object({ zh: Type.String(), en: Type.String() }),
  reason: Nullable(Type.String()),
  requestedBy: Type.Object({ id: Type.String(), name: Nullable(Type.String()) }),
  requestedAt: Type.String({ format: 'date-time' }),
  totalRows: Type.Integer({ description: 'Rows the filter matched for the requester when asked' }),
  rowsWritten: Type.Integer({ description: 'Rows written so far (progress)' }),
  progress: Type.Number({ description: 'rowsWritten / totalRows, 0–1 (1 when ready)' }),
  decidedBy: Person,
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  decisionNote: Nullable(Type.String()),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
  fileBytes: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  downloadUrl: Nullable(Type.String({ description: 'For the requester once ready' })),
  allowedActions: Type.Array(StrEnum(['approve', 'reject', 'download'], 'What the caller may do now')),
});

export const ExportListDto = Type.Object({ items: Type.Array(ExportDto), nextBeforeId: Nullable(Type.Integer()) });

export const ExportHistoryDto = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.Integer(), action: Type.String(), actor: Person, at: Type.String({ format: 'date-time' }), rows: Nullable(Type.Integer()),
    details: Type.Record(Type.String(), Type.Unknown()),
  })),
});

export const ExportPolicyDto = Type.Object({
  approvalAboveRows: Type.Integer({ description: 'Exports of more rows need a leader\'s approval (default 100,000)' }),
  maxRows: Type.Integer({ description: 'No export holds more rows, even approved (default 2,000,000)' }),
  keepHours: Type.Integer({ description: 'How long a generated file can be downloaded (default 72)' }),
  problems: Type.Optional(Type.Array(Type.Object({ setting: Type.String(), message: Type.String(), usingDefault: Type.Unknown() }))),
});

export const ExportPolicyBody = Type.Object({
  approvalAboveRows: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
  maxRows: Type.Integer({ minimum: 1, maximum: 50_000_000 }),
  keepHours: Type.Integer({ minimum: 1, maximum: 2160 }),
}, { additionalProperties: false });
