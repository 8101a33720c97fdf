/** The new-case writer of a store: group commit on both stores (sqlite.ts, postgres.ts), one row builder (rows.ts). */
import type { DbHandle } from '../db.ts';
import type { NewCaseWriter } from './plan.ts';
import { sqliteNewCaseWriter } from './sqlite.ts';
import { postgresNewCaseWriter } from './postgres.ts';

export type { NewCasePlan, NewCaseWriter, PersistResult, DuplicateProbe, DuplicateMatch, RelatedRow } from './plan.ts';

export function newCaseWriterFor(h: DbHandle): NewCaseWriter {
  return h.dialect === 'sqlite' ? sqliteNewCaseWriter(h) : postgresNewCaseWriter(h);
}
