/**
 * /api/v1/sensing/rules — sensing rules, versioned and testable before they are enabled (issue 11 part 3) — and
 * /api/v1/sensing/alarm-policy (auto-dispatch whitelist, place window, video types).
 */
import type { App } from '../../app.ts';
import type { AppContext } from '../../../runtime/context.ts';
import { notFound, invalidAs } from '../../../domain/errors.ts';
import { describeCondition, type SensingRule } from '../../../domain/sensing/rule-types.ts';
import { createRule, updateRule } from '../../../commands/rule-save.ts';
import { testRule } from '../../../commands/rule-test.ts';
import { replaceAlarmPolicy } from '../../../commands/alarm-policy-replace.ts';
import { fromJson } from '../../../storage/codec.ts';
import { toRule, type SensingRuleRow } from '../../../storage/repositories/rule.repository.ts';
import { principalOf } from '../../middleware/auth.ts';
import { ErrorResponse, IdParam } from '../common.schema.ts';
import { AlarmPolicyDto, RuleBody, RuleDetail, RuleDto, RuleList, RuleTestBody, RuleTestResult, RuleUpdateBody } from './rule.schema.ts';

const ERRORS = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const iso = (t: number) => new Date(Number(t)).toISOString();

export function presentRule(row: SensingRuleRow) {
  const r: SensingRule = toRule(row);
  return {
    id: r.id, version: r.version, name: r.name, scope: r.scope, condition: r.condition as never, matterCode: r.matterCode, urgency: r.urgency,
    suppressMinutes: r.suppressMinutes, enabled: r.enabled, note: r.note ?? null, description: describeCondition(r.condition),
    updatedAt: iso(row.updated_at), updatedBy: row.updated_by,
  };
}

const instant = (v: string | undefined, field: string): number | undefined => {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw invalidAs(field, { key: 'field.iso_8601_instant' }, 'must be an ISO 8601 instant');
  return t;
};

export async function ruleRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get('/api/v1/sensing/rules', {
    config: { permission: 'rule.manage' },
    schema: { tags: ['sensing'], summary: 'Sensing rules (the version in force of each)', response: { 200: RuleList, ...ERRORS } },
  }, async () => ({ items: (await ctx.store.sensingRules.listRules()).map(presentRule) }));

  app.get('/api/v1/sensing/rules/:id', {
    config: { permission: 'rule.manage' },
    schema: { tags: ['sensing'], summary: 'One rule with every saved version, newest first', params: IdParam, response: { 200: RuleDetail, ...ERRORS } },
  }, async (req) => {
    const row = await ctx.store.sensingRules.findRule(req.params.id);
    if (!row) throw notFound('rule', req.params.id);
    const versions = await ctx.store.sensingRules.ruleVersions(row.id);
    return {
      rule: presentRule(row),
      versions: versions.map((v) => ({
        version: Number(v.version), definition: fromJson<Record<string, unknown>>(v.definition, {}), createdAt: iso(v.created_at), createdBy: v.created_by, note: v.note,
      })),
    };
  });

  app.post('/api/v1/sensing/rules', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: ['sensing'], summary: 'Creates a rule (version 1; disabled unless enabled: true)',
      body: RuleBody, response: { 201: RuleDto, ...ERRORS },
    },
  }, async (req, reply) => {
    const { id, ...def } = req.body;
    const r = await createRule(ctx, def, principalOf(req).userId, id);
    return reply.status(201).send(presentRule((await ctx.store.sensingRules.findRule(r.id))!));
  });

  app.put('/api/v1/sensing/rules/:id', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: ['sensing'], summary: 'Saves the next version of a rule (edit, enable, disable)',
      description: '`version` is the version the editor loaded; another save since then is a 409 naming `version`.',
      params: IdParam, body: RuleUpdateBody, response: { 200: RuleDto, ...ERRORS },
    },
  }, async (req) => {
    const { version, ...def } = req.body;
    await updateRule(ctx, req.params.id, version, def, principalOf(req).userId);
    return presentRule((await ctx.store.sensingRules.findRule(req.params.id))!);
  });

  app.post('/api/v1/sensing/rules/test', {
    config: { permission: 'rule.manage' },
    schema: {
      tags: ['sensing'], summary: 'Tests a rule against recorded readings (or readings sent): which alarms would have fired when',
      body: RuleTestBody, response: { 200: RuleTestResult, ...ERRORS },
    },
  }, async (req) => {
    const b = req.body;
    const r = await testRule(ctx, { rule: b.rule, from: instant(b.from, 'from'), to: instant(b.to, 'to'), deviceIds: b.deviceIds, readings: b.readings });
    return { ...r, events: r.events.map((e) => ({ ...e, at: iso(e.at) })), from: iso(r.from), to: iso(r.to) };
  });

  app.get('/api/v1/sensing/alarm-policy', {
    config: { permission: 'case.read' },
    schema: { tags: ['sensing'], summary: 'Auto-dispatch whitelist, place window and video detection types', response: { 200: AlarmPolicyDto, ...ERRORS } },
  }, async () => ctx.ref.current().alarmPolicy);

  app.put('/api/v1/sensing/alarm-policy', {
    config: { permission: 'rule.manage' },
    schema: { tags: ['sensing'], summary: 'Replaces the alarm policy (settings row sensing_alarm_policy)', body: AlarmPolicyDto, response: { 200: AlarmPolicyDto, ...ERRORS } },
  }, async (req) => replaceAlarmPolicy(ctx, req.body, principalOf(req).userId));
}
