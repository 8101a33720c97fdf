/**
 * Scenarios (issue 11 part 6; docs/issue-11/scenarios.md): the scenario console's overview, pack install, the
 * shop-sign registry, wind warnings with their extra inspections; and the vital-sign settings (part 7).
 */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { caseVisibility } from '../../../domain/policy/visibility.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { notFound } from '../../../domain/errors.ts';
import { scenarioOverview } from '../../../commands/scenario-query.ts';
import { installPack } from '../../../commands/scenario-pack-install.ts';
import { enterWindWarning, saveShopSign } from '../../../commands/shop-sign.ts';
import { replaceVitalSettings } from '../../../commands/vital-settings-replace.ts';
import type { ShopSignRow, SignInspectionRow, WindWarningRow } from '../../../storage/repositories/scenario.repository.ts';
import { maskName, maskPhone } from '../cases/case.presenter.ts';
import { principalOf } from '../../middleware/auth.ts';
import { IdParam } from '../common.schema.ts';
import {
  ERRORS, InspectionDto, InstallResult, ScenarioList, ShopSignBody, ShopSignDto, ShopSignList, VitalSettingsDto, WindWarningBody, WindWarningDto, WindWarningResult,
} from './scenario.schema.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** A sign as this caller may see it: the owner's name and phone masked without personal_data.read. */
const presentSign = (s: ShopSignRow, showPersonal: boolean) => ({
  id: s.id, name: s.name, ownerName: showPersonal ? s.owner_name : maskName(s.owner_name)!, ownerPhone: showPersonal ? s.owner_phone : maskPhone(s.owner_phone),
  address: s.address, lon: Number(s.lon), lat: Number(s.lat), gridId: s.grid_id, streetId: s.street_id,
  areaM2: s.area_m2 === null ? null : Number(s.area_m2), inspectEveryDays: Number(s.inspect_every_days),
  lastInspectedAt: iso(s.last_inspected_at === null ? null : Number(s.last_inspected_at)),
  nextDueAt: new Date(Number(s.last_inspected_at ?? s.created_at) + Number(s.inspect_every_days) * 86400_000).toISOString(), version: Number(s.version),
});
const presentWarning = (w: WindWarningRow) => ({
  id: Number(w.id), level: w.level, regionId: w.region_id, note: w.note, signs: Number(w.signs), createdBy: w.created_by_name, createdAt: iso(Number(w.created_at))!,
});
const presentInspection = (r: SignInspectionRow) => ({
  key: r.key, signId: r.sign_id, kind: r.kind, windWarningId: r.wind_warning_id === null ? null : Number(r.wind_warning_id),
  caseId: r.case_id === null ? null : Number(r.case_id), outcome: r.outcome, createdAt: iso(Number(r.created_at))!,
  state: r.state ?? null, closedAt: r.closed_at === null || r.closed_at === undefined ? null : iso(Number(r.closed_at))!,
});

export async function scenarioRoutes(app: App, ctx: AppContext): Promise<void> {
  const visibility = (req: Parameters<typeof principalOf>[0]) => {
    const regions = ctx.ref.current().regions;
    return caseVisibility(principalOf(req), (id) => regions.get(id)?.parentId === null);
  };

  app.get('/api/v1/scenarios', {
    config: { permission: 'case.read' },
    schema: { tags: ['scenarios'], summary: 'Scenario packs with their devices by state, open alarms and key readings', response: { 200: ScenarioList, ...ERRORS } },
  }, async (req) => ({ items: await scenarioOverview(ctx, visibility(req)) }));

  app.post('/api/v1/scenarios/:id/install', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: ['scenarios'], summary: 'Installs a scenario pack (idempotent: adds only the matters, device types and rules that are missing)',
      params: IdParam, response: { 200: InstallResult, ...ERRORS },
    },
  }, async (req) => installPack(ctx, req.params.id, principalOf(req).userId));

  app.get('/api/v1/shop-signs', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['scenarios'], summary: 'The shop-sign registry (店招店牌), by id; owners masked without personal_data.read',
      querystring: Type.Object({
        afterId: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        regionId: Type.Optional(Type.String({ maxLength: 64 })),
      }),
      response: { 200: ShopSignList, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const limit = req.query.limit ?? 100;
    const rows = await ctx.store.scenarios.listSigns(visibility(req), { limit, afterId: req.query.afterId, regionId: req.query.regionId });
    const show = hasPermission(p.roles, 'personal_data.read');
    return { items: rows.map((r) => presentSign(r, show)), next: rows.length === limit ? rows[rows.length - 1].id : null };
  });

  app.put('/api/v1/shop-signs/:id', {
    config: { permission: 'rule.manage' },
    schema: { tags: ['scenarios'], summary: 'Registers a shop sign, or replaces it (send its version)', params: IdParam, body: ShopSignBody, response: { 200: ShopSignDto, ...ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    const { version, ...body } = req.body;
    const row = await saveShopSign(ctx, req.params.id, body, version ?? null, p.userId);
    return presentSign(row, hasPermission(p.roles, 'personal_data.read'));
  });

  app.get('/api/v1/shop-signs/:id/inspections', {
    config: { permission: 'case.read' },
    schema: { tags: ['scenarios'], summary: 'Inspection tasks raised for a sign, newest first', params: IdParam, response: { 200: Type.Object({ items: Type.Array(InspectionDto) }), ...ERRORS } },
  }, async (req) => {
    const s = await ctx.store.scenarios.findSign(req.params.id);
    if (!s) throw notFound('shop sign', req.params.id);
    return { items: (await ctx.store.scenarios.inspectionsOf(s.id, 50)).map(presentInspection) };
  });

  app.get('/api/v1/wind-warnings', {
    config: { permission: 'case.read' },
    schema: { tags: ['scenarios'], summary: 'Wind warnings entered, newest first', response: { 200: Type.Object({ items: Type.Array(WindWarningDto) }), ...ERRORS } },
  }, async () => ({ items: (await ctx.store.scenarios.listWindWarnings(50)).map(presentWarning) }));

  app.post('/api/v1/wind-warnings', {
    config: { permission: 'case.create' },
    schema: {
      tags: ['scenarios'], summary: 'Enters a wind warning: every shop sign in the area gets an extra inspection (a case each)',
      body: WindWarningBody, response: { 200: WindWarningResult, ...ERRORS },
    },
  }, async (req) => {
    const p = principalOf(req);
    const r = await enterWindWarning(ctx, req.body, { userId: p.userId, name: p.name, roles: p.roles, unitIds: p.unitIds, regionIds: p.regionIds });
    const w = (await ctx.store.scenarios.listWindWarnings(50)).find((x) => Number(x.id) === r.warningId)!;
    return { warning: presentWarning(w), inspections: r.inspections.map((i) => ({ ...i, kind: 'wind', windWarningId: r.warningId })) };
  });

  app.get('/api/v1/vitals/settings', {
    config: { permission: 'case.read' },
    schema: { tags: ['vitals'], summary: 'Lines of the vital signs and the crowd tiers (settings row sensing_vital_settings)', response: { 200: VitalSettingsDto, ...ERRORS } },
  }, async () => ctx.ref.current().vitalSettings);

  app.put('/api/v1/vitals/settings', {
    config: { permission: 'rule.manage' },
    schema: { tags: ['vitals'], summary: 'Replaces the vital-sign lines and crowd tiers', body: VitalSettingsDto, response: { 200: VitalSettingsDto, ...ERRORS } },
  }, async (req) => replaceVitalSettings(ctx, req.body, principalOf(req).userId));
}
