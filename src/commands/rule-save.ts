/**
 * Sensing rules are city data edited at run time (issue 11 part 3), versioned like the responsibility list: a save
 * never changes a version, it adds the next one (`sensing_rule_versions`), and the head names the version in force.
 * Alarms record the version that raised them. Validated first (field named, nothing written on error); one
 * transaction with the version, the head and a config event; then the engine of this node reloads.
 */
import crypto from 'node:crypto';
import { DomainError, notFound, invalidAs } from '../domain/errors.ts';
import { checkMeasurements, parseRuleDefinition, RULE_ID_RE, type RuleDefinition, type SensingRule } from '../domain/sensing/rule-types.ts';
import type { AppContext } from '../runtime/context.ts';
import { ruleEngine } from '../runtime/rule-engine.ts';
import { configEvent } from '../storage/repositories/admin.repository.ts';
import { toRule } from '../storage/repositories/rule.repository.ts';
import { isUniqueViolation } from '../storage/codec.ts';

const SCENARIO_RE = /^[a-z][a-z0-9_]{0,39}$/;

/** The definition, checked against the catalogue and the device registry. */
export async function validateRule(ctx: AppContext, input: unknown): Promise<RuleDefinition> {
  const ref = ctx.ref.current();
  const d = parseRuleDefinition(input, (c) => ref.matters.has(c));
  if (d.scope.kind === 'type') {
    const t = await ctx.store.devices.findType(d.scope.id);
    if (!t) throw invalidAs('scope.id', { key: 'rule-save.unknown_device_type', params: { id: String(d.scope.id) } }, `unknown device type "${d.scope.id}"`);
    checkMeasurements(d.condition, t.measurements.map((m) => m.key));
  } else if (d.scope.kind === 'device') {
    const dev = await ctx.store.devices.findDevice(d.scope.id);
    if (!dev) throw invalidAs('scope.id', { key: 'rule-save.unknown_device', params: { id: String(d.scope.id) } }, `unknown device "${d.scope.id}"`);
    const t = await ctx.store.devices.findType(dev.typeId);
    if (t) checkMeasurements(d.condition, t.measurements.map((m) => m.key));
  } else if (!SCENARIO_RE.test(d.scope.id)) {
    throw invalidAs('scope.id', { key: 'rule-save.scenario_lower_case_letters_digits' }, 'a scenario is lower-case letters, digits and _ (at most 40)');
  }
  return d;
}

export async function createRule(ctx: AppContext, input: unknown, actorId: string | null, id?: string): Promise<SensingRule> {
  const ruleId = id ?? `r${crypto.randomBytes(5).toString('hex')}`;
  if (!RULE_ID_RE.test(ruleId)) throw invalidAs('id', { key: 'rule-save.lower_case_letters_digits_and' }, 'must be lower-case letters, digits, _ and - (at most 60)');
  const d = await validateRule(ctx, input);
  const now = ctx.clock.now();
  try {
    await ctx.store.transaction(async (tx) => {
      await tx.sensingRules.insertRule(ruleId, d, { at: now, by: actorId, note: d.note ?? null });
      await tx.outbox.append(configEvent('sensing_rule.saved', { ruleId, version: 1, enabled: d.enabled, actorId }, now));
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('CONFLICT', `id: rule ${ruleId} already exists`, { field: 'id' });
    throw err;
  }
  await ruleEngine(ctx)?.reload();
  return { ...d, id: ruleId, version: 1 };
}

/** The next version of a rule; `expectedVersion` must be the version the editor loaded (409 naming `version` otherwise). */
export async function updateRule(ctx: AppContext, id: string, expectedVersion: number, input: unknown, actorId: string | null): Promise<SensingRule> {
  const cur = await ctx.store.sensingRules.findRule(id);
  if (!cur) throw notFound('rule', id);
  const d = await validateRule(ctx, input);
  const now = ctx.clock.now();
  const ok = await ctx.store.transaction(async (tx) => {
    if (!(await tx.sensingRules.saveRuleVersion(id, expectedVersion, d, { at: now, by: actorId, note: d.note ?? null }))) return false;
    await tx.outbox.append(configEvent('sensing_rule.saved', { ruleId: id, version: expectedVersion + 1, enabled: d.enabled, actorId }, now));
    return true;
  });
  if (!ok) throw new DomainError('CONFLICT', `version: rule ${id} is at version ${cur.version}, not ${expectedVersion}; reload and retry`, { field: 'version' });
  await ruleEngine(ctx)?.reload();
  return toRule((await ctx.store.sensingRules.findRule(id))!);
}
