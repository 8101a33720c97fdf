import type { Dialect } from '../db.ts';
import { serialId, type AnyDb } from './ddl.ts';

/**
 * 12345 hotline (issue 3 §1): the knowledge base operators answer consultations from, and one row per call —
 * answered directly, refused with a referral, filed as a new case, or linked to an open case as a 催办.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await serialId(db.schema.createTable('kb_articles'), dialect)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('matter_code', 'text')
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await serialId(db.schema.createTable('hotline_calls'), dialect)
    .addColumn('caller_name', 'text')
    .addColumn('caller_phone', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // consult | help | complaint | report | suggestion
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('matter_code', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull()) // answered | refused | case | linked
    .addColumn('case_id', 'bigint')
    .addColumn('article_id', 'bigint')
    .addColumn('referral', 'text')
    .addColumn('refusal_reason', 'text')
    .addColumn('feedback_class', 'text')
    .addColumn('feedback_due_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hotline_calls_phone').on('hotline_calls').columns(['caller_phone', 'id']).execute();
  // repeat-call detection: the caller's open case with the same matter
  await db.schema.createIndex('cases_reporter_phone').on('cases').columns(['reporter_phone', 'matter_code', 'created_at']).execute();
}
