/**
 * "My platform's queue" as SQL, for the case list (case.repository.ts applyFilter): cases whose handling platform is
 * one of the caller's platforms, and cases with a transfer pending to (or from) them. Narrows the visibility filter,
 * never widens it.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../schema.ts';

export interface PlatformFilter {
  /** mine: handled by these platforms or waiting for them; incoming: waiting for them; outgoing: sent by them, waiting. */
  mode: 'mine' | 'incoming' | 'outgoing';
  regionIds: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function platformFiltered<Q extends SelectQueryBuilder<Database, 'cases', any>>(q: Q, f: PlatformFilter): Q {
  const regions = f.regionIds.length ? f.regionIds : [''];
  return q.where((eb) => {
    const pending = (col: 'to_region_id' | 'from_region_id') => eb('id', 'in', eb.selectFrom('case_transfers').select('case_transfers.case_id')
      .where('case_transfers.status', '=', 'pending').where(`case_transfers.${col}`, 'in', regions));
    if (f.mode === 'incoming') return pending('to_region_id');
    if (f.mode === 'outgoing') return pending('from_region_id');
    return eb.or([eb('platform_region_id', 'in', regions), pending('to_region_id')]);
  }) as Q;
}
