/** Alarms as the API shows them: whitelisted fields, what the caller may do next, the snapshot through our own route. */
import type { AppContext } from '../../../runtime/context.ts';
import { hasPermission } from '../../../domain/policy/permissions.ts';
import { canSeeCase, type CaseFacts } from '../../../domain/policy/visibility.ts';
import { regionPathOf } from '../../../commands/case-transition.ts';
import { fromJson } from '../../../storage/codec.ts';
import type { AlarmRow } from '../../../storage/repositories/alarm.repository.ts';
import type { Principal } from '../../middleware/auth.ts';

const iso = (t: number | null) => (t === null ? null : new Date(Number(t)).toISOString());
const num = (v: number | null) => (v === null ? null : Number(v));

/** The visibility policy's facts of an alarm: its place, and the unit that owns its device. */
export const alarmFacts = (ctx: AppContext, a: AlarmRow): CaseFacts => ({ regionPath: regionPathOf(a, ctx.ref), unitIds: [a.owner_unit_id] });

export const canSeeAlarm = (ctx: AppContext, p: Principal, a: AlarmRow): boolean => canSeeCase(p, alarmFacts(ctx, a));

export function presentAlarm(ctx: AppContext, p: Principal, a: AlarmRow) {
  const matter = ctx.ref.current().matters.get(a.matter_code);
  const judge = hasPermission(p.roles, 'case.create');
  return {
    id: a.id, source: a.source, deviceId: a.device_id, deviceTypeId: a.device_type_id, vendor: a.vendor, aiModel: a.ai_model,
    ruleId: a.rule_id, ruleVersion: num(a.rule_version), title: a.rule_name ?? a.detection_type ?? a.matter_code,
    detectionType: a.detection_type, confidence: num(a.confidence), matterCode: a.matter_code, matterName: matter?.name ?? a.matter_code,
    urgency: a.urgency, state: a.state, review: a.review, falseAlarm: a.false_alarm === 1, caseId: num(a.case_id),
    lon: num(a.lon), lat: num(a.lat), gridId: a.grid_id, streetId: a.street_id, scenario: a.scenario,
    values: fromJson<Record<string, number>>(a.values, {}),
    snapshotUrl: a.snapshot_attachment_id ? `/api/v1/alarms/${encodeURIComponent(a.id)}/snapshot` : a.snapshot_url,
    raisedAt: iso(a.raised_at)!, lastRaisedAt: iso(a.last_raised_at)!, clearedAt: iso(a.cleared_at), repeatCount: Number(a.repeat_count),
    canReview: judge && a.review === 'pending',
    canMarkFalse: judge && a.false_alarm === 0 && a.review !== 'pending' && a.review !== 'below_threshold',
  };
}
