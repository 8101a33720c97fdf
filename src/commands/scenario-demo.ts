/**
 * The demo city's scenario data (issue 11 part 6): every scenario pack installed and a registry of shop signs spread
 * over the grids (a tenth of them due for inspection at once, so the periodic job has work to show).
 */
import type { AppContext } from '../runtime/context.ts';
import type { ShopSignTable } from '../storage/scenario.schema.ts';
import { installAllPacks } from './scenario-pack-install.ts';

const SHOPS = ['好又多超市', '老张面馆', '鑫源五金', '美佳美发', '惠民药房', '家家乐便利店', '阳光眼镜', '金色童年书店', '福满楼酒家', '新概念服饰', '诚信通讯', '百味烘焙'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];

export async function seedDemoScenarios(ctx: AppContext, signs = 240): Promise<{ rules: number; signs: number }> {
  const packs = await installAllPacks(ctx, null);
  const grids = [...ctx.ref.current().grids.values()].filter((g) => g.point);
  const now = ctx.clock.now();
  const rows: ShopSignTable[] = [];
  for (let i = 0; i < signs && grids.length; i++) {
    const g = grids[(i * 104729) % grids.length];
    const at = ctx.ref.locate(g.point![0], g.point![1]);
    const shop = SHOPS[i % SHOPS.length];
    rows.push({
      id: `sign-${String(i + 1).padStart(5, '0')}`, name: `${shop}店招`, owner_name: `${SURNAMES[i % SURNAMES.length]}${i % 3 ? '先生' : '女士'}（${shop}）`,
      owner_phone: `139${String(10000000 + ((i * 7919) % 89999999)).padStart(8, '0')}`, address: `${g.name}临街 ${1 + (i % 199)} 号`,
      lon: g.point![0], lat: g.point![1], grid_id: at?.gridId ?? g.id, community_id: at?.communityId ?? g.communityId,
      street_id: at?.streetId ?? null, district_id: at?.districtId ?? null, area_m2: 2 + (i % 12),
      inspect_every_days: 90, last_inspected_at: now - ((i * 37) % 99) * 86400_000, created_at: now - 400 * 86400_000, updated_at: now, version: 1,
    });
  }
  await ctx.store.scenarios.insertSigns(rows);
  return { rules: packs.reduce((s, p) => s + p.rules.length, 0), signs: rows.length };
}
