/**
 * The shop-sign registry and its inspections (店招店牌, issue 11 part 6; docs/issue-11/scenarios.md).
 *
 * Decision: an inspection is a case filed through the intake contract (channel `proactive`: the centre itself is the
 * reporter, so the case is registered directly and routed by the responsibility list like any other), matter 03007
 * 牌匾标识, at the sign's position — not a patrol/verification task, because verification tasks belong to an existing
 * case and an inspection has none; as a case it gets a unit, a deadline, a history and the assessment's counting.
 * Each inspection row keeps its key (`<sign>:periodic:<due day>` or `<sign>:wind:<warning>`), which is also the
 * intake key: raising it twice (a job run twice, a retried request) files one case.
 */
import { DomainError, invalidAs, notFound } from '../domain/errors.ts';
import type { State } from '../domain/case/states.ts';
import { inspectionStateOfCase, parseShopSign, periodicKey, SIGN_ID_RE, WIND_LEVEL_ZH, WIND_LEVELS, windKey, type WindLevel } from '../domain/sensing/shop-signs.ts';
import { submit } from '../intake/contract.ts';
import type { AppContext } from '../runtime/context.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import type { ShopSignRow } from '../storage/repositories/scenario.repository.ts';
import { sensingActor } from './alarm-case.ts';

export const SIGN_MATTER = '03007';

export async function saveShopSign(ctx: AppContext, id: string, input: unknown, expectedVersion: number | null, actorId: string | null): Promise<ShopSignRow> {
  if (!SIGN_ID_RE.test(id)) throw invalidAs('id', { key: 'sensing.sign_id' }, 'must be letters, digits, _ and - (at most 60)');
  const s = parseShopSign(input);
  const at = ctx.ref.locate(s.lon, s.lat);
  if (!at) throw invalidAs('lon', { key: 'sensing.sign_outside_grid' }, 'the position is outside every grid of the city');
  const cur = await ctx.store.scenarios.findSign(id);
  if (cur && expectedVersion === null) throw new DomainError('CONFLICT', `version: sign ${id} exists at version ${cur.version}; send that version to replace it`, { field: 'version' });
  if (!cur && expectedVersion !== null) throw notFound('shop sign', id);
  const now = ctx.clock.now();
  const row = {
    id, name: s.name, owner_name: s.ownerName, owner_phone: s.ownerPhone, address: s.address, lon: s.lon, lat: s.lat,
    grid_id: at.gridId, community_id: at.communityId, street_id: at.streetId, district_id: at.districtId, area_m2: s.areaM2,
    inspect_every_days: s.inspectEveryDays, last_inspected_at: cur ? cur.last_inspected_at : null,
    created_at: cur ? Number(cur.created_at) : now, updated_at: now, version: (expectedVersion ?? 0) + 1,
  };
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.scenarios.saveSign(row, expectedVersion))) {
      throw new DomainError('CONFLICT', `version: sign ${id} changed meanwhile; reload and retry`, { field: 'version' });
    }
    await tx.outbox.append(configEvent('shop_sign.saved', { signId: id, version: row.version, actorId }, now));
  });
  return row;
}

export interface InspectionOutcome { key: string; signId: string; caseId: number | null; outcome: 'case' | 'unfiled' | 'existing' }

/** Files one inspection (idempotent by its key). The sign's last inspection is stamped when the task is raised. */
async function raiseInspection(ctx: AppContext, sign: ShopSignRow, key: string, kind: 'periodic' | 'wind', description: string,
  opts: { warningId?: number; urgency?: 'normal' | 'urgent'; actor: Actor & { name: string } }): Promise<InspectionOutcome> {
  const prior = await ctx.store.scenarios.findInspection(key);
  if (prior) return { key, signId: sign.id, caseId: prior.case_id === null ? null : Number(prior.case_id), outcome: 'existing' };
  const now = ctx.clock.now();
  let caseId: number | null = null;
  let caseState: string | null = null;
  let detail: string | null = null;
  try {
    const created = await submit(ctx, {
      channel: 'proactive', key: `shop-sign-${key}`, keyField: 'key',
      report: {
        matterCode: SIGN_MATTER, urgency: opts.urgency ?? 'normal', description: description.slice(0, 2000),
        location: { lon: Number(sign.lon), lat: Number(sign.lat) }, address: sign.address, externalId: key,
      },
    }, opts.actor);
    caseId = Number(created.row.id);
    caseState = created.row.state;
  } catch (err) {
    if (!(err instanceof DomainError) || err.code === 'CONFLICT') throw err;
    detail = err.message; // cannot be a case (matter missing from the catalogue …): recorded, not retried
  }
  await ctx.store.transaction(async (tx) => {
    await tx.scenarios.insertInspection({ key, sign_id: sign.id, kind, wind_warning_id: opts.warningId ?? null, case_id: caseId, outcome: caseId === null ? 'unfiled' : 'case', detail, created_at: now,
      // from then on the case's transitions move it (case-linked-tasks.ts); a replayed intake may find its case closed already
      state: caseState === null ? null : inspectionStateOfCase(caseState as State), closed_at: null });
    if (kind === 'periodic' && caseId !== null) await tx.scenarios.markInspected(sign.id, now);
  });
  return { key, signId: sign.id, caseId, outcome: caseId === null ? 'unfiled' : 'case' };
}

const signText = (s: ShopSignRow) => `${s.name}（${s.address}，责任人 ${s.owner_name}）`;

/** The periodic job: every sign whose inspection is due gets its task (at most `limit` per run). */
export async function raisePeriodicInspections(ctx: AppContext, limit = 200): Promise<InspectionOutcome[]> {
  const now = ctx.clock.now();
  const due = await ctx.store.scenarios.signsDue(now, limit);
  const actor = sensingActor(ctx);
  const out: InspectionOutcome[] = [];
  for (const s of due) {
    const dueAt = Number(s.last_inspected_at ?? s.created_at) + Number(s.inspect_every_days) * 86400_000;
    out.push(await raiseInspection(ctx, s, periodicKey(s.id, dueAt), 'periodic',
      `店招店牌定期巡查：${signText(s)}。检查牢固程度、锈蚀、松动、破损，每 ${s.inspect_every_days} 天一次。`, { actor }));
  }
  return out;
}

/**
 * An operator enters a wind warning for an area (a district, street or community; the city = every sign): every sign
 * there gets an extra inspection, urgent from orange up. Recorded with the operator; answers the tasks raised.
 */
export async function enterWindWarning(
  ctx: AppContext, input: { level: string; regionId: string; note?: string | null }, actor: Actor & { name: string },
): Promise<{ warningId: number; inspections: InspectionOutcome[] }> {
  if (!WIND_LEVELS.includes(input.level as WindLevel)) throw invalidAs('level', { key: 'field.one_of', params: { allowed: WIND_LEVELS.join(', ') } }, `must be one of ${WIND_LEVELS.join(', ')}`);
  const region = ctx.ref.current().regions.get(input.regionId);
  if (!region) throw invalidAs('regionId', { key: 'field.unknown_region_2', params: { regionId: String(input.regionId) } }, `unknown region "${input.regionId}"`);
  if (input.note && input.note.length > 500) throw invalidAs('note', { key: 'field.at_most_500_characters' }, 'at most 500 characters');
  const level = input.level as WindLevel;
  const now = ctx.clock.now();
  const signs = await ctx.store.scenarios.signsIn(region.parentId === null ? null : region.id);
  const warningId = await ctx.store.transaction(async (tx) => {
    const id = await tx.scenarios.insertWindWarning({
      level, region_id: region.id, note: input.note ?? null, signs: signs.length, created_by: actor.userId, created_by_name: actor.name, created_at: now,
    });
    await tx.outbox.append(configEvent('wind_warning.entered', { warningId: id, level, regionId: region.id, signs: signs.length, actorId: actor.userId }, now));
    return id;
  });
  const filer = sensingActor(ctx);
  const urgency = level === 'orange' || level === 'red' ? 'urgent' : 'normal';
  const inspections: InspectionOutcome[] = [];
  for (const s of signs) {
    inspections.push(await raiseInspection(ctx, s, windKey(s.id, warningId), 'wind',
      `大风${WIND_LEVEL_ZH[level]}预警（${region.name}）店招店牌加密巡查：${signText(s)}。${input.note ? `${input.note}。` : ''}检查固定件、松动、倾斜，必要时拆除或加固。`,
      { warningId, urgency, actor: filer }));
  }
  ctx.events.notify();
  return { warningId, inspections };
}
