/** The one streaming table writer (CSV / XLSX) every export uses: see table.ts and stream-table.ts. */
export { streamTable, contentDisposition, type StreamTableSpec } from './stream-table.ts';
export { writeTable, writeXlsx, csvField, csvLine, guardFormula, EXPORT_FORMATS, MIME, type ExportFormat, type TableColumn, type TableSpec, type TableResult } from './table.ts';
