/**
 * Bulk-loads N open cases (and one history row each) straight into the store, for scale benchmarks: spread over
 * the demo city's grids, created over the past `spanDays` days (default a year), deadlines spread over the next 30
 * days so a sweep tick finds only what is due. Each case records its duplicate-check cell (`dup_cell`), as a case
 * created with the check on (the default) does, so the check's index holds every stored case.
 * SQLite: one prepared statement in big transactions; PostgreSQL: INSERT … SELECT unnest(…).
 */
import { raw } from './raw.ts';
import { sql } from 'kysely';
import type { AppContext } from '../../src/runtime/context.ts';
import { pointOnSurface } from '../../src/domain/grid/index.ts';
import { localYmd } from '../../src/domain/time-zone.ts';
import { dupCell } from '../../src/domain/duplicates/duplicates.ts';
import { indexTokens } from '../../src/domain/search/text-tokens.ts';

/**
 * What callers say, so that the search index meets real variety: a complaint, a detail and a time, combined by the
 * case's number (1,000,000 cases get 40 × 25 × 12 different texts), plus a door number on a road of the demo city.
 */
export const SAYINGS = [
  '小区门口井盖坏了', '路边垃圾堆积无人清理', '楼道里有人乱堆杂物', '路灯不亮', '下水道堵塞污水外溢', '机动车乱停放堵住消防通道',
  '夜间施工噪音扰民', '共享单车乱停放', '占道经营摆摊', '广告牌松动有坠落危险', '行道树倒伏', '绿化带被毁', '人行道破损',
  '窨井盖缺失', '垃圾桶满溢', '餐饮油烟扰民', '违章搭建', '道路积水', '公厕无人保洁', '河道漂浮垃圾', '外墙瓷砖脱落',
  '电动车楼道充电', '非法小广告', '渣土车抛洒', '工地扬尘', '宠物粪便无人清理', '消防栓漏水', '红绿灯故障', '路面塌陷',
  '店外经营', '流浪犬伤人隐患', '空调外机滴水', '高空抛物', '地下车库渗水', '电梯困人', '自来水管爆裂', '燃气味道很重',
  '路名牌损坏', '公交站亭破损', '沿街晾晒',
];
const DETAILS = ['已经好几天了', '影响居民出行', '老人孩子很危险', '多次反映没人管', '希望尽快处理', '晚上特别严重', '周末更明显',
  '附近商户都有意见', '雨天更严重', '请派人来看看', '存在安全隐患', '影响市容', '居民意见很大', '早高峰最严重', '物业不管',
  '已拍照', '不知道该找谁', '上次处理后又出现', '就在学校旁边', '靠近菜市场', '小区东门', '小区北门', '十字路口', '公交站旁', '河边'];
const TIMES = ['今天早上', '昨天晚上', '这几天', '上周起', '刚才', '每天傍晚', '凌晨', '中午', '周末', '最近一个月', '前天', '一直'];

const COLS = [
  'case_no', 'state', 'channel', 'trusted', 'needs_callback', 'matter_kind', 'matter_code', 'urgency', 'description', 'address', 'lon', 'lat',
  'grid_id', 'community_id', 'street_id', 'district_id', 'area_class', 'assisting_unit_ids', 'assigned_unit_id', 'routed_unit_id',
  'routing_outcome', 'rule_id', 'rule_version', 'dispatched_by', 'dispatched_at', 'handle_limit_amount', 'handle_limit_unit',
  'handle_started_at', 'handle_warn_at', 'handle_due_at', 'alert_level', 'next_alert_at', 'created_by', 'created_at', 'updated_at', 'dup_cell',
  'search_text',
] as const;
const TEXT = new Set(['case_no', 'state', 'channel', 'matter_kind', 'matter_code', 'urgency', 'description', 'address', 'grid_id', 'community_id',
  'street_id', 'district_id', 'area_class', 'assisting_unit_ids', 'assigned_unit_id', 'routed_unit_id', 'routing_outcome', 'rule_id',
  'dispatched_by', 'handle_limit_unit', 'alert_level', 'created_by', 'dup_cell', 'search_text']);
const FLOAT = new Set(['lon', 'lat', 'handle_limit_amount']);

export async function bulkSeedCases(ctx: AppContext, n: number, now: number, say: (m: string) => void, spanDays = 365): Promise<void> {
  const ref = ctx.ref.current();
  const grids = await raw(ctx).db.selectFrom('grids').select(['id', 'geometry', 'community_id', 'area_class']).execute();
  const matters = ['06010', '06012', '09009', '06036', '07001', '06013', '09006', '01001'];
  const roads = (await raw(ctx).db.selectFrom('places').select('name').where('kind', '=', 'road').orderBy('id').execute()).map((r) => r.name);
  const prep = grids.map((g) => {
    const [lon, lat] = pointOnSurface(JSON.parse(g.geometry));
    const loc = ctx.ref.locate(lon, lat)!;
    const routes = matters.map((m) => ref.routing.route({ matterCode: m, regionId: g.community_id }));
    return { g, lon, lat, loc, routes, cell: dupCell(lon, lat) };
  });
  const seqStart = 1;
  const row = (i: number): unknown[] => {
    const p = prep[i % prep.length];
    const mi = (i * 7) % matters.length;
    const r = p.routes[mi];
    const span = spanDays * 86400_000;
    const created = now - span + Math.floor((i / n) * span);
    const due = now + 60_000 + ((i * 2654435761) % (30 * 86400_000)); // spread over the next 30 days
    const description = `${TIMES[i % TIMES.length]}${SAYINGS[Math.floor(i / 7) % SAYINGS.length]}，${DETAILS[Math.floor(i / 3) % DETAILS.length]}`;
    const address = roads.length ? `${roads[i % roads.length]}${(i % 300) + 1}号` : null;
    return [
      `${localYmd(created, 480)}${String(seqStart + i).padStart(7, '0')}`, i % 5 === 0 ? 'DISPATCHED' : 'IN_PROGRESS', 'hotline', 0, 1, 'matter',
      matters[mi], 'normal', description, address, p.lon, p.lat, p.g.id, p.loc.communityId, p.loc.streetId, p.loc.districtId,
      p.loc.areaClass, '[]', r.unitId, r.unitId, r.outcome, r.ruleId, ref.ruleVersion, 'bench', created + 600_000, 3, 'work_days',
      created + 600_000, due - 3600_000, due, 'normal', due - 3600_000, 'bench', created, created, p.cell,
      indexTokens(description, address, ref.matters.get(matters[mi])?.name),
    ];
  };
  const batch = 20_000;
  const t0 = Date.now();
  if (raw(ctx).dialect === 'sqlite') {
    const db = raw(ctx).sqlite!;
    const ins = db.prepare(`INSERT INTO cases (${COLS.join(',')}) VALUES (${COLS.map(() => '?').join(',')})`);
    const hist = db.prepare(`INSERT INTO case_history (case_id, action, from_state, to_state, actor_id, actor_name, at, reason, details, attachment_ids) VALUES (?, 'report', NULL, 'REPORTED', 'bench', 'bench', ?, NULL, '{}', '[]')`);
    for (let s = 0; s < n; s += batch) {
      db.transaction(() => {
        for (let i = s; i < Math.min(n, s + batch); i++) {
          const v = row(i);
          const id = ins.run(...(v as never[])).lastInsertRowid;
          hist.run(id, v[COLS.indexOf('created_at')]);
        }
      })();
      say(`seeded ${Math.min(n, s + batch).toLocaleString()} / ${n.toLocaleString()} cases (${Math.round(Math.min(n, s + batch) / ((Date.now() - t0) / 1000)).toLocaleString()}/s)`);
    }
    db.prepare(`INSERT INTO counters (key, value) VALUES ('case_no', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(seqStart + n);
    db.exec('ANALYZE');
  } else {
    for (let s = 0; s < n; s += batch) {
      const rows = Array.from({ length: Math.min(n, s + batch) - s }, (_, k) => row(s + k));
      const cols = COLS.map((c, ci) => rows.map((r) => r[ci]));
      const casts = COLS.map((c) => (TEXT.has(c) ? 'text[]' : FLOAT.has(c) ? 'float8[]' : 'int8[]'));
      const params = cols.map((col, ci) => sql`${col}::${sql.raw(casts[ci])}`);
      await sql`WITH ins AS (INSERT INTO cases (${sql.raw(COLS.join(','))}) SELECT * FROM unnest(${sql.join(params)}) RETURNING id, created_at)
        INSERT INTO case_history (case_id, action, from_state, to_state, actor_id, actor_name, at, reason, details, attachment_ids)
        SELECT id, 'report', NULL, 'REPORTED', 'bench', 'bench', created_at, NULL, '{}', '[]' FROM ins`.execute(raw(ctx).db);
      say(`seeded ${Math.min(n, s + batch).toLocaleString()} / ${n.toLocaleString()} cases (${Math.round(Math.min(n, s + batch) / ((Date.now() - t0) / 1000)).toLocaleString()}/s)`);
    }
    await sql`SELECT setval('case_no_seq', ${seqStart + n})`.execute(raw(ctx).db);
    await sql`ANALYZE`.execute(raw(ctx).db);
  }
}
