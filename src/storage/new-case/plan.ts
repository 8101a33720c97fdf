/**
 * What a new case's writer is given and what it answers. The command builds ONE plan per report
 * (src/commands/case-create/new-case-plan.ts); each store's writer consumes plans and turns them into rows with the
 * same row builder (rows.ts): the case, its history row, its outbox event, the idempotency record, the duplicate
 * link and the rows that belong to the intake (the 12345 call, the portal report).
 */
import type { Insertable } from 'kysely';
import type { DuplicateCandidate } from '../../domain/duplicates/duplicates.ts';
import type { CaseTable, HotlineCallTable, PublicReportTable } from '../schema.ts';

export type NewCaseRow = Insertable<CaseTable>;

export interface NewCasePlan {
  /** The case without its number; the number is `caseNoPrefix` + the zero-padded sequence. */
  row: Omit<NewCaseRow, 'case_no'>;
  caseNoPrefix: string;
  attachmentIds: string[];
  history: { action: string; toState: string; actorId: string; actorName: string | null; details: Record<string, unknown> };
  /** The created event; its audience comes from the case row (outbox caseEvent). */
  event: { topic: string; payload: Record<string, unknown> };
  idempotency?: { scope: string; key: string; requestHash: string };
  /** Set when duplicate detection is on: the writer looks for a master inside its write transaction. */
  duplicate?: DuplicateProbe;
  /** Rows of other tables that belong to this intake and must commit with the case; `case_id` is filled in. */
  related?: RelatedRow[];
}

/** Rows written with a new case. Tables with an `id` column answer their ids in `relatedIds`, in order. */
export type RelatedRow =
  | { table: 'hotline_calls'; values: Omit<Insertable<HotlineCallTable>, 'case_id'> }
  | { table: 'public_reports'; values: Omit<Insertable<PublicReportTable>, 'case_id'> };

export interface DuplicateMatch { master: DuplicateCandidate; distanceMeters: number }

/**
 * Duplicate detection (issue 3 §5), run by the writer inside the transaction that writes the case: candidates are
 * open cases of `matterCodes` in `cells` created since `since` (index cases_dup); the command's pure functions choose
 * the master (`pick`) and rewrite the plan as a linked duplicate (`link`).
 */
export interface DuplicateProbe {
  /** What counts as "the same": the matter code, or the class code when the policy matches by class. */
  group: string;
  /** The report's own cell; `cells` are it and its neighbours. */
  cell: string;
  matterCodes: string[];
  cells: string[];
  since: number;
  /** The square around the point that holds the radius: only cases inside it are read as candidates. */
  bbox: { minLon: number; maxLon: number; minLat: number; maxLat: number };
  pick(candidates: DuplicateCandidate[]): DuplicateMatch | null;
  link(p: NewCasePlan, m: DuplicateMatch): NewCasePlan;
}

export type PersistResult =
  | { created: true; id: number; caseNo: string; duplicateOf?: DuplicateCandidate & { distanceMeters: number }; relatedIds?: number[] }
  | { created: false; id: number };

/**
 * Writes new cases. Each plan succeeds or fails alone; none is acknowledged before its transaction commits; a
 * repeat of an idempotency key answers `{ created: false, id }` of the first case; the same key with other content
 * is a CONFLICT naming Idempotency-Key.
 */
export interface NewCaseWriter {
  persist(p: NewCasePlan): Promise<PersistResult>;
}

/**
 * Candidates are read inside the radius's bounding square, oldest first, so the oldest open case within the radius
 * is among them unless more than this many open reports of one matter sit within ~100 m (they would have been
 * linked to each other long before).
 */
export const MAX_CANDIDATES = 200;
