/**
 * The coordination indicators of a period (src/domain/assessment/coordination.ts): per unit, its assisting tasks
 * (联勤联动) and its answers to summons (吹哨报到); per street or district platform, the transfers it received from
 * other levels and refused. Rows are cut by the same visibility policy as the case indicators (rowScope).
 */
import type { AppContext } from '../runtime/context.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { invalidAs } from '../domain/errors.ts';
import { COORDINATION_DEFS, coordinationGroups, levelCoordination, parsePeriod, periodInstants, unitCoordination } from '../domain/assessment/index.ts';
import { periodDto, rowScope } from './assessment-query.ts';

const DIMS = ['unit', 'street', 'district'] as const;
type CoordinationDim = (typeof DIMS)[number];

export async function coordinationTable(ctx: AppContext, actor: Actor, q: { dim?: unknown; period?: unknown; value?: unknown; from?: unknown; to?: unknown }) {
  const raw = q.dim ?? 'unit';
  if (typeof raw !== 'string' || !(DIMS as readonly string[]).includes(raw)) {
    throw invalidAs('dim', { key: 'assessment.coordination_dim', params: { raw: String(raw) } }, `协同指标按 unit、street 或 district 查看 / coordination indicators are by unit, street or district, got "${String(raw)}"`);
  }
  const dim = raw as CoordinationDim;
  const period = parsePeriod(q);
  const { from, to } = periodInstants(period, ctx.config.utcOffsetMinutes);
  const visible = rowScope(ctx, actor);
  const ref = ctx.ref.current();
  const groups = new Set(coordinationGroups(dim));
  let rows: { key: string; name: string; values: Record<string, number | null> }[];
  if (dim === 'unit') {
    const [assists, summons] = await Promise.all([
      ctx.store.coordination.assistSums(from, to), ctx.store.coordination.summonsSums(from, to, ctx.clock.now()),
    ]);
    const keys = new Set([...assists.keys(), ...summons.keys()]);
    for (const u of ref.units.values()) if (u.active) keys.add(u.id);
    rows = [...keys].filter((k) => visible('unit', k))
      .map((k) => ({ key: k, name: ref.units.get(k)?.name ?? k, values: unitCoordination(assists.get(k), summons.get(k)) }));
  } else {
    const transfers = await ctx.store.coordination.transferSums(from, to);
    rows = [...ref.regions.values()].filter((r) => r.level === dim && visible(dim, r.id))
      .map((r) => ({ key: r.id, name: r.name, values: levelCoordination(transfers.get(r.id)) }));
  }
  rows.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return { dim, period: periodDto(period), rows, definitions: COORDINATION_DEFS.filter((d) => groups.has(d.group)) };
}
