/**
 * reportToSummons (报到): a summoned department reports, on site (the phone's position, checked against the meeting
 * place and the city's check-in radius) or online. A report after the limit is accepted and marked late. One
 * transaction: the department's row (a conditional update: one report per department), a timeline row and a
 * `summons.reported` event (userIds: the one who blew the whistle).
 */
import { DomainError } from '../domain/errors.ts';
import type { Actor } from '../domain/policy/scope.ts';
import { decideReport } from '../domain/summons/rules.ts';
import type { GeoPoint, MeetingMode } from '../domain/summons/types.ts';
import type { AppContext } from '../runtime/context.ts';
import type { SummonsRow } from '../storage/repositories/summons.repository.ts';
import { departmentViewOf, loadVisibleSummons, summonsEvent, summonsViewOf, withIssuer } from './summons-common.ts';

export interface ReportInput { unitId?: string; mode: MeetingMode; position?: GeoPoint & { accuracy?: number }; note?: string }

export async function reportToSummons(ctx: AppContext, summonsId: number, input: ReportInput, actor: Actor & { name?: string }): Promise<SummonsRow> {
  const now = ctx.clock.now();
  const row = await ctx.store.transaction(async (tx) => {
    const { row: s, units } = await loadVisibleSummons(tx, ctx.ref, actor, summonsId, { forUpdate: true });
    // Without a unitId, the caller's one summoned unit that is still to report.
    const unitId = input.unitId ?? units.find((u) => u.state === 'summoned' && actor.unitIds.includes(u.unit_id))?.unit_id
      ?? units.find((u) => actor.unitIds.includes(u.unit_id))?.unit_id ?? '';
    const dept = units.find((u) => u.unit_id === unitId);
    const d = decideReport(summonsViewOf(s, ctx.ref), dept && departmentViewOf(dept), actor, { unitId, mode: input.mode, position: input.position }, now,
      ctx.ref.current().summons, (p) => ctx.ref.locate(p.lon, p.lat) !== null);
    const ok = await tx.summons.recordReport(Number(s.id), unitId, {
      reported_at: now, reported_by: actor.userId, reported_by_name: actor.name ?? null, report_mode: input.mode,
      report_lon: input.mode === 'on_site' ? input.position?.lon ?? null : null, report_lat: input.mode === 'on_site' ? input.position?.lat ?? null : null,
      report_distance_m: d.distanceMeters, report_note: input.note?.trim() || null, late: d.late ? 1 : 0,
    });
    if (!ok) throw new DomainError('CONFLICT', 'this department has already reported', { field: 'unitId' });
    await tx.summons.appendHistory([{
      summonsId: Number(s.id), action: 'reported', unitId, actorId: actor.userId, actorName: actor.name ?? null, at: now,
      details: { mode: input.mode, late: d.late, distanceMeters: d.distanceMeters, ...(input.note?.trim() ? { note: input.note.trim() } : {}) },
    }]);
    await tx.outbox.append(summonsEvent('summons.reported', s, withIssuer(s, units), { actorId: actor.userId,
      unitId, mode: input.mode, late: d.late, distanceMeters: d.distanceMeters, userIds: s.issued_by ? [s.issued_by] : [],
    }, now));
    return s;
  });
  ctx.events.notify();
  return row;
}
