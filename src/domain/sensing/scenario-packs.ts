/**
 * Scenario packs (issue 11 part 6; docs/issue-11/scenarios.md): city data that makes a sensing scenario work out of
 * the box — its device types, its default rules (each naming a GB/T 47678.5 matter code of the catalogue, or a local
 * matter the pack adds where the standard has none), their urgency, and the share of the demo city's simulated devices
 * it gets. Installing a pack (src/commands/scenario-pack-install.ts) adds only what is missing: re-installing never
 * changes a rule an admin edited. Pure data and one pure helper (crowd tiers).
 */
import type { DeviceType } from './types.ts';
import type { RuleDefinition } from './rule-types.ts';

export interface PackRule extends Omit<RuleDefinition, 'enabled' | 'note'> { id: string }
/** A city's own matter the pack needs because the standard has no such code (created only if the code is free). */
export interface PackMatter { code: string; name: string; classCode: string; className: string }

export interface ScenarioPack {
  id: string;
  zh: string;
  en: string;
  types: DeviceType[];
  rules: PackRule[];
  matters: PackMatter[];
  /** Relative share of the demo city's simulated devices. */
  demoWeight: number;
}

const m = (key: string, zh: string, en: string, unit: string, min: number, max: number, kind?: 'boolean') =>
  ({ key, zh, en, unit, min, max, ...(kind ? { kind } : {}) });
const thr = (measurement: string, op: '>' | '>=' | '<' | '<=', value: number, forSeconds = 0, hysteresis = 0) =>
  ({ kind: 'threshold' as const, measurement, op, value, forSeconds, hysteresis });

/** Crowd tiers (黄/橙/红) as % of an area's capacity; defaults of the vital-sign settings. */
export const CROWD_TIER_DEFAULTS = { yellow: 70, orange: 85, red: 100 } as const;
export type CrowdTier = 'none' | 'yellow' | 'orange' | 'red';
export const CROWD_TIER_LABELS: Record<CrowdTier, { zh: string; en: string }> = {
  none: { zh: '正常', en: 'Normal' }, yellow: { zh: '黄色预警', en: 'Yellow' }, orange: { zh: '橙色预警', en: 'Orange' }, red: { zh: '红色预警', en: 'Red' },
};

/** The tier of a load (% of capacity) against the lines. */
export function crowdTier(loadPct: number | null, t: { yellow: number; orange: number; red: number }): CrowdTier {
  if (loadPct === null || !Number.isFinite(loadPct)) return 'none';
  return loadPct >= t.red ? 'red' : loadPct >= t.orange ? 'orange' : loadPct >= t.yellow ? 'yellow' : 'none';
}

export const SCENARIO_PACKS: readonly ScenarioPack[] = [
  {
    id: 'crowd', zh: '大客流监测', en: 'Crowd flow', demoWeight: 1,
    matters: [{ code: '09090', name: '人群聚集', classCode: '09', className: '街面秩序类' }],
    types: [{
      id: 'crowd_counter', zh: '客流计数', en: 'Crowd counter', scenario: 'crowd', heartbeatSeconds: 120,
      measurements: [m('count', '人数', 'People', '人', 0, 200000), m('capacity', '承载量', 'Capacity', '人', 1, 200000), m('load', '负荷', 'Load', '%', 0, 1000)],
    }],
    rules: [
      { id: 'pack-crowd-yellow', name: '大客流黄色预警（负荷≥70%持续2分钟）', scope: { kind: 'type', id: 'crowd_counter' }, condition: thr('load', '>=', 70, 120, 5), matterCode: '09090', urgency: 'normal', suppressMinutes: 30 },
      { id: 'pack-crowd-orange', name: '大客流橙色预警（负荷≥85%）', scope: { kind: 'type', id: 'crowd_counter' }, condition: thr('load', '>=', 85, 60, 5), matterCode: '09090', urgency: 'urgent', suppressMinutes: 30 },
      { id: 'pack-crowd-red', name: '大客流红色预警（负荷≥100%）', scope: { kind: 'type', id: 'crowd_counter' }, condition: thr('load', '>=', 100, 0, 5), matterCode: '09090', urgency: 'very_urgent', suppressMinutes: 30 },
    ],
  },
  {
    id: 'old_building', zh: '老旧小区房屋安全', en: 'Old buildings', demoWeight: 4,
    matters: [{ code: '10091', name: '房屋安全隐患', classCode: '10', className: '其他事项类' }],
    types: [{
      id: 'building_tilt', zh: '房屋倾斜监测', en: 'Building tilt', scenario: 'old_building', heartbeatSeconds: 600,
      measurements: [m('tilt', '倾角', 'Tilt', '°', 0, 45), m('crack', '裂缝宽度', 'Crack width', 'mm', 0, 50)],
    }],
    rules: [
      { id: 'pack-building-tilt', name: '房屋倾斜超过2°持续10分钟', scope: { kind: 'type', id: 'building_tilt' }, condition: thr('tilt', '>', 2, 600, 0.3), matterCode: '10091', urgency: 'urgent', suppressMinutes: 720 },
      { id: 'pack-building-crack', name: '裂缝宽度超过3毫米', scope: { kind: 'type', id: 'building_tilt' }, condition: thr('crack', '>', 3, 0, 0.2), matterCode: '10091', urgency: 'normal', suppressMinutes: 1440 },
      { id: 'pack-building-crack-rate', name: '裂缝快速扩展（每分钟0.05毫米）', scope: { kind: 'type', id: 'building_tilt' }, condition: { kind: 'rate', measurement: 'crack', direction: 'rise', perMinute: 0.05, windowSeconds: 1800 }, matterCode: '10091', urgency: 'very_urgent', suppressMinutes: 720 },
    ],
  },
  {
    id: 'shop_sign', zh: '店招店牌', en: 'Shop signs', demoWeight: 2,
    matters: [],
    types: [{
      id: 'sign_tilt', zh: '店招倾斜监测', en: 'Shop-sign tilt', scenario: 'shop_sign', heartbeatSeconds: 900,
      measurements: [m('tilt', '倾角', 'Tilt', '°', 0, 90), m('vibration', '振动', 'Vibration', 'mm/s', 0, 500)],
    }],
    rules: [
      { id: 'pack-sign-tilt', name: '店招倾斜超过5°', scope: { kind: 'type', id: 'sign_tilt' }, condition: thr('tilt', '>', 5, 60, 1), matterCode: '03007', urgency: 'urgent', suppressMinutes: 720 },
    ],
  },
  {
    id: 'elevator', zh: '电梯安全', en: 'Elevators', demoWeight: 3,
    matters: [],
    types: [{
      id: 'elevator_monitor', zh: '电梯监测', en: 'Elevator monitor', scenario: 'elevator', heartbeatSeconds: 300,
      measurements: [m('trapped', '困人', 'Passenger trapped', '', 0, 1, 'boolean'), m('fault', '故障', 'Fault', '', 0, 1, 'boolean'), m('floor', '楼层', 'Floor', '', -10, 200)],
    }],
    rules: [
      { id: 'pack-elevator-trapped', name: '电梯困人', scope: { kind: 'type', id: 'elevator_monitor' }, condition: thr('trapped', '>=', 1), matterCode: '01076', urgency: 'very_urgent', suppressMinutes: 10 },
      { id: 'pack-elevator-fault', name: '电梯故障持续5分钟', scope: { kind: 'type', id: 'elevator_monitor' }, condition: thr('fault', '>=', 1, 300), matterCode: '01076', urgency: 'urgent', suppressMinutes: 60 },
    ],
  },
  {
    id: 'fire', zh: '消防安全', en: 'Fire safety', demoWeight: 4,
    matters: [],
    types: [
      {
        id: 'smoke_detector', zh: '烟感', en: 'Smoke detector', scenario: 'fire', heartbeatSeconds: 300,
        measurements: [m('smoke', '烟雾浓度', 'Smoke', 'ppm', 0, 10000), m('temperature', '温度', 'Temperature', '°C', -40, 150)],
      },
      {
        id: 'hydrant_pressure', zh: '消火栓水压', en: 'Hydrant pressure', scenario: 'fire', heartbeatSeconds: 900,
        measurements: [m('pressure', '水压', 'Pressure', 'MPa', 0, 2.5)],
      },
    ],
    rules: [
      { id: 'pack-fire-smoke', name: '烟雾浓度超标且温度上升', scope: { kind: 'type', id: 'smoke_detector' }, condition: { kind: 'all', conditions: [thr('smoke', '>=', 300), { kind: 'rate', measurement: 'temperature', direction: 'rise', perMinute: 2, windowSeconds: 300 }] }, matterCode: '01013', urgency: 'very_urgent', suppressMinutes: 30 },
      { id: 'pack-fire-smoke-high', name: '烟雾浓度超过800ppm', scope: { kind: 'type', id: 'smoke_detector' }, condition: thr('smoke', '>=', 800, 0, 100), matterCode: '01013', urgency: 'very_urgent', suppressMinutes: 30 },
      { id: 'pack-hydrant-low', name: '消火栓水压低于0.1MPa持续10分钟', scope: { kind: 'type', id: 'hydrant_pressure' }, condition: thr('pressure', '<', 0.1, 600, 0.02), matterCode: '01013', urgency: 'urgent', suppressMinutes: 720 },
    ],
  },
  {
    id: 'manhole', zh: '井盖监测', en: 'Manhole covers', demoWeight: 4,
    matters: [],
    types: [{
      id: 'manhole_cover', zh: '智能井盖', en: 'Manhole cover sensor', scenario: 'manhole', heartbeatSeconds: 900,
      measurements: [m('tilt', '倾角', 'Tilt', '°', 0, 180), m('displacement', '位移', 'Displacement', 'cm', 0, 200)],
    }],
    rules: [
      { id: 'pack-manhole-tilt', name: '井盖倾斜超过15°', scope: { kind: 'type', id: 'manhole_cover' }, condition: thr('tilt', '>', 15, 0, 3), matterCode: '01003', urgency: 'very_urgent', suppressMinutes: 60 },
      { id: 'pack-manhole-displaced', name: '井盖位移超过5厘米', scope: { kind: 'type', id: 'manhole_cover' }, condition: thr('displacement', '>', 5, 0, 1), matterCode: '01003', urgency: 'very_urgent', suppressMinutes: 60 },
    ],
  },
  {
    id: 'waterlogging', zh: '积水点位', en: 'Waterlogging points', demoWeight: 4,
    matters: [{ code: '10090', name: '道路积水', classCode: '10', className: '其他事项类' }],
    types: [{
      id: 'water_level', zh: '积水监测', en: 'Water level', scenario: 'waterlogging', heartbeatSeconds: 300,
      measurements: [m('waterLevel', '水位', 'Water level', 'cm', 0, 300), m('battery', '电量', 'Battery', '%', 0, 100)],
    }],
    rules: [
      { id: 'pack-water-20cm', name: '积水超过20厘米持续5分钟', scope: { kind: 'type', id: 'water_level' }, condition: thr('waterLevel', '>', 20, 300, 2), matterCode: '10090', urgency: 'urgent', suppressMinutes: 30 },
      { id: 'pack-water-rising', name: '积水快速上涨（每分钟2厘米）', scope: { kind: 'type', id: 'water_level' }, condition: { kind: 'rate', measurement: 'waterLevel', direction: 'rise', perMinute: 2, windowSeconds: 600 }, matterCode: '10090', urgency: 'urgent', suppressMinutes: 30 },
    ],
  },
  {
    id: 'elderly_water', zh: '独居老人用水监测', en: "Lone elderly residents' water meters", demoWeight: 2,
    matters: [{ code: '10092', name: '独居老人用水异常', classCode: '10', className: '其他事项类' }],
    types: [{
      id: 'water_meter', zh: '智能水表', en: 'Smart water meter', scenario: 'elderly_water', heartbeatSeconds: 3600,
      measurements: [m('total', '累计用水', 'Total used', 'm³', 0, 1e7), m('flow', '瞬时流量', 'Flow', 'L/min', 0, 200)],
    }],
    rules: [
      { id: 'pack-elderly-no-use-12h', name: '独居老人12小时无用水', scope: { kind: 'type', id: 'water_meter' }, condition: { kind: 'unchanged', measurement: 'total', forSeconds: 12 * 3600, tolerance: 0.001 }, matterCode: '10092', urgency: 'urgent', suppressMinutes: 60 },
    ],
  },
];

export const packOf = (id: string): ScenarioPack | undefined => SCENARIO_PACKS.find((p) => p.id === id);
export const ALL_PACK_TYPES: readonly DeviceType[] = SCENARIO_PACKS.flatMap((p) => p.types);
