/**
 * Generates one claimed export into a file under DATA_DIR/exports (issue 10 part 6): the rows of its filter, for
 * its requester's scope as kept with the request, through the one table writer, with progress every 5,000 rows
 * (which is also the heartbeat the stale check reads). Written to `<id>-<random>.<ext>.part` and renamed when
 * complete, so a half-written file is never offered for download.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { AppContext } from '../../../runtime/context.ts';
import type { ExportRow } from '../../../storage/repositories/export.repository.ts';
import { fromJson } from '../../../storage/codec.ts';
import { failExport, finishExport } from '../../../commands/export-run.ts';
import { writeTable } from '../../export/index.ts';
import type { Principal } from '../../middleware/auth.ts';
import type { CaseListFilterQuery } from '../cases/case-list.filter.ts';
import { CASE_COLUMNS, caseExportRows } from './case-export.ts';

export const exportDir = (ctx: AppContext) => path.join(ctx.config.dataDir, 'exports');

export async function generateExport(ctx: AppContext, x: ExportRow): Promise<{ ok: boolean; rows: number }> {
  const dir = exportDir(ctx);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${Number(x.id)}-${crypto.randomBytes(6).toString('hex')}.${x.format}`);
  const part = `${file}.part`;
  const p = fromJson<Principal>(x.principal, { kind: 'user', userId: x.requested_by, name: '', roles: [], unitIds: [], regionIds: [] });
  const { lang, ...filter } = fromJson<CaseListFilterQuery & { lang?: 'zh' | 'en' }>(x.filter, {});
  let rows = 0;
  const out = fs.createWriteStream(part, { mode: 0o600 });
  const closed = new Promise<void>((resolve, reject) => { out.once('close', resolve); out.once('error', reject); });
  closed.catch(() => {}); // awaited below on success; on failure the catch cleans up
  try {
    const policy = ctx.ref.current().exportPolicy;
    const r = await writeTable(out, {
      format: x.format === 'xlsx' ? 'xlsx' : 'csv', columns: CASE_COLUMNS, sheet: '案件', lang,
      rows: caseExportRows(ctx, p, filter, { max: policy.maxRows, lang }),
      progressEvery: 5000,
      onProgress: async (n) => {
        rows = n;
        if (!(await ctx.store.exports.saveProgress(Number(x.id), n, ctx.clock.now()))) throw new Error('the export is no longer generating');
      },
    });
    if (!out.closed) out.end();
    await closed;
    rows = r.rows;
    fs.renameSync(part, file);
    const ok = await finishExport(ctx, x, { rows: r.rows, filePath: file, bytes: fs.statSync(file).size });
    if (!ok) fs.rmSync(file, { force: true });
    return { ok, rows };
  } catch (err) {
    out.destroy();
    fs.rmSync(part, { force: true });
    ctx.log.error(err, `export ${Number(x.id)} failed`);
    await failExport(ctx, x, (err as Error).message, rows);
    return { ok: false, rows };
  }
}
