/**
 * Major-incident mode (重大事件指挥, issue 9 §5): a command record that groups related cases, with a timeline of
 * situation reports (续报, numbered: 首报, 续报1, 续报2 …) and the resources assigned, opened and closed by a
 * commander. The four response levels follow China's emergency plans (Ⅰ 特别重大, Ⅱ 重大, Ⅲ 较大, Ⅳ 一般). Pure.
 */
import { DomainError, invalidAs } from '../errors.ts';
import type { Role } from '../policy/permissions.ts';
import { isAdmin, type Actor } from '../policy/scope.ts';

export const INCIDENT_LEVELS = ['I', 'II', 'III', 'IV'] as const;
export type IncidentLevel = typeof INCIDENT_LEVELS[number];
export const RESOURCE_KINDS = ['team', 'person', 'vehicle', 'equipment', 'material', 'other'] as const;
export type ResourceKind = typeof RESOURCE_KINDS[number];

/** Who commands: the centre's dispatchers, shift leaders and leaders. */
export const COMMAND_ROLES: ReadonlySet<Role> = new Set<Role>(['dispatcher', 'shift_leader', 'centre_leader', 'admin']);

const notCommander = () => new DomainError('FORBIDDEN', 'role: only a dispatcher, shift leader or centre leader commands an incident', { field: 'role', key: 'incident.only_commanders' });

export function checkOpen(actor: Actor, input: { title: string; level: string; regionId?: string | null }): { title: string; level: IncidentLevel; regionId: string | null } {
  if (!actor.roles.some((r) => COMMAND_ROLES.has(r))) throw notCommander();
  const title = input.title.trim();
  if (!title || title.length > 100) throw invalidAs('title', { key: 'alerting.between_1_and_100_characters' }, 'between 1 and 100 characters');
  if (!(INCIDENT_LEVELS as readonly string[]).includes(input.level)) throw invalidAs('level', { key: 'field.one', params: { allowed: INCIDENT_LEVELS.join(', ') } }, `one of ${INCIDENT_LEVELS.join(', ')}`);
  const regionId = input.regionId ?? actor.regionIds[0] ?? null;
  if (input.regionId && !isAdmin(actor) && !actor.regionIds.includes(input.regionId)) throw invalidAs('regionId', { key: 'field.region_you_do_not_cover' }, 'a region you do not cover');
  return { title, level: input.level as IncidentLevel, regionId };
}

/** Every change after opening: a commander, on an open incident. */
export function checkCommand(actor: Actor, incident: { state: string }): void {
  if (!actor.roles.some((r) => COMMAND_ROLES.has(r))) throw notCommander();
  if (incident.state !== 'open') throw new DomainError('CONFLICT', 'state: the incident is closed', { field: 'state', key: 'incident.closed' });
}

export function checkReport(text: string): string {
  const t = text.trim();
  if (!t || t.length > 4000) throw invalidAs('text', { key: 'alerting.between_1_and_4_000' }, 'between 1 and 4,000 characters');
  return t;
}

/** 首报 for the first report, then 续报1, 续报2 … */
export const reportLabel = (n: number): { zh: string; en: string } => (n <= 1 ? { zh: '首报', en: 'First report' } : { zh: `续报${n - 1}`, en: `Update ${n - 1}` });

export function checkResource(r: { kind: string; name: string; quantity?: number; note?: string }): { kind: ResourceKind; name: string; quantity: number; note: string } {
  if (!(RESOURCE_KINDS as readonly string[]).includes(r.kind)) throw invalidAs('kind', { key: 'field.one', params: { allowed: RESOURCE_KINDS.join(', ') } }, `one of ${RESOURCE_KINDS.join(', ')}`);
  const name = r.name.trim();
  if (!name || name.length > 100) throw invalidAs('name', { key: 'alerting.between_1_and_100_characters' }, 'between 1 and 100 characters');
  const quantity = r.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100_000) throw invalidAs('quantity', { key: 'alerting.whole_number_from_1_100' }, 'a whole number from 1 to 100,000');
  const note = (r.note ?? '').trim();
  if (note.length > 500) throw invalidAs('note', { key: 'field.at_most_500_characters' }, 'at most 500 characters');
  return { kind: r.kind as ResourceKind, name, quantity, note };
}
