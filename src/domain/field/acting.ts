/**
 * Who can act on a case in its state (for "nearest available people"): before dispatch and at the check, the
 * centre's eyes on site — inspectors (核实 / 核查) and grid members; while a unit handles it, that unit's field staff
 * and grid members (a grid member may hold an admitted case); afterwards anyone in the field. Pure.
 */
import type { ResourceKind } from './types.ts';

const CENTRE_EYES: readonly ResourceKind[] = ['inspector', 'grid_member'];
const HANDLING: readonly ResourceKind[] = ['unit_handler', 'grid_member'];
const ALL_PEOPLE: readonly ResourceKind[] = ['inspector', 'grid_member', 'unit_handler'];

export interface ActingPeople {
  kinds: readonly ResourceKind[];
  /** When set, unit handlers count only if they belong to one of these units (the units holding the case). */
  unitHandlersOf?: readonly string[];
}

export function actingPeople(state: string, holdingUnitIds: readonly string[]): ActingPeople {
  switch (state) {
    case 'REPORTED': case 'ACCEPTED': case 'VERIFYING': case 'REGISTERED': case 'DISPOSED': case 'CHECKING':
      return { kinds: CENTRE_EYES };
    case 'DISPATCHED': case 'IN_PROGRESS': case 'DISPUTED': case 'HUNG':
      return { kinds: HANDLING, unitHandlersOf: holdingUnitIds };
    default:
      return { kinds: ALL_PEOPLE };
  }
}
