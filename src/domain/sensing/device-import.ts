/**
 * Bulk import of devices (issue 11 part 1): rows from CSV or XLSX with a header row, in English or Chinese column
 * names. Pure: the file is already read into rows of text; the command checks each row and reports it by number.
 */
import type { DeviceInputRow } from './device-import.types.ts';

/** Column → field; Chinese headers as used in city asset ledgers. */
export const IMPORT_COLUMNS: Record<string, keyof DeviceInputRow> = {
  id: 'id', 设备编号: 'id', 编号: 'id',
  typeid: 'typeId', type: 'typeId', 设备类型: 'typeId', 类型: 'typeId',
  name: 'name', 名称: 'name', 设备名称: 'name',
  vendor: 'vendor', 厂商: 'vendor', 厂家: 'vendor',
  model: 'model', 型号: 'model',
  lon: 'lon', longitude: 'lon', 经度: 'lon',
  lat: 'lat', latitude: 'lat', 纬度: 'lat',
  attachmentkind: 'attachmentKind', 挂接类型: 'attachmentKind',
  attachmentid: 'attachmentId', 挂接对象: 'attachmentId',
  scenario: 'scenario', 场景: 'scenario',
  ownerunitid: 'ownerUnitId', owner: 'ownerUnitId', 权属单位: 'ownerUnitId',
};

export function headerMap(header: readonly string[]): { map: (keyof DeviceInputRow | null)[]; missing: string[] } {
  const map = header.map((h) => IMPORT_COLUMNS[h.trim().toLowerCase().replace(/[\s_-]/g, '')] ?? IMPORT_COLUMNS[h.trim()] ?? null);
  const missing = (['id', 'typeId', 'name'] as const).filter((f) => !map.includes(f));
  return { map, missing };
}

export function rowToInput(cells: readonly string[], map: readonly (keyof DeviceInputRow | null)[]): DeviceInputRow {
  const out: Partial<Record<keyof DeviceInputRow, string>> = {};
  map.forEach((f, i) => { if (f) out[f] = (cells[i] ?? '').trim(); });
  return { id: out.id ?? '', typeId: out.typeId ?? '', name: out.name ?? '', vendor: out.vendor, model: out.model, lon: out.lon, lat: out.lat,
    attachmentKind: out.attachmentKind, attachmentId: out.attachmentId, scenario: out.scenario, ownerUnitId: out.ownerUnitId };
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF or LF); a UTF-8 BOM is skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else quoted = false; } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); cell = '';
      if (row.some((c) => c !== '')) rows.push(row);
      row = [];
    } else cell += ch;
  }
  row.push(cell);
  if (row.some((c) => c !== '')) rows.push(row);
  return rows;
}
