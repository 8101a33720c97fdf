/**
 * Bulk import of devices from CSV or XLSX (issue 11 part 1): tens of thousands of rows; each row is checked like a
 * single registration (same messages) and reported by its row number and column; good rows are stored (new devices
 * created, known ids' registry fields replaced — never their state, last seen or credential), bad rows leave nothing.
 * Imported devices get no credential: issue one per device (rotate) for the embedded broker or HTTP, or let an
 * external broker authenticate them. One transaction per chunk of 1000 rows with history rows; one outbox event.
 */
import ExcelJS from 'exceljs';
import type { AppContext } from '../runtime/context.ts';
import { DomainError } from '../domain/errors.ts';
import { headerMap, parseCsv, rowToInput } from '../domain/sensing/device-import.ts';
import { deviceRow, typeIds } from './device-save.ts';
import type { DeviceInsert } from '../storage/repositories/device.repository.ts';
import { sensingIngester } from '../runtime/sensing-ingest.ts';

export const MAX_IMPORT_ROWS = 200_000;

export interface ImportReport { rows: number; created: number; updated: number; rejected: number; errors: { row: number; field: string; message: string }[] }

export async function readTable(file: Buffer, filename: string): Promise<string[][]> {
  if (/\.xlsx$/i.test(filename) || file.subarray(0, 2).toString('latin1') === 'PK') {
    const wb = new ExcelJS.Workbook();
    try { await wb.xlsx.load(file as unknown as ExcelJS.Buffer); } catch { throw new DomainError('VALIDATION_FAILED', 'file: not a readable XLSX workbook', { field: 'file' }); }
    const ws = wb.worksheets[0];
    if (!ws) throw new DomainError('VALIDATION_FAILED', 'file: the workbook has no sheet', { field: 'file' });
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: false }, (r) => {
      const cells: string[] = [];
      r.eachCell({ includeEmpty: true }, (c, col) => { cells[col - 1] = c.text ?? ''; });
      rows.push(Array.from(cells, (x) => x ?? ''));
    });
    return rows;
  }
  return parseCsv(file.toString('utf8'));
}

export async function importDevices(ctx: AppContext, table: string[][], actorId: string): Promise<ImportReport> {
  if (table.length < 2) throw new DomainError('VALIDATION_FAILED', 'file: needs a header row and at least one device', { field: 'file' });
  if (table.length - 1 > MAX_IMPORT_ROWS) throw new DomainError('VALIDATION_FAILED', `file: more than ${MAX_IMPORT_ROWS} rows; split it`, { field: 'file' });
  const { map, missing } = headerMap(table[0]);
  if (missing.length) throw new DomainError('VALIDATION_FAILED', `file: the header lacks column(s) ${missing.join(', ')}`, { field: 'file' });
  const types = await typeIds(ctx);
  const now = ctx.clock.now();
  const report: ImportReport = { rows: table.length - 1, created: 0, updated: 0, rejected: 0, errors: [] };
  const good: DeviceInsert[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < table.length; i++) {
    const input = rowToInput(table[i], map);
    try {
      if (seen.has(input.id)) throw new DomainError('CONFLICT', `id: ${input.id} appears twice in the file`, { field: 'id' });
      const row = deviceRow(ctx, {
        id: input.id, typeId: input.typeId, name: input.name, vendor: input.vendor, model: input.model,
        lon: input.lon === undefined || input.lon === '' ? null : Number(input.lon), lat: input.lat === undefined || input.lat === '' ? null : Number(input.lat),
        attachmentKind: (input.attachmentKind || null) as never, attachmentId: input.attachmentId || null, scenario: input.scenario || null, ownerUnitId: input.ownerUnitId || null,
      }, types, now);
      seen.add(row.id);
      good.push(row);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      report.rejected++;
      if (report.errors.length < 1000) report.errors.push({ row: i + 1, field: err.field ?? 'row', message: err.message });
    }
  }
  for (let i = 0; i < good.length; i += 1000) {
    const chunk = good.slice(i, i + 1000);
    await ctx.store.transaction(async (tx) => {
      const created = new Set(await tx.devices.upsertDevices(chunk));
      report.created += created.size;
      report.updated += chunk.length - created.size;
      await tx.devices.appendHistory(chunk.map((r) => ({ device_id: r.id, at: now, kind: created.has(r.id) ? 'created' : 'imported', state: null, detail: 'import', actor_id: actorId })));
      if (i + 1000 >= good.length) {
        await tx.outbox.append({ topic: 'device.imported', caseId: null, unitIds: [], regionIds: [], payload: { actorId, rows: report.rows, created: report.created, updated: report.updated, rejected: report.rejected }, at: now });
      }
    });
  }
  const ingest = sensingIngester(ctx);
  for (const r of good) ingest.forget(r.id);
  return report;
}
