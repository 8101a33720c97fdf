/**
 * The demo city: on an empty store, `npm start` seeds a generated district (our own deterministic geometry on
 * real coordinates), its units, a full responsibility list, time limits, the current calendar, parts, a
 * gazetteer, and one account per role whose passwords are printed once and written to
 * DATA_DIR/demo-credentials.txt (mode 0600).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemoCity, summarizeDemoCity } from '../demo/index.ts';
import { seedDemoAttributes } from '../demo/attributes.ts';
import { buildCatalog, type CatalogJson } from '../domain/catalog/catalog.ts';
import { bboxOf, pointOnSurface } from '../domain/grid/index.ts';
import { parseCalendarImport, defaultWorkPeriods } from '../domain/deadline/index.ts';
import { validateList } from '../domain/routing/index.ts';
import type { Role } from '../domain/policy/permissions.ts';
import type { AppContext } from '../runtime/context.ts';
import { randomToken } from '../security/tokens.ts';
import { toJson } from '../storage/codec.ts';
import type { Repositories } from '../storage/store.ts';
import { createUser } from './user-create.ts';
import { DEFAULT_STAGE_LIMITS } from './case-clocks.ts';

export const RESOURCES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../resources');
export const readResource = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(RESOURCES, name), 'utf8')) as T;

/** The catalog (GB/T 47678.5) into matter_types; idempotent. */
export async function seedCatalog(tx: Repositories, now: number): Promise<number> {
  const defs = buildCatalog(readResource<CatalogJson>('catalog-gbt47678-5.json'));
  await tx.seed.replaceStandardCatalog(defs.map((d) => ({
    kind: d.kind, code: d.code, name: d.name, class_code: d.classCode, class_name: d.className,
    registration_condition: d.registrationCondition, closure_condition: d.closureCondition, local: 0, created_at: now,
  })));
  return defs.length;
}

export interface DemoAccount { username: string; password: string; role: Role; unitId?: string; regionId?: string }

export async function seedDemo(ctx: AppContext, opts: { print?: boolean; progress?: (msg: string) => void } = {}) {
  const say = opts.progress ?? (() => {});
  const t0 = Date.now();
  const now = ctx.clock.now();
  const city = generateDemoCity({ catalog: readResource('catalog-gbt47678-5.json'), matterDefaults: readResource('matter-defaults.json') });
  say(`generated demo city in ${Date.now() - t0} ms: ${JSON.stringify(summarizeDemoCity(city))}`);
  const depth = { city: 0, district: 1, street: 2, community: 3 } as const;
  await ctx.store.transaction(async (tx) => {
    say('catalog…');
    await seedCatalog(tx, now);
    say('regions, units, grids…');
    await tx.seed.insertRows('regions', city.regions.map((r) => ({
      id: r.id, code: r.code, name: r.name, level: r.level, parent_id: r.parentId, depth: depth[r.level],
      geometry: r.geometry ? toJson(r.geometry) : null, area_class: r.areaClass, fallback_unit_id: city.fallbackUnits[r.id] ?? null, created_at: now,
    })));
    await tx.seed.insertRows('units', city.units.map((u) => ({
      id: u.id, code: u.code, name: u.name, kind: u.kind, parent_id: u.parentId, region_id: u.regionId, active: 1, created_at: now,
    })));
    await tx.seed.insertRows('grids', city.grids.map((g) => {
      const [minLon, minLat, maxLon, maxLat] = bboxOf(g.geometry as never);
      return {
        id: g.id, code: g.code, name: g.name, kind: g.kind, community_id: g.communityId, geometry: toJson(g.geometry),
        area_m2: g.areaM2, area_class: g.areaClass, min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat, created_at: now,
      };
    }), 200);
    say('parts, gazetteer…');
    await tx.seed.insertRows('parts', city.parts.map((p) => ({
      id: p.id, part_code: p.partCode, name: p.name, lon: p.lon, lat: p.lat, grid_id: p.gridId, owner_unit_id: p.ownerUnitId,
      maintainer_unit_id: p.maintainerUnitId, state: p.state, created_at: now,
    })));
    await tx.seed.insertRows('places', city.places.map((pl) => {
      const pt = pl.geometry.type === 'Point' ? pl.geometry.coordinates as number[]
        : pl.geometry.type === 'Polygon' ? pointOnSurface(pl.geometry as never) : (pl.geometry.coordinates as number[][])[0];
      return {
        kind: pl.kind, name: pl.name, community_id: pl.communityId, address: pl.address ?? null, lon: pt[0], lat: pt[1],
        geometry: toJson(pl.geometry), details: toJson({ houseNumbers: pl.houseNumbers ?? [], propertyUnitId: pl.propertyUnitId, category: pl.category }),
      };
    }), 100);
    say('time limits, admission list, calendar…');
    await tx.seed.insertRows('time_limits', city.timeLimits.map((t) => ({
      matter_code: t.matterCode, stage: 'handle', urgency: t.urgency, area_class: t.areaClass ?? '', amount: t.limit.amount,
      unit: t.limit.unit, basis: t.basis,
    })));
    // Stage limits for every matter ('*' rows: dispatch, sign, verify, check), editable like the per-matter rows.
    await tx.seed.insertRows('time_limits', Object.entries(DEFAULT_STAGE_LIMITS).filter(([stage]) => stage !== 'handle')
      .flatMap(([stage, byUrgency]) => Object.entries(byUrgency).map(([urgency, limit]) => ({
        matter_code: '*', stage, urgency, area_class: '', amount: limit.amount, unit: limit.unit,
        basis: stage === 'dispatch' ? '立案派遣时限：紧急 ≤ 10 分钟，一般 ≤ 30 分钟（太原）' : '默认环节时限 (documented default)',
      }))));
    await tx.seed.insertRows('admission_list', city.admission.map((a) => ({ matter_code: a.matterCode ?? null, matter_class: a.matterClass ?? null })));
    const calendar = parseCalendarImport(readResource('calendar-cn-2026.json'));
    await tx.admin.replaceCalendarYear(calendar.year, calendar);
    await tx.admin.writeCalendarSetting('weekend_days', calendar.weekendDays);
    await tx.admin.writeCalendarSetting('work_periods', defaultWorkPeriods);
    say('responsibility list…');
    const matterCodes = await tx.seed.matterCodes();
    const report = validateList(
      city.rules, city.regions.map((r) => ({ id: r.id, parentId: r.parentId, level: r.level })), matterCodes,
      city.fallbackUnits, new Set(city.units.map((u) => u.id)),
    );
    if (!report.ok) throw new Error(`demo responsibility list is invalid: ${report.errors[0].message}`);
    await tx.admin.insertRuleVersion(city.rules, report, { by: null, note: '演示城市初始清单 (demo city initial list)', at: now });
    await tx.hotline.seedHotlineKnowledgeBase(now);
    await seedDemoAttributes(tx, now);
    await tx.settings.bumpReferenceVersion();
  });
  await ctx.ref.load();
  say('demo accounts…');
  const accounts = await seedDemoAccounts(ctx, city);
  const file = path.join(ctx.config.dataDir, 'demo-credentials.txt');
  fs.mkdirSync(ctx.config.dataDir, { recursive: true });
  fs.writeFileSync(file, [
    '# CityOps demo accounts (演示账号). Change or delete them before real use.',
    ...accounts.map((a) => `${a.role.padEnd(14)} ${a.username.padEnd(18)} ${a.password}${a.unitId ? `  unit=${a.unitId}` : ''}`),
    '',
  ].join('\n'), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  if (opts.print) {
    console.log('\nDemo accounts (演示账号) — shown once, also in ' + file + ':');
    for (const a of accounts) console.log(`  ${a.role.padEnd(14)} ${a.username.padEnd(18)} ${a.password}`);
    console.log('');
  }
  return { city: summarizeDemoCity(city), accounts, ms: Date.now() - t0 };
}

async function seedDemoAccounts(ctx: AppContext, city: ReturnType<typeof generateDemoCity>): Promise<DemoAccount[]> {
  const cityRegion = city.regions.find((r) => r.level === 'city')!.id;
  const ref = ctx.ref.current();
  // The unit handler and leader belong to the unit that handles exposed garbage (06010) in the demo's first community,
  // so the demo's main flow (report → dispatch → handle) works out of the box.
  const community = city.regions.find((r) => r.level === 'community')!;
  const routed = ref.routing.route({ matterCode: '06010', regionId: community.id });
  const street = city.regions.find((r) => r.level === 'street')!;
  const roles: [Role, { unitId?: string; regionId?: string }][] = [
    ['operator', { regionId: cityRegion }], ['shift_leader', { regionId: cityRegion }], ['dispatcher', { regionId: cityRegion }],
    ['inspector', { regionId: cityRegion }], ['grid_member', { regionId: street.id }], ['unit_handler', { unitId: routed.unitId }],
    ['unit_leader', { unitId: routed.unitId }], ['centre_leader', { regionId: cityRegion }], ['admin', { regionId: cityRegion }],
  ];
  // Display names as people would see them in the console and in case histories.
  const DEMO_NAMES: Record<string, string> = {
    operator: '演示·受理员', shift_leader: '演示·值班长', dispatcher: '演示·派遣员', inspector: '演示·监督员', grid_member: '演示·网格员',
    unit_handler: '演示·处置人员', unit_leader: '演示·单位负责人', centre_leader: '演示·中心领导', admin: '演示·管理员',
  };
  const out: DemoAccount[] = [];
  for (const [role, scope] of roles) {
    const username = `demo-${role.replace('_', '-')}`;
    const password = randomToken(12);
    await createUser(ctx, {
      username, password, displayName: DEMO_NAMES[role] ?? `演示·${role}`, roles: [role],
      unitIds: scope.unitId ? [scope.unitId] : [], regionIds: scope.regionId ? [scope.regionId] : [],
    }, null);
    out.push({ username, password, role, ...scope });
  }
  // Levels of platform (issue 9): coordinators of the first street's platform (街镇) and of the district's (区), beside the city's.
  const district = city.regions.find((r) => r.level === 'district')!;
  for (const [username, displayName, regionId] of [
    ['demo-street-dispatcher', '演示·街镇派遣员', community.parentId!], ['demo-district-dispatcher', '演示·区派遣员', district.id],
  ]) {
    const password = randomToken(12);
    await createUser(ctx, { username, password, displayName, roles: ['dispatcher'], unitIds: [], regionIds: [regionId] }, null);
    out.push({ username, password, role: 'dispatcher', regionId });
  }
  return out;
}

export async function seedDemoIfEmpty(ctx: AppContext, opts: { print?: boolean } = {}) {
  if (!(await ctx.store.seed.isEmpty())) return null;
  console.log('CityOps: empty store — seeding the demo city (opt out with --no-demo)…');
  const r = await seedDemo(ctx, { print: opts.print, progress: (m) => console.log(`  · ${m}`) });
  // The generated history (issue 10 part 8) follows in the background once the server listens (src/cli/serve.ts).
  const { markDemoHistoryPending } = await import('./demo-history.ts');
  await markDemoHistoryPending(ctx, ctx.config.demoHistoryCases || undefined);
  console.log(`CityOps: demo city ready in ${r.ms} ms`);
  return r;
}
