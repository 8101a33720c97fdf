/**
 * The file-drop channel (a non-HTTP intake channel): dropped report files become cases through the intake contract,
 * move to processed/ or failed/ with a result file, never duplicate a case when dropped again, and survive a crash.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storesUnderTest, type TestEnv } from '../support/test-context.ts';
import { createDemoEnv, demoPoint, loadGridPoints } from '../support/demo-env.ts';
import { FileDropConsumer, fileDropChannel } from '../../src/intake/file-drop/file-drop.channel.ts';
import { INTAKE_CHANNELS } from '../../src/intake/index.ts';

const LATER = Date.now() + 60_000; // every file counts as settled

for (const store of storesUnderTest()) {
  describe(`intake channel: file drop [${store}]`, () => {
    let env: TestEnv;
    let dir: string;
    let drop: FileDropConsumer;
    const write = (name: string, content: unknown) => fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    const report = (n: number, extra: Record<string, unknown> = {}) => {
      const p = demoPoint(env, n);
      return { matterCode: '06010', description: `文件投递 ${n}`, location: { lon: p.lon, lat: p.lat }, ...extra };
    };
    const casesOf = async (description: string) => env.db.selectFrom('cases').select(['id', 'case_no', 'channel', 'created_by']).where('description', '=', description).execute();

    before(async () => {
      env = await createDemoEnv(store);
      await loadGridPoints(env);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-drop-'));
      drop = new FileDropConsumer(env.ctx, dir, 60_000);
    });
    after(async () => {
      await drop.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      await env.close();
    });

    test('the channel is registered in the one index, as a consumer (it runs only when configured)', async () => {
      assert.ok(INTAKE_CHANNELS.includes(fileDropChannel));
      assert.equal(await fileDropChannel.start!(env.ctx), null, 'INTAKE_DROP_DIR unset: not started');
    });

    test('a file of reports becomes cases; the file moves to processed/ with their numbers', async () => {
      write('batch-1.json', [report(1, { externalId: 'EXT-1' }), report(2)]);
      write('half-written.json.part', '[{"matterCode": "060');
      const [r] = await drop.pollOnce(LATER);
      assert.equal(r.outcome, 'processed', JSON.stringify(r));
      assert.equal(r.reports.length, 2);
      assert.ok(r.reports.every((x) => x.ok && x.created && /^\d{14}$/.test(x.caseNo!)));
      const [c1] = await casesOf('文件投递 1');
      assert.equal(c1.case_no, r.reports[0].caseNo);
      assert.equal(c1.channel, 'department');
      assert.equal(c1.created_by, 'file-drop');
      assert.ok(fs.existsSync(path.join(dir, 'processed', 'batch-1.json')));
      const result = JSON.parse(fs.readFileSync(path.join(dir, 'processed', 'batch-1.result.json'), 'utf8'));
      assert.deepEqual(result.reports.map((x: { caseNo: string }) => x.caseNo), r.reports.map((x) => x.caseNo));
      assert.ok(fs.existsSync(path.join(dir, 'half-written.json.part')), 'a file still being written is left alone');
      assert.equal(fs.readdirSync(path.join(dir, 'processing')).length, 0);
    });

    test('dropping the same reports again makes no second case (externalId, else the content)', async () => {
      write('batch-1-again.json', [report(1, { externalId: 'EXT-1' }), report(2)]);
      const [r] = await drop.pollOnce(LATER);
      assert.equal(r.outcome, 'processed');
      assert.deepEqual(r.reports.map((x) => x.created), [false, false]);
      assert.equal((await casesOf('文件投递 1')).length, 1);
      assert.equal((await casesOf('文件投递 2')).length, 1);
      write('changed.json', report(3, { externalId: 'EXT-1' }));
      const [c] = await drop.pollOnce(LATER);
      assert.equal(c.outcome, 'failed');
      assert.deepEqual(c.reports[0].error, { code: 'CONFLICT', field: 'externalId', message: c.reports[0].error!.message });
      assert.equal((await casesOf('文件投递 3')).length, 0, 'nothing written for the refused report');
    });

    test('bad input is refused per report, naming the field; the good ones in the same file stand', async () => {
      write('mixed.json', [report(4), { ...report(5), matterCode: 'ABC' }, { description: 'no matter' }]);
      write('broken.json', '{not json');
      const results = await drop.pollOnce(LATER);
      const mixed = results.find((x) => x.file === 'mixed.json')!;
      assert.equal(mixed.outcome, 'failed');
      assert.equal(mixed.reports[0].ok, true);
      assert.equal(mixed.reports[1].error!.field, '[1].matterCode');
      assert.equal(mixed.reports[2].error!.field, '[2].matterCode');
      const broken = results.find((x) => x.file === 'broken.json')!;
      assert.equal(broken.reports[0].error!.field, 'file');
      assert.ok(fs.existsSync(path.join(dir, 'failed', 'mixed.result.json')));
      assert.equal((await casesOf('文件投递 4')).length, 1);
    });

    test('a file left in processing/ by a crash is taken up again at start, without duplicates', async () => {
      write('crashed.json', report(1, { externalId: 'EXT-1' }));
      fs.renameSync(path.join(dir, 'crashed.json'), path.join(dir, 'processing', '123-abcdef_crashed.json'));
      const again = new FileDropConsumer(env.ctx, dir, 60_000);
      again.start();
      const [r] = await again.pollOnce(LATER);
      await again.stop();
      assert.equal(r.file, 'crashed.json');
      assert.equal(r.reports[0].created, false);
      assert.equal((await casesOf('文件投递 1')).length, 1);
    });
  });
}
