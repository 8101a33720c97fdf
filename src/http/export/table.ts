/**
 * The ONE table writer behind every download (issue 10 part 6): CSV and XLSX from an async stream of rows, with
 * constant memory. Everything that exports a table — case lists, reports, assessments — calls `streamTable` (HTTP,
 * stream-table.ts) or `writeTable` (a file or any Writable: background exports, the bench) with the same columns.
 *
 * CSV is written the way Excel (zh-CN) opens it without an import dialog: a UTF-8 byte order mark (otherwise Excel
 * reads GBK and the Chinese turns to mojibake), CRLF line ends and RFC 4180 quoting. A text cell that starts with
 * = + - @ (or a tab / carriage return) is prefixed with an apostrophe so a spreadsheet never runs it as a formula
 * (OWASP "CSV injection"); numbers are written as numbers. XLSX goes through exceljs's streaming WorkbookWriter: rows
 * are committed as they come, and the writer waits whenever the output (or the zip's deflate input) holds more than
 * a bound, so a slow reader slows the database reads instead of filling memory. XLSX text cells are typed strings,
 * which spreadsheets never evaluate, so they are written as they are.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export type ExportFormat = 'csv' | 'xlsx';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

export interface TableColumn {
  key: string;
  /** The header in Chinese (the default language of headers). */
  zh: string;
  en: string;
  /** Column width in characters (XLSX). */
  width?: number;
}

export type Cell = string | number | boolean | Date | null | undefined;

export interface TableSpec {
  format: ExportFormat;
  columns: readonly TableColumn[];
  rows: AsyncIterable<Record<string, unknown>>;
  /** The XLSX sheet's name (≤ 31 characters; cut when longer). */
  sheet?: string;
  /** Header language: zh (default) or en. */
  lang?: 'zh' | 'en';
  /** Called every `progressEvery` rows (default 1,000) and at the end: background exports keep their progress with it. */
  onProgress?: (rowsWritten: number) => void | Promise<void>;
  progressEvery?: number;
  /** XLSX: bytes that may wait in the output and the zip's deflate input before the writer stops taking rows (default 1 MiB). */
  maxBuffered?: number;
  /** XLSX: data rows per sheet before the next sheet starts (default and most: Excel's 1,048,575). */
  sheetRows?: number;
  /** Stop early (the client went away): checked between rows. */
  signal?: AbortSignal;
}

export interface TableResult { rows: number; complete: boolean }

export const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const BOM = '\uFEFF';
/** Characters a spreadsheet reads as the start of a formula (and tab / CR, which some strip before looking). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell a spreadsheet would run as a formula gets an apostrophe in front (it then shows as text). */
export function guardFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoLocal = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break; quotes doubled. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  const s = guardFormula(v instanceof Date ? isoLocal(v) : String(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: readonly unknown[]): string => `${values.map(csvField).join(',')}\r\n`;

/** The CSV as chunks of about 64 KB (a pull stream: nothing is read from `rows` until the reader wants more). */
export async function* csvChunks(spec: TableSpec, counter: { rows: number; complete: boolean }): AsyncGenerator<string> {
  const lang = spec.lang ?? 'zh';
  let buf = BOM + csvLine(spec.columns.map((c) => c[lang]));
  const every = spec.progressEvery ?? 1000;
  for await (const row of spec.rows) {
    if (spec.signal?.aborted) return;
    buf += csvLine(spec.columns.map((c) => row[c.key]));
    counter.rows++;
    if (counter.rows % every === 0) await spec.onProgress?.(counter.rows);
    if (buf.length >= 32_768) { // UTF-16 units: ≈ 64–96 KB of UTF-8 for Chinese text
      yield buf;
      buf = '';
    }
  }
  counter.complete = true;
  await spec.onProgress?.(counter.rows);
  yield buf;
}

const xlsxCell = (v: unknown): Cell => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || v instanceof Date) return v;
  return String(v);
};

/** Resolves when `out` drains or closes (listeners removed either way: called once per full buffer, never leaks). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { out.off('drain', done); out.off('close', done); resolve(); };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Data rows per sheet: Excel's 1,048,576 rows, less the header. */
export const XLSX_SHEET_ROWS = 1_048_575;

/** How much may wait in the output or in the zip's deflate input before the writer stops taking rows. */
const XLSX_BUFFER_BOUND = 1 << 20;

/**
 * What is queued in a stream right now (bytes not yet taken by its reader), 0 when it does not say. Read from the
 * stream states, since archiver's streams (readable-stream 2) have no `writableLength` getters.
 */
const queued = (s: unknown): number => {
  const x = s as { _writableState?: { length?: number }; _readableState?: { length?: number } } | undefined;
  return (x?._writableState?.length ?? 0) + (x?._readableState?.length ?? 0);
};

/**
 * Writes the XLSX to `out`, committing rows as they come. exceljs hands the sheet's XML to its zip (archiver) without
 * asking whether it may (its StreamBuf ignores write()'s answer), so the bound is kept here: after every batch of
 * rows the writer waits until the output has drained and the deflate input (the sheet stream's pipe) is small.
 */
export async function writeXlsx(out: Writable, spec: TableSpec, res: TableResult = { rows: 0, complete: false }): Promise<TableResult> {
  const lang = spec.lang ?? 'zh';
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'CityOps';
  const base = (spec.sheet ?? 'Sheet1').replace(/[\\/?*[\]:]/g, ' ').slice(0, 25) || 'Sheet1';
  // exceljs internals, read defensively: the sheet's XML stream feeds archiver through a PassThrough (pipes[0]).
  const zip = (wb as unknown as { zip?: unknown }).zip;
  let sheets = 0;
  let inSheet = 0;
  let sheetStream: { pipes?: unknown[] } | undefined;
  const newSheet = () => {
    sheets++;
    const ws = wb.addWorksheet(sheets === 1 ? base : `${base} (${sheets})`, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({ header: c[lang], key: c.key, width: c.width ?? Math.max(10, Math.min(40, c[lang].length * 2 + 4)) }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    sheetStream = (ws as unknown as { stream?: { pipes?: unknown[] } }).stream;
    inSheet = 0;
    return ws;
  };
  let ws = newSheet();
  const every = spec.progressEvery ?? 1000;
  const backlog = () => queued(out) + queued(sheetStream?.pipes?.[0]) + queued(zip);
  for await (const row of spec.rows) {
    if (spec.signal?.aborted) break;
    if (inSheet === Math.min(spec.sheetRows ?? XLSX_SHEET_ROWS, XLSX_SHEET_ROWS)) { // a sheet holds 1,048,576 rows: go on in the next one
      ws.commit();
      ws = newSheet();
    }
    ws.addRow(spec.columns.map((c) => xlsxCell(row[c.key]))).commit();
    inSheet++;
    res.rows++;
    if (res.rows % 256 === 0) {
      while (backlog() > (spec.maxBuffered ?? XLSX_BUFFER_BOUND) && !spec.signal?.aborted && !out.destroyed) {
        if (out.writableLength > out.writableHighWaterMark) await drained(out);
        else await new Promise((r) => setTimeout(r, 2)); // deflate runs on the thread pool: give it a moment
      }
    }
    if (res.rows % every === 0) await spec.onProgress?.(res.rows);
  }
  if (out.destroyed || spec.signal?.aborted) return res;
  ws.commit();
  await wb.commit();
  res.complete = true;
  await spec.onProgress?.(res.rows);
  return res;
}

/** Writes the whole table to `out` (a file, a socket) and ends it. */
export async function writeTable(out: Writable, spec: TableSpec): Promise<TableResult> {
  if (spec.format === 'xlsx') return writeXlsx(out, spec);
  const counter = { rows: 0, complete: false };
  for await (const chunk of csvChunks(spec, counter)) {
    if (!out.write(chunk)) await drained(out);
    if (out.destroyed) return counter;
  }
  out.end();
  await Promise.race([once(out, 'finish'), once(out, 'close')]);
  return counter;
}
