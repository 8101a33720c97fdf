import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvField, writeTable } from './table.ts';
import { contentDisposition } from './stream-table.ts';

const columns = [{ key: 'no', zh: '案件编号', en: 'Case no.' }, { key: 'text', zh: '描述', en: 'Description' }, { key: 'n', zh: '次数', en: 'Count' }];

async function* rowsOf(list: Record<string, unknown>[], pulled?: { n: number }) {
  for (const r of list) {
    if (pulled) pulled.n++;
    yield r;
  }
}

/** Collects what is written (optionally slowly: one chunk per `delayMs`). */
function sink(delayMs = 0) {
  const chunks: Buffer[] = [];
  const w = new Writable({
    highWaterMark: 16_384,
    write(chunk: Buffer, _enc, cb) { chunks.push(chunk); if (delayMs) setTimeout(cb, delayMs); else cb(); },
  });
  return { w, bytes: () => Buffer.concat(chunks) };
}

describe('CSV', () => {
  test('BOM, CRLF, RFC 4180 quoting, Chinese headers', async () => {
    const s = sink();
    const r = await writeTable(s.w, {
      format: 'csv', columns,
      rows: rowsOf([{ no: '2026120700001', text: '他说："井盖,坏了"\n请处理', n: 3 }, { no: '2', text: null, n: -1.5 }]),
    });
    assert.deepEqual(r, { rows: 2, complete: true });
    const b = s.bytes();
    assert.deepEqual([...b.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark first');
    assert.equal(b.subarray(3).toString('utf8'), '案件编号,描述,次数\r\n2026120700001,"他说：""井盖,坏了""\n请处理",3\r\n2,,-1.5\r\n');
  });

  test('text that a spreadsheet would run as a formula is defused; numbers are not', () => {
    for (const bad of ['=HYPERLINK("http://x")', '+1 555', '-2+3', '@SUM(A1)', '\tx', '\r=1']) assert.ok(csvField(bad).startsWith(`'`) || csvField(bad).startsWith(`"'`), bad);
    assert.equal(csvField('=1+1'), `'=1+1`);
    assert.equal(csvField(-5), '-5');
    assert.equal(csvField('普通文本'), '普通文本');
    assert.equal(csvField(new Date(Date.UTC(2026, 11, 7, 9, 5, 0))), '2026-12-07 09:05:00');
  });

  test('pulls rows only as fast as the reader takes them (backpressure)', async () => {
    const pulled = { n: 0 };
    const total = 20_000;
    const list = Array.from({ length: total }, (_, i) => ({ no: String(i), text: '路边垃圾堆积无人清理，影响居民出行'.repeat(3), n: i }));
    const s = sink(2);
    let maxAhead = 0;
    let written = 0;
    const orig = s.w._write.bind(s.w);
    s.w._write = (chunk, enc, cb) => {
      written += chunk.toString('utf8').split('\r\n').length - 1;
      maxAhead = Math.max(maxAhead, pulled.n - written);
      orig(chunk, enc, cb);
    };
    await writeTable(s.w, { format: 'csv', columns, rows: rowsOf(list, pulled) });
    assert.equal(pulled.n, total);
    assert.ok(maxAhead < 2_000, `the writer ran ${maxAhead} rows ahead of a slow reader`);
  });
});

describe('XLSX', () => {
  test('a streamed workbook that Excel readers open, with Chinese headers and typed cells', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const r = await writeTable(out, {
      format: 'xlsx', columns, sheet: '案件列表', rows: rowsOf([{ no: '2026120700001', text: '=1+1 不是公式', n: 3 }, { no: '2', text: '井盖', n: null }]),
    });
    assert.deepEqual(r, { rows: 2, complete: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as never);
    const ws = wb.getWorksheet('案件列表')!;
    assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), ['案件编号', '描述', '次数']);
    assert.deepEqual((ws.getRow(2).values as unknown[]).slice(1), ['2026120700001', '=1+1 不是公式', 3]);
    assert.equal(ws.getRow(2).getCell(2).type, ExcelJS.ValueType.String, 'text stays text, never a formula');
    assert.equal(ws.rowCount, 3);
  });

  test('past a sheet\'s rows the workbook goes on in the next sheet, each with its header', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const list = Array.from({ length: 7 }, (_, i) => ({ no: String(i), text: `第${i}行`, n: i }));
    const r = await writeTable(out, { format: 'xlsx', columns, sheet: '案件', sheetRows: 3, rows: rowsOf(list) });
    assert.equal(r.rows, 7);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as never);
    assert.deepEqual(wb.worksheets.map((w) => [w.name, w.rowCount]), [['案件', 4], ['案件 (2)', 4], ['案件 (3)', 2]]);
    assert.equal(wb.worksheets[2].getRow(1).getCell(1).value, '案件编号');
    assert.equal(wb.worksheets[2].getRow(2).getCell(3).value, 6);
  });

  test('does not run ahead of a slow reader', async () => {
    const total = 30_000;
    let consumed = 0;
    let consumedAtHalf = -1;
    async function* rows() {
      for (let i = 0; i < total; i++) {
        if (i === total / 2) consumedAtHalf = consumed;
        yield { no: `20261207${String(i).padStart(6, '0')}`, text: `随机文本${(i * 2654435761 % 1e9).toString(36)}路边垃圾堆积无人清理`, n: i };
      }
    }
    const w = new Writable({ highWaterMark: 16_384, write(chunk: Buffer, _e, cb) { consumed += chunk.length; setTimeout(cb, 1); } });
    const seen: number[] = [];
    const r = await writeTable(w, { format: 'xlsx', columns, rows: rows(), maxBuffered: 65_536, onProgress: (n) => { seen.push(n); } });
    assert.equal(r.rows, total);
    // A writer that ignored the reader would have taken every row before the reader had a tenth of the file.
    assert.ok(consumedAtHalf > consumed * 0.2, `half the rows were taken when the reader had ${consumedAtHalf} of ${consumed} bytes`);
    assert.deepEqual(seen.slice(0, 3), [1000, 2000, 3000], 'progress every 1,000 rows');
    assert.equal(seen.at(-1), total);
  });
});

test('Content-Disposition carries a Chinese file name (RFC 5987) with an ASCII fallback', () => {
  assert.equal(contentDisposition('案件导出 2026-12.csv'),
    `attachment; filename="____ 2026-12.csv"; filename*=UTF-8''%E6%A1%88%E4%BB%B6%E5%AF%BC%E5%87%BA%202026-12.csv`);
  assert.equal(contentDisposition('a"b.csv'), `attachment; filename="a_b.csv"; filename*=UTF-8''a%22b.csv`);
});
