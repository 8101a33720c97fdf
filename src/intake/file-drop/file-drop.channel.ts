/**
 * The file-drop channel: department systems that cannot call an API (a nightly export, an FTP upload) drop report
 * files into a folder (INTAKE_DROP_DIR). A long-running consumer started by the server — the first non-HTTP channel,
 * registered like every other one (../index.ts) — takes each file, submits its reports through the intake contract,
 * and moves it on with a result file next to it:
 *
 *   INTAKE_DROP_DIR/*.json              new files (write them as *.json.part, then rename: half-written files are never read)
 *   INTAKE_DROP_DIR/processing/         claimed by one server (an atomic rename: two servers never take the same file)
 *   INTAKE_DROP_DIR/processed/          every report accepted; <name>.result.json lists the case numbers
 *   INTAKE_DROP_DIR/failed/             at least one report refused; <name>.result.json says which, with code, field, message
 *
 * A file holds one report or a JSON array of reports, each shaped like POST /api/v1/department/cases (externalId
 * optional). Nothing acknowledged is lost: a file leaves processing/ only after all its reports are committed, and
 * files left in processing/ by a crash are taken up again at the next start. Re-dropping a file (or a corrected one)
 * never duplicates a case: each report's key is its externalId, or else the hash of its content.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Ajv } from 'ajv';
import type { AppContext } from '../../runtime/context.ts';
import type { Actor } from '../../domain/policy/scope.ts';
import { DomainError } from '../../domain/errors.ts';
import { describeValidation } from '../../http/middleware/error-mapper.ts';
import type { IntakeChannel, RunningConsumer } from '../channel.ts';
import { canonical, submit, type ChannelReport } from '../contract.ts';
import { DropReport } from './file-drop.schema.ts';

/** Who files the dropped reports (cases.created_by): the folder itself, with an operator's rights to report. */
export const FILE_DROP_ACTOR: Actor & { name: string } = { userId: 'file-drop', name: '文件投递 file drop', roles: ['operator'], unitIds: [], regionIds: [] };
/** A file modified more recently than this may still be being written (if the sender did not rename it into place). */
const SETTLE_MS = 1000;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_REPORTS_PER_FILE = 5000;

export interface ReportResult { index: number; ok: boolean; caseNo?: string; caseId?: number; created?: boolean; duplicateOf?: string; error?: { code: string; field?: string; message: string } }
export interface FileResult { file: string; outcome: 'processed' | 'failed'; reports: ReportResult[] }

const validate = new Ajv({ allErrors: false, strict: false, coerceTypes: false }).compile(DropReport);

export class FileDropConsumer implements RunningConsumer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<FileResult[]> | undefined;
  readonly describe: string;

  constructor(private ctx: AppContext, private dir: string, private intervalMs: number) {
    this.describe = `watching ${dir} every ${Math.round(intervalMs / 100) / 10} s`;
    for (const sub of ['processing', 'processed', 'failed']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }

  start(): void {
    // Files a crash left half done are taken up again (their reports are idempotent).
    for (const f of fs.readdirSync(path.join(this.dir, 'processing'))) {
      fs.renameSync(path.join(this.dir, 'processing', f), path.join(this.dir, f.replace(/^[^_]*_/, '')));
    }
    this.timer = setInterval(() => { void this.pollOnce().catch((err) => this.ctx.log.error(err, 'file drop: poll failed')); }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.running) await this.running.catch(() => undefined);
  }

  /** One look at the folder: every settled *.json file is processed, oldest name first. */
  pollOnce(now = Date.now()): Promise<FileResult[]> {
    if (this.running) return this.running;
    this.running = this.poll(now).finally(() => { this.running = undefined; });
    return this.running;
  }

  private async poll(now: number): Promise<FileResult[]> {
    const names = fs.readdirSync(this.dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json') && !e.name.endsWith('.result.json')).map((e) => e.name).sort();
    const out: FileResult[] = [];
    for (const name of names) {
      const from = path.join(this.dir, name);
      let stat: fs.Stats;
      try { stat = fs.statSync(from); } catch { continue; } // taken by another server meanwhile
      if (now - stat.mtimeMs < SETTLE_MS) continue;
      const claimed = path.join(this.dir, 'processing', `${process.pid}-${crypto.randomBytes(3).toString('hex')}_${name}`);
      try { fs.renameSync(from, claimed); } catch { continue; } // another server claimed it first
      const result = await this.processFile(name, claimed);
      const dest = path.join(this.dir, result.outcome, name);
      fs.writeFileSync(`${dest.slice(0, -'.json'.length)}.result.json`, `${JSON.stringify(result, null, 2)}\n`);
      fs.renameSync(claimed, dest);
      const ok = result.reports.filter((r) => r.ok).length;
      this.ctx.log.info({ file: name, outcome: result.outcome, ok, refused: result.reports.length - ok }, `file drop: ${name}: ${ok} of ${result.reports.length} report(s) accepted`);
      out.push(result);
    }
    return out;
  }

  private async processFile(name: string, file: string): Promise<FileResult> {
    const fail = (message: string): FileResult => ({ file: name, outcome: 'failed', reports: [{ index: 0, ok: false, error: { code: 'VALIDATION_FAILED', field: 'file', message } }] });
    if (fs.statSync(file).size > MAX_FILE_BYTES) return fail(`file: larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it`);
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      return fail(`file: not valid JSON (${(err as Error).message})`);
    }
    const items = Array.isArray(data) ? data : [data];
    if (items.length === 0) return fail('file: holds no report');
    if (items.length > MAX_REPORTS_PER_FILE) return fail(`file: more than ${MAX_REPORTS_PER_FILE} reports; split it`);
    const reports: ReportResult[] = [];
    for (const [index, item] of items.entries()) reports.push(await this.submitOne(index, item, Array.isArray(data)));
    return { file: name, outcome: reports.every((r) => r.ok) ? 'processed' : 'failed', reports };
  }

  private async submitOne(index: number, item: unknown, inArray: boolean): Promise<ReportResult> {
    const at = (field: string) => (inArray ? `[${index}].${field}` : field);
    if (!validate(item)) {
      const { field, message } = describeValidation(validate.errors ?? [], 'report');
      return { index, ok: false, error: { code: 'VALIDATION_FAILED', field: at(field), message: inArray ? `[${index}].${message}` : message } };
    }
    const report = item as ChannelReport;
    const key = report.externalId ? `ext:${report.externalId}` : `sha256:${crypto.createHash('sha256').update(JSON.stringify(canonical(report))).digest('hex')}`;
    try {
      const r = await submit(this.ctx, { channel: 'department', report, key, keyField: 'externalId' }, FILE_DROP_ACTOR);
      return {
        index, ok: true, caseId: Number(r.row.id), caseNo: r.row.case_no, created: r.created,
        ...(r.duplicateOf ? { duplicateOf: r.duplicateOf.caseNo } : {}),
      };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err; // not a refusal: the file stays in processing/ and is retried at the next start
      return { index, ok: false, error: { code: err.code, ...(err.field ? { field: at(err.field) } : {}), message: err.message } };
    }
  }
}

export const fileDropChannel: IntakeChannel = {
  name: 'file-drop',
  title: { zh: '文件投递', en: 'File drop' },
  start: async (ctx) => {
    if (!ctx.config.intakeDropDir) return null;
    const c = new FileDropConsumer(ctx, ctx.config.intakeDropDir, ctx.config.intakeDropIntervalMs);
    c.start();
    return c;
  },
};
