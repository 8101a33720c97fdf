import type { ItemOf, ResponseOf } from '../../app/api.ts';
import type { CaseDto } from '../cases/model.ts';

/** The parts of the case API (CaseDto, shared with the case pages) the phone view reads. */
export type MobileCase = Pick<CaseDto,
  'id' | 'caseNo' | 'state' | 'stateLabel' | 'channel' | 'matter' | 'urgency' | 'description' | 'address' | 'location'
  | 'grid' | 'community' | 'street' | 'deadlines' | 'createdAt' | 'version' | 'allowedActions'>;

/** A catalogue entry (GET /api/v1/catalog/matters). */
export type MatterItem = ItemOf<ResponseOf<'/api/v1/catalog/matters', 'get'>>;
/** A matter suggested for a description (GET /api/v1/catalog/suggest). */
export type Suggestion = ItemOf<ResponseOf<'/api/v1/catalog/suggest', 'get'>>;

/**
 * The on-site actions the phone offers (whatever else the API allows is done at the desk): verification and check,
 * and — for a grid member given a case as its handler — signing and disposal.
 */
export const FIELD_ACTIONS = ['verify', 'check_pass', 'check_fail', 'sign', 'dispose'] as const;

export const placeOf = (c: MobileCase): string =>
  c.address || [c.street?.name, c.community?.name, c.grid?.name].filter(Boolean).join(' · ') || '—';

/** The case topics of the live stream that can put a task on (or take it off) a field worker's list, or change it. */
export const TASK_TOPICS = ['case.created', 'case.transitioned', 'case.deadline_warning', 'case.deadline_overdue'] as const;
