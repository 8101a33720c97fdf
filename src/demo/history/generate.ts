/**
 * The demo city's generated history (issue 10 part 8): ~13 months of cases, day by day, deterministic (seeded
 * PRNG, one stream per day, so day d is the same whichever days were generated before — the seeder resumes by day).
 * Pure: everything the city knows (grids, routing, time limits on the work calendar) comes in as data and functions.
 *
 *   const h = planHistory(input);          // days, their expected counts, the spots
 *   for (let d = 0; d < h.days; d++) for (const c of h.day(d)) …   // c.row (case columns), c.events (history rows)
 */
import { Prng, hashString } from '../prng.ts';
import { dupCell } from '../../domain/duplicates/duplicates.ts';
import { indexTokens } from '../../domain/search/text-tokens.ts';
import { CHANNELS, MATTERS, WEEKDAY, isSlowUnit, personName, phoneOf, rainOf, staff, type MatterModel, type Spot } from './model.ts';
import { liveCase, type Deadline, type HistoryEvent, type LifeRow } from './lifecycle.ts';

const DAY = 86_400_000;

export interface HistoryGrid { id: string; communityId: string; streetId: string | null; districtId: string | null; areaClass: string | null; lon: number; lat: number }
export interface HistoryPlace { name: string; category: string; lon: number; lat: number; gridIndex: number }

export interface HistoryInput {
  seed?: number;
  /** The end: history covers the `months` months of whole days before the day of `now` (city time). */
  now: number;
  months?: number;
  /** About how many cases in all (default 200,000). */
  totalCases?: number;
  offsetMinutes: number;
  grids: readonly HistoryGrid[];
  /** Landmarks (菜市场, 学校 …) and road names of the demo city, for spots and addresses. */
  landmarks: readonly HistoryPlace[];
  roads: readonly string[];
  route: (matterCode: string, communityId: string) => { unitId: string; outcome: string; ruleId: string | null } | null;
  fallbackUnit: (communityId: string) => string;
  unitName: (unitId: string) => string;
  matterName: (code: string) => string;
  handleDeadline: (start: number, matterCode: string, urgency: string, areaClass: string | null, unitId: string) => Deadline;
  signDeadline: (start: number, matterCode: string, urgency: string, areaClass: string | null, unitId: string) => Deadline;
  platform?: (communityId: string, matterCode: string, urgency: string, unitId: string) => string | null;
  ruleVersion: number;
}

export interface HistoryCase { row: Record<string, unknown> & LifeRow; events: HistoryEvent[] }

export interface HistoryPlan {
  days: number;
  /** Local midnight (as epoch ms) of day 0. */
  start: number;
  /** Expected cases per day (before the day's own randomness), for progress and tests. */
  expected: readonly number[];
  spots: readonly Spot[];
  day(d: number): HistoryCase[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymdOf = (localMidnight: number, off: number) => {
  const x = new Date(localMidnight + off * 60_000);
  return `${x.getUTCFullYear()}${pad(x.getUTCMonth() + 1)}${pad(x.getUTCDate())}`;
};

export function planHistory(input: HistoryInput): HistoryPlan {
  const seed = input.seed ?? 2026;
  const off = input.offsetMinutes;
  const months = input.months ?? 13;
  const total = input.totalCases ?? 200_000;
  // day 0 = the same calendar day `months` months before today (city time); the last day is yesterday
  const localNow = new Date(input.now + off * 60_000);
  const todayStart = Date.UTC(localNow.getUTCFullYear(), localNow.getUTCMonth(), localNow.getUTCDate()) - off * 60_000;
  const first = Date.UTC(localNow.getUTCFullYear(), localNow.getUTCMonth() - months, localNow.getUTCDate()) - off * 60_000;
  const days = Math.round((todayStart - first) / DAY);
  const people = staff(seed);
  const spots = pickSpots(input, seed);
  const local = (d: number) => new Date(first + d * DAY + off * 60_000);
  const factor = (m: MatterModel, d: number, rain: number) => {
    const x = local(d);
    const dow = x.getUTCDay();
    return Math.max(0.0005, m.share * m.months[x.getUTCMonth()] * WEEKDAY[dow] * (dow === 0 || dow === 6 ? m.weekend : 1) * (1 + m.rain * rain));
  };
  const rains = Array.from({ length: days }, (_, d) => rainOf(seed, ymdOf(first + d * DAY, off), local(d).getUTCMonth()));
  const raw = Array.from({ length: days }, (_, d) => MATTERS.reduce((s, m) => s + factor(m, d, rains[d]), 0));
  const spotShare = 0.06; // about 6 % of cases come from recurring spots
  const scale = (total * (1 - spotShare)) / raw.reduce((a, b) => a + b, 0);
  const expected = raw.map((v) => v * scale);
  const spotScale = (total * spotShare) / Math.max(1, days * spots.length * 0.35);

  function day(d: number): HistoryCase[] {
    const r = new Prng(hashString(`history-${seed}-${d}`));
    const dayStart = first + d * DAY;
    const x = local(d);
    const month = x.getUTCMonth();
    const dow = x.getUTCDay();
    const weekend = dow === 0 || dow === 6;
    const rain = rains[d];
    const ymd = ymdOf(dayStart, off);
    const out: HistoryCase[] = [];
    let seq = 0;
    const n = Math.max(0, Math.round(expected[d] + Math.sqrt(expected[d]) * gauss(r)));
    const weights = MATTERS.map((m) => factor(m, d, rain));
    const sumW = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < n; i++) {
      let u = r.next() * sumW;
      let k = 0;
      while (u >= weights[k] && k < weights.length - 1) u -= weights[k++];
      const g = input.grids[r.int(0, input.grids.length - 1)];
      out.push(makeCase(r, MATTERS[k], g, g.lon + r.range(-0.0008, 0.0008), g.lat + r.range(-0.0008, 0.0008), null));
    }
    // recurring spots: markets fill with garbage at weekends, drains flood on heavy rain, barbecue streets in summer,
    // parking at school gates on school days
    for (const s of spots) {
      const rate = s.kind === 'market' ? (weekend ? 1.6 : 0.15)
        : s.kind === 'drain' ? (rain === 2 ? 2.5 : rain === 1 ? 0.25 : 0)
          : s.kind === 'barbecue' ? [0, 0, 0.05, 0.15, 0.4, 0.9, 1.3, 1.2, 0.6, 0.15, 0, 0][month] * (weekend ? 1.5 : 1)
            : weekend || month === 6 || month === 7 ? 0 : 0.35;
      const k = poisson(r, rate * spotScale);
      const m = MATTERS.find((mm) => mm.code === s.matterCode)!;
      for (let j = 0; j < k; j++) out.push(makeCase(r, m, input.grids[s.gridIndex], s.lon + r.range(-0.0002, 0.0002), s.lat + r.range(-0.0002, 0.0002), s));
    }
    out.sort((a, b) => Number(a.row.created_at) - Number(b.row.created_at));
    for (const c of out) c.row.case_no = `${ymd}9${String(++seq).padStart(5, '0')}`;
    return out;

    function makeCase(rr: Prng, m: MatterModel, g: HistoryGrid, lon: number, lat: number, spot: Spot | null): HistoryCase {
      // reports come mostly in the day: 07:00–22:00 local, a few at night (barbecue and noise in the evening)
      const evening = m.code === '06029' || m.code === '06028';
      const hour = evening ? rr.range(18, 24) : rr.next() < 0.92 ? rr.range(7, 22) : rr.range(0, 24);
      const createdAt = Math.round(dayStart + hour * 3_600_000);
      const channel = spot?.kind === 'drain' && rr.next() < 0.4 ? 'iot' : pickWeighted(rr, CHANNELS);
      const trusted = channel === 'patrol';
      const urgency = m.code === '01004' && rain === 2 ? 'urgent' : rr.next() < 0.04 ? 'urgent' : 'normal';
      const routed = input.route(m.code, g.communityId);
      const unitId = routed?.unitId ?? input.fallbackUnit(g.communityId);
      const citizen = ['hotline', 'app', 'open311'].includes(channel);
      const reporter = citizen ? { name: personName(rr), phone: phoneOf(rr) } : null;
      const key = `${seed}-${d}-${out.length}`;
      const life = liveCase(rr, {
        key, createdAt, now: input.now, channel, trusted, verifiable: citizen, needsCallback: citizen && reporter !== null,
        unitId, otherUnitId: input.fallbackUnit(g.communityId), unitName: input.unitName, slow: isSlowUnit(unitId),
        handleDeadline: (t, u) => input.handleDeadline(t, m.code, urgency, g.areaClass, u),
        signDeadline: (t, u) => input.signDeadline(t, m.code, urgency, g.areaClass, u),
        staff: people, reporter: trusted ? rr.pick(people.inspector) : citizen ? null : { id: 'hist-system', name: channel === 'iot' ? '物联感知设备' : '部门系统' },
      });
      const description = `${spot ? `${spot.name}附近，` : ''}${rr.pick(m.says)}`;
      const address = spot ? spot.name : input.roads.length ? `${rr.pick(input.roads)}${rr.int(1, 300)}号` : null;
      return {
        events: life.events,
        row: {
          case_no: '', channel, trusted: trusted ? 1 : 0, needs_callback: citizen ? 1 : 0, matter_kind: 'matter', matter_code: m.code, urgency,
          description, address, lon, lat, grid_id: g.id, community_id: g.communityId, street_id: g.streetId, district_id: g.districtId,
          area_class: g.areaClass, part_id: null, reporter_name: reporter?.name ?? null, reporter_phone: reporter?.phone ?? null,
          assisting_unit_ids: '[]', sub_unit_id: null, routed_unit_id: unitId, routed_assisting_unit_ids: '[]', routing_outcome: routed?.outcome ?? 'fallback',
          rule_id: routed?.ruleId ?? null, rule_version: input.ruleVersion, pending_request: null, created_by: 'demo-history', created_at: createdAt,
          dup_cell: dupCell(lon, lat), master_case_id: null, feedback_due_at: null, attributes: null, handle_paused_at: null,
          dispute_owner_region_id: null, assigned_user_id: null, assigned_user_name: null, feedback_level: null, idempotency_key: null, external_id: null,
          search_text: indexTokens(description, address, input.matterName(m.code)),
          platform_region_id: input.platform?.(g.communityId, m.code, urgency, unitId) ?? null,
          ...life.row,
        },
      };
    }
  }
  return { days, start: first, expected, spots, day };
}

function gauss(r: Prng): number {
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

function poisson(r: Prng, lambda: number): number {
  if (lambda <= 0) return 0;
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do { k++; p *= r.next(); } while (p > l && k < 50);
  return k - 1;
}

function pickWeighted(r: Prng, items: readonly [string, number][]): string {
  let u = r.next();
  for (const [v, w] of items) { if (u < w) return v; u -= w; }
  return items[items.length - 1][0];
}

/** Markets, low-lying drains, barbecue streets and school gates: fixed places where the same problem comes back. */
function pickSpots(input: HistoryInput, seed: number): Spot[] {
  const r = new Prng(hashString(`spots-${seed}`));
  const spots: Spot[] = [];
  const byCat = (c: string) => input.landmarks.filter((l) => l.category === c);
  for (const m of byCat('菜市场').slice(0, 8)) spots.push({ kind: 'market', name: `${m.name}`, matterCode: '06010', lon: m.lon, lat: m.lat, gridIndex: m.gridIndex });
  for (const s of byCat('学校').slice(0, 5)) spots.push({ kind: 'school', name: `${s.name}校门口`, matterCode: '09009', lon: s.lon, lat: s.lat, gridIndex: s.gridIndex });
  const roads = input.roads.length ? input.roads : ['无名路'];
  for (let i = 0; i < 8; i++) {
    const gi = r.int(0, input.grids.length - 1);
    const g = input.grids[gi];
    spots.push({ kind: 'drain', name: `${r.pick(roads)}低洼路段${i + 1}号雨水口`, matterCode: '01004', lon: g.lon, lat: g.lat, gridIndex: gi });
  }
  for (let i = 0; i < 4; i++) {
    const gi = r.int(0, input.grids.length - 1);
    const g = input.grids[gi];
    spots.push({ kind: 'barbecue', name: `${r.pick(roads)}夜宵街`, matterCode: '06029', lon: g.lon, lat: g.lat, gridIndex: gi });
  }
  return spots;
}
