/**
 * The responsibility list as it is: "who would get this?" without creating a case, the current list, its
 * versions with their validation reports, and the grid-member admission list.
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { DomainError, notFound, invalidAs } from '../../../domain/errors.ts';
import { toWgs84 } from '../../../domain/grid/index.ts';
import type { ListReport } from '../../../domain/routing/index.ts';
import { stageLimit } from '../../../commands/case-clocks.ts';
import { type RuleVersionRow } from '../../../storage/repositories/reference-query.repository.ts';
import { ErrorResponse } from '../common.schema.ts';
import { presentLocation, regionRef, unitRef } from './reference.presenter.ts';
import { Nullable } from './reference.schema.ts';
import { AdmissionEntrySchema, ExplainDto, ExplainQuery, ListReportDto, RuleSchema, VersionSummaryDto } from './routing.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse };
const READ = { permission: 'case.read' } as const;
const iso = (ms: number) => new Date(ms).toISOString();

function summarize(v: RuleVersionRow, current: number) {
  const report = v.report as Partial<ListReport> | null;
  return {
    version: v.version, createdAt: iso(v.createdAt), createdBy: v.createdBy, note: v.note, ruleCount: v.ruleCount,
    current: v.version === current,
    summary: {
      ok: report?.ok ?? true, errors: report?.errors?.length ?? 0, warnings: report?.warnings?.length ?? 0,
      coverage: typeof report?.stats?.coverage === 'number' ? report.stats.coverage : null,
    },
  };
}

export async function routingRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/routing/explain', {
    config: READ,
    schema: {
      tags: ['routing'],
      summary: 'Who would get this? Locates the point and routes the matter exactly as a new case would — nothing is created',
      querystring: ExplainQuery,
      response: { 200: ExplainDto, ...ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const r = ctx.ref.current();
    const matter = r.matters.get(q.matterCode);
    if (!matter) throw invalidAs('matterCode', { key: 'sensing.unknown_matter_code_2', params: { matterCode: String(q.matterCode) } }, `unknown matter code "${q.matterCode}"`);
    const part = q.partId !== undefined ? await ctx.store.referenceQuery.findPart(q.partId) : undefined;
    if (q.partId !== undefined && !part) throw invalidAs('partId', { key: 'field.unknown_part', params: { partId: String(q.partId) } }, `unknown part ${q.partId}`);
    let point: { lon: number; lat: number };
    if (q.lon !== undefined || q.lat !== undefined) {
      if (q.lat === undefined) throw invalidAs('lat', { key: 'routing.required_with_lon' }, 'is required with lon');
      if (q.lon === undefined) throw invalidAs('lon', { key: 'routing.required_with_lat' }, 'is required with lat');
      const [lon, lat] = toWgs84(q.lon, q.lat, q.coordSystem ?? 'wgs84');
      point = { lon, lat };
    } else if (part) {
      point = { lon: part.lon, lat: part.lat };
    } else {
      throw invalidAs('lon', { key: 'routing.required_with_lat_unless_partid' }, 'is required (with lat), unless a partId gives the position');
    }
    const at = ctx.ref.locate(point.lon, point.lat);
    if (!at) {
      throw new DomainError('OUT_OF_GRID', `lon: (${point.lon.toFixed(6)}, ${point.lat.toFixed(6)}) is outside every grid of the city`, {
        field: 'lon', details: point, key: 'location.outside_grid', params: { lon: point.lon.toFixed(6), lat: point.lat.toFixed(6) },
      });
    }
    const x = r.routing.explain({
      matterCode: matter.code, regionId: at.communityId,
      partOwnerUnitId: part?.ownerUnitId ?? null, partMaintainerUnitId: part?.maintainerUnitId ?? null,
    });
    const d = x.decision;
    const urgency = q.urgency ?? 'normal';
    return {
      decision: {
        outcome: d.outcome, unit: unitRef(r, d.unitId)!, assistingUnits: d.assistingUnitIds.map((u) => unitRef(r, u)!),
        ruleId: d.ruleId, ruleVersion: r.ruleVersion, fallbackRegion: d.outcome === 'fallback' ? regionRef(r, d.fallbackRegionId) : null,
      },
      candidates: x.candidates.map((c) => ({ ruleId: c.ruleId, unit: unitRef(r, c.unitId)!, specificity: c.specificity, matched: c.matched, reason: c.reason })),
      summary: x.summary,
      explanation: explanationOf(d.outcome, {
        rule: d.ruleId ?? '', unit: unitRef(r, d.unitId)?.name ?? d.unitId, matter: matter.name,
        region: d.outcome === 'fallback' ? regionRef(r, d.fallbackRegionId)?.name ?? '' : '', maintained: Boolean(part?.maintainerUnitId),
      }),
      location: presentLocation(r, point, at),
      part: part ? { id: part.id, ownerUnit: unitRef(r, part.ownerUnitId), maintainerUnit: unitRef(r, part.maintainerUnitId) } : null,
      limits: {
        handle: stageLimit(ctx.ref, matter.code, 'handle', urgency, at.areaClass),
        dispatch: stageLimit(ctx.ref, matter.code, 'dispatch', urgency, at.areaClass),
      },
      gridMemberAdmitted: r.admission.admits(matter.code),
    };
  });

  app.get('/api/v1/rules', {
    config: READ,
    schema: {
      tags: ['routing'], summary: 'The current responsibility list (the version new cases are routed by)',
      response: {
        200: Type.Object({
          version: Type.Integer({ description: '0 when no list was ever saved' }), createdAt: Nullable(Type.String()),
          note: Nullable(Type.String()), rules: Type.Array(RuleSchema),
        }),
        ...ERRORS,
      },
    },
  }, async () => {
    const r = ctx.ref.current();
    const v = r.ruleVersion ? await ctx.store.referenceQuery.findRuleVersion(r.ruleVersion) : undefined;
    return { version: r.ruleVersion, createdAt: v ? iso(v.createdAt) : null, note: v?.note ?? null, rules: r.rules };
  });

  app.get('/api/v1/rules/versions', {
    config: READ,
    schema: {
      tags: ['routing'], summary: 'Every saved version of the list, newest first, with its validation summary',
      response: { 200: Type.Object({ items: Type.Array(VersionSummaryDto) }), ...ERRORS },
    },
  }, async () => {
    const current = ctx.ref.current().ruleVersion;
    return { items: (await ctx.store.referenceQuery.listRuleVersions()).map((v) => summarize(v, current)) };
  });

  app.get('/api/v1/rules/versions/:version', {
    config: READ,
    schema: {
      tags: ['routing'], summary: 'One version of the list: its rules and its full validation report',
      params: Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Version number' }) }),
      response: { 200: Type.Object({ ...VersionSummaryDto.properties, report: ListReportDto, rules: Type.Array(RuleSchema) }), ...ERRORS },
    },
  }, async (req) => {
    const v = await ctx.store.referenceQuery.findRuleVersion(req.params.version);
    if (!v) throw notFound('rule version', req.params.version);
    const rules = await ctx.store.referenceQuery.listRulesOfVersion(v.version);
    return { ...summarize(v, ctx.ref.current().ruleVersion), report: v.report as ListReport, rules };
  });

  app.get('/api/v1/admission', {
    config: READ,
    schema: {
      tags: ['routing'], summary: 'The grid-member admission list (网格事项准入清单): matters grid members may be given',
      response: { 200: Type.Object({ entries: Type.Array(AdmissionEntrySchema) }), ...ERRORS },
    },
  }, async () => ({ entries: await ctx.store.referenceQuery.listAdmissionEntries() }));
}

/** The routing decision as a message key and parameters with names (the console renders it in the user's language). */
function explanationOf(
  outcome: string, p: { rule: string; unit: string; matter: string; region: string; maintained: boolean },
): { key: string; params: Record<string, string> } {
  switch (outcome) {
    case 'rule': return { key: 'routing.rule', params: { rule: p.rule, unit: p.unit } };
    case 'part_owner': return { key: p.maintained ? 'routing.part_maintainer' : 'routing.part_owner', params: { matter: p.matter, unit: p.unit } };
    default: return { key: 'routing.fallback', params: { matter: p.matter, unit: p.unit, region: p.region } };
  }
}
