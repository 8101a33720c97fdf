/** /api/v1/vitals — the city's vital signs (城市体征, issue 11 part 7): indicators with thresholds and trends. */
import { Type } from 'typebox';
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { caseVisibility } from '../../../domain/policy/visibility.ts';
import { perHour, vitalSigns } from '../../../domain/sensing/vital-signs.ts';
import { principalOf } from '../../middleware/auth.ts';
import { crowdReadings } from '../../../commands/scenario-query.ts';
import { ErrorResponse } from '../common.schema.ts';

const DAY = 86400_000;
const Vitals = Type.Object({
  at: Type.String({ format: 'date-time' }),
  indicators: Type.Array(Type.Object({
    key: Type.String(), zh: Type.String(), en: Type.String(),
    value: Type.Union([Type.Number(), Type.Null()]), unit: Type.String(),
    level: Type.String({ enum: ['normal', 'warn', 'alert'] }),
    thresholds: Type.Object({ warn: Type.Number(), alert: Type.Number(), higherIsWorse: Type.Boolean() }),
    trend: Type.Optional(Type.Array(Type.Number(), { description: 'Hourly values of the last 24 h, oldest first' })),
    breakdown: Type.Optional(Type.Array(Type.Object({ key: Type.String(), value: Type.Number() }))),
    areas: Type.Optional(Type.Array(Type.Object({
      id: Type.String(), name: Type.String(), count: Type.Number(), capacity: Type.Number(), load: Type.Number({ description: '% of capacity' }),
      tier: Type.String({ enum: ['none', 'yellow', 'orange', 'red'] }), at: Type.Number({ description: 'Epoch ms of the reading' }),
      lon: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'Where the counter stands (WGS84); null without a position' })),
      lat: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    }), { description: 'Crowd load by area, busiest first (crowd_load)' })),
  })),
  crowdTiers: Type.Object({ yellow: Type.Number(), orange: Type.Number(), red: Type.Number() }, { description: 'Crowd tiers, % of capacity (settings)' }),
});

export async function vitalRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/vitals', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['vitals'], summary: 'City vital signs: open alarms by scenario, waterlogging points over threshold, devices online, intake today vs the usual, crowd load by area',
      description: 'Each indicator carries its level (normal / warn / alert) against its thresholds (city settings: GET/PUT /api/v1/vitals/settings); counts follow the caller\'s visibility.',
      response: { 200: Vitals, 401: ErrorResponse, 403: ErrorResponse },
    },
  }, async (req) => {
    const p = principalOf(req);
    const regions = ctx.ref.current().regions;
    const v = caseVisibility(p, (id) => regions.get(id)?.parentId === null);
    const now = ctx.clock.now();
    const off = ctx.config.utcOffsetMinutes * 60_000;
    const dayStart = Math.floor((now + off) / DAY) * DAY - off;
    const windows = [1, 2, 3, 4, 5, 6, 7].map((k) => ({ from: dayStart - k * DAY, to: now - k * DAY }));
    const [open, water, devices, [today], usual, raised, crowd] = await Promise.all([
      ctx.store.alarms.openAlarmsByScenario(v),
      ctx.store.vitals.raisedDevicesOfScenario('waterlogging', v),
      ctx.store.vitals.deviceOnline(v),
      ctx.store.vitals.casesCreatedIn([{ from: dayStart, to: now + 1 }], v),
      ctx.store.vitals.casesCreatedIn(windows, v),
      ctx.store.alarms.alarmsRaisedSince(now - DAY, v),
      crowdReadings(ctx, v),
    ]);
    const settings = ctx.ref.current().vitalSettings;
    return {
      at: new Date(now).toISOString(),
      indicators: vitalSigns({ openAlarmsByScenario: open, waterloggingPoints: water, devices, intakeToday: today, intakeUsual: usual, alarmsPerHour: perHour(raised, now, 24), crowd }, settings),
      crowdTiers: settings.crowdTiers,
    };
  });
}
