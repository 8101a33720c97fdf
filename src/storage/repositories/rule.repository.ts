/**
 * Sensing rules (issue 11 part 3), versioned: the head row (`sensing_rules`) holds the version in force and is
 * changed by a conditional UPDATE on that version; every save appends an immutable `sensing_rule_versions` row.
 */
import type { Selectable } from 'kysely';
import type { Conn } from '../db.ts';
import { fromJson, toJson } from '../codec.ts';
import type { SensingRuleTable, SensingRuleVersionTable } from '../sensing-rules.schema.ts';
import type { RuleDefinition, RuleScope, SensingRule } from '../../domain/sensing/rule-types.ts';
import { toDevice } from './device.repository.ts';
import type { Device } from '../../domain/sensing/types.ts';

export type SensingRuleRow = Selectable<SensingRuleTable>;
export type SensingRuleVersionRow = Selectable<SensingRuleVersionTable>;

export const toRule = (r: SensingRuleRow): SensingRule => ({ ...fromJson<RuleDefinition>(r.definition, {} as RuleDefinition), id: r.id, version: Number(r.version) });

export async function listRules({ db }: Conn, opts: { enabledOnly?: boolean } = {}): Promise<SensingRuleRow[]> {
  let q = db.selectFrom('sensing_rules').selectAll();
  if (opts.enabledOnly) q = q.where('enabled', '=', 1);
  return q.orderBy('id').execute();
}

export async function findRule({ db }: Conn, id: string): Promise<SensingRuleRow | undefined> {
  return db.selectFrom('sensing_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function ruleVersions({ db }: Conn, id: string): Promise<SensingRuleVersionRow[]> {
  return db.selectFrom('sensing_rule_versions').selectAll().where('rule_id', '=', id).orderBy('version', 'desc').execute();
}

export async function findRuleVersion({ db }: Conn, id: string, version: number): Promise<SensingRuleVersionRow | undefined> {
  return db.selectFrom('sensing_rule_versions').selectAll().where('rule_id', '=', id).where('version', '=', version).executeTakeFirst();
}

const head = (id: string, version: number, d: RuleDefinition, at: number, by: string | null) => ({
  id, version, name: d.name, scope_kind: d.scope.kind, scope_id: d.scope.id, enabled: d.enabled ? 1 : 0, definition: toJson(d), updated_at: at, updated_by: by,
});

/** A new rule at version 1. */
export async function insertRule({ db }: Conn, id: string, d: RuleDefinition, meta: { at: number; by: string | null; note: string | null }): Promise<void> {
  await db.insertInto('sensing_rules').values({ ...head(id, 1, d, meta.at, meta.by), created_at: meta.at }).execute();
  await db.insertInto('sensing_rule_versions').values({ rule_id: id, version: 1, definition: toJson(d), created_at: meta.at, created_by: meta.by, note: meta.note }).execute();
}

/** The next version, if the rule is still at `version`; false when someone saved in between. */
export async function saveRuleVersion(
  { db }: Conn, id: string, version: number, d: RuleDefinition, meta: { at: number; by: string | null; note: string | null },
): Promise<boolean> {
  const r = await db.updateTable('sensing_rules').set(head(id, version + 1, d, meta.at, meta.by)).where('id', '=', id).where('version', '=', version).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await db.insertInto('sensing_rule_versions').values({ rule_id: id, version: version + 1, definition: toJson(d), created_at: meta.at, created_by: meta.by, note: meta.note }).execute();
  return true;
}

/** Devices a rule's scope covers (for testing a rule against their recorded readings), at most `limit`. */
export async function devicesInScope({ db }: Conn, scope: RuleScope, limit: number): Promise<Device[]> {
  let q = db.selectFrom('devices').selectAll();
  q = scope.kind === 'device' ? q.where('id', '=', scope.id) : scope.kind === 'type' ? q.where('type_id', '=', scope.id) : q.where('scenario', '=', scope.id);
  return (await q.orderBy('id').limit(limit).execute()).map(toDevice);
}

/** Every device with what the rule engine needs to find its rules and place its alarms (read once at start, then per unknown device). */
export async function allDevices({ db }: Conn, opts: { afterId?: string; limit: number }): Promise<Device[]> {
  let q = db.selectFrom('devices').selectAll();
  if (opts.afterId) q = q.where('id', '>', opts.afterId);
  return (await q.orderBy('id').limit(opts.limit).execute()).map(toDevice);
}
