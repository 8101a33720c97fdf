/**
 * Units, the matter and part catalogue (GB/T 47678.5, domain.md §3) with each matter's time limits, and the
 * registered parts (部件) with their owner and maintainer units.
 */
import { Type, type Static } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { notFound, invalidAs } from '../../../domain/errors.ts';
import { DEFAULT_STAGE_LIMITS } from '../../../commands/case-clocks.ts';
import { LIMIT_STAGES, LIMIT_URGENCIES } from '../../../commands/time-limits-replace.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';
import { Limit, MatterDto, MatterLimitDto, PartDto, Ref, UnitDto } from './reference.schema.ts';
import { presentMatter, presentPart, presentUnit, unitRef } from './reference.presenter.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const READ = { permission: 'case.read' } as const;
const CodeParam = Type.Object({ code: Type.String({ pattern: '^\\d{5}$', description: '5-digit matter code' }) });
const CatalogQuery = Type.Object({
  classCode: Type.Optional(Type.String({ pattern: '^\\d{2}$', description: '2-digit class (大类), e.g. 06' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Text in the name, or the start of the code' })),
}, { additionalProperties: false });
/** Counters kept per unit by the case commands (domain.md §7); absent ones are 0. */
const UNIT_COUNTERS = ['returns', 'buck_passing', 'rework', 'reopen', 'postpone', 'hang', 'supervision'];

const matches = (q: string | undefined, code: string, name: string) => !q || name.includes(q) || code.startsWith(q);

export async function catalogRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/units', {
    config: READ,
    schema: {
      tags: ['reference'], summary: 'Handling units (处置单位)',
      querystring: Type.Object({
        kind: Type.Optional(Type.String({ maxLength: 40, description: 'Only units of this kind (department, street_office, …)' })),
        regionId: Type.Optional(Type.String({ maxLength: 64, description: 'Only units serving this region' })),
        parentId: Type.Optional(Type.String({ maxLength: 64, description: 'Only the sub-units of this unit' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(UnitDto) }), ...ERRORS },
    },
  }, async (req) => {
    const { kind, regionId, parentId } = req.query;
    const items = [...ctx.ref.current().units.values()]
      .filter((u) => (!kind || u.kind === kind) && (!regionId || u.regionId === regionId) && (!parentId || u.parentId === parentId));
    return { items: items.map(presentUnit) };
  });

  app.get('/api/v1/units/:id', {
    config: READ,
    schema: {
      tags: ['reference'], summary: 'One unit with its sub-units, its rules in the current list and its counters', params: IdParam,
      response: {
        200: Type.Object({
          ...UnitDto.properties,
          parent: Type.Union([Ref, Type.Null()]), subUnits: Type.Array(Ref),
          ruleCount: Type.Integer({ description: 'Rules of the current responsibility list naming it as handling unit' }),
          counters: Type.Record(Type.String(), Type.Integer(), { description: 'returns, buck_passing (推诿), rework, reopen, postpone, hang, supervision' }),
        }),
        ...ERRORS,
      },
    },
  }, async (req) => {
    const r = ctx.ref.current();
    const u = r.units.get(req.params.id);
    if (!u) throw notFound('unit', req.params.id);
    const stored = await ctx.store.cases.unitCounters(u.id);
    const counters = Object.fromEntries(UNIT_COUNTERS.map((c) => [c, stored[c] ?? 0]));
    return {
      ...presentUnit(u), parent: unitRef(r, u.parentId),
      subUnits: [...r.units.values()].filter((s) => s.parentId === u.id).map((s) => ({ id: s.id, name: s.name })),
      ruleCount: r.rules.filter((x) => x.unitId === u.id).length,
      counters: { ...stored, ...counters },
    };
  });

  app.get('/api/v1/catalog/matters', {
    config: READ,
    schema: {
      tags: ['catalog'], summary: 'Matter types (事项), standard and local', querystring: CatalogQuery,
      response: { 200: Type.Object({ items: Type.Array(MatterDto) }), ...ERRORS },
    },
  }, async (req) => {
    const { classCode, q } = req.query;
    const items = [...ctx.ref.current().matters.values()].filter((m) => (!classCode || m.classCode === classCode) && matches(q, m.code, m.name));
    return { items: items.map(presentMatter) };
  });

  app.get('/api/v1/catalog/matters/:code', {
    config: READ,
    schema: {
      tags: ['catalog'], summary: 'One matter type with the time limits that apply to it (configured rows, else the documented defaults)',
      params: CodeParam,
      response: { 200: Type.Object({ ...MatterDto.properties, limits: Type.Array(MatterLimitDto) }), ...ERRORS },
    },
  }, async (req) => {
    const r = ctx.ref.current();
    const m = r.matters.get(req.params.code);
    if (!m) throw notFound('matter', req.params.code);
    const bases = await ctx.store.referenceQuery.timeLimitBases([m.code, '*']);
    const limits: Static<typeof MatterLimitDto>[] = [];
    for (const stage of LIMIT_STAGES) {
      for (const urgency of LIMIT_URGENCIES) {
        const prefix = `${m.code}|${stage}|${urgency}|`;
        let anyArea = false;
        for (const [key, l] of r.timeLimits) {
          if (!key.startsWith(prefix)) continue;
          const area = key.slice(prefix.length);
          anyArea ||= area === '';
          limits.push({ stage, urgency, areaClass: area || null, ...l, basis: bases.get(key) ?? null, appliesTo: 'matter', default: false });
        }
        if (anyArea) continue;
        // What applies where no row of this matter does: the all-matters row, else the documented default.
        const wildcard = r.timeLimits.get(`*|${stage}|${urgency}|`);
        const limit = wildcard ?? DEFAULT_STAGE_LIMITS[stage][urgency];
        limits.push({
          stage, urgency, areaClass: null, ...limit, basis: wildcard ? bases.get(`*|${stage}|${urgency}|`) ?? null : null,
          appliesTo: wildcard ? 'all' : 'default', default: !wildcard,
        });
      }
    }
    return { ...presentMatter(m), limits };
  });

  app.get('/api/v1/catalog/parts', {
    config: READ,
    schema: {
      tags: ['catalog'], summary: 'Part classes (部件类型)', querystring: CatalogQuery,
      response: { 200: Type.Object({ items: Type.Array(MatterDto) }), ...ERRORS },
    },
  }, async (req) => {
    const { classCode, q } = req.query;
    const items = [...ctx.ref.current().partClasses.values()].filter((m) => (!classCode || m.classCode === classCode) && matches(q, m.code, m.name));
    return { items: items.map(presentMatter) };
  });

  app.get('/api/v1/parts', {
    config: READ,
    schema: {
      tags: ['catalog'], summary: 'Registered parts (部件), by grid and/or class; page on with afterId',
      querystring: Type.Object({
        gridId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Only the parts in this grid' })),
        partCode: Type.Optional(Type.String({ pattern: '^\\d{5}$', description: 'Only parts of this 5-digit class' })),
        afterId: Type.Optional(Type.String({ pattern: '^\\d{17}$', description: 'Return parts with an id after this one (next page)' })),
        limit: Type.Optional(Limit(1000, 100)),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(PartDto), nextAfterId: Type.Union([Type.String(), Type.Null()]) }), ...ERRORS },
    },
  }, async (req) => {
    const r = ctx.ref.current();
    const { gridId, partCode, afterId } = req.query;
    const limit = req.query.limit ?? 100;
    if (gridId !== undefined && !r.grids.has(gridId)) throw invalidAs('gridId', { key: 'catalog.unknown_grid', params: { gridId: String(gridId) } }, `unknown grid "${gridId}"`);
    if (partCode !== undefined && !r.partClasses.has(partCode)) throw invalidAs('partCode', { key: 'catalog.unknown_part_class', params: { partCode: String(partCode) } }, `unknown part class "${partCode}"`);
    const rows = await ctx.store.referenceQuery.listParts({ gridId, partCode, afterId, limit });
    return { items: rows.map((p) => presentPart(r, p)), nextAfterId: rows.length === limit ? rows[rows.length - 1].id : null };
  });

  app.get('/api/v1/parts/:id', {
    config: READ,
    schema: {
      tags: ['catalog'], summary: 'One part with its owner (权属) and maintainer (养护) units',
      params: Type.Object({ id: Type.String({ pattern: '^\\d{17}$', description: '17-digit part id' }) }),
      response: { 200: PartDto, ...ERRORS },
    },
  }, async (req) => {
    const p = await ctx.store.referenceQuery.findPart(req.params.id);
    if (!p) throw notFound('part', req.params.id);
    return presentPart(ctx.ref.current(), p);
  });
}
