/**
 * The ingestion pipeline of city sensing (issue 11 part 2; docs/issue-11/ingestion.md), shared by every edge: the
 * embedded MQTT broker, the external broker's consumer, HTTP ingestion and NGSI-LD notifications. An edge hands over
 * a device's payload and waits; the answer comes once the readings are COMMITTED, so the edge acknowledges (PUBACK,
 * HTTP 2xx) only what is stored.
 *
 *   payload → known device? (cache; unknown ids cached briefly so a flood of them costs no queries)
 *           → parse + check against its type (payload-telemetry.ts) → flood bucket (reading-flood.ts)
 *           → group commit: every reading waiting when the writer becomes free goes in ONE transaction
 *           → resolve the edges' promises → last seen, per-device counts, devices back online
 *           → sensingHooks(ctx).readingsStored(batch), in order, after the commit (rules live there)
 *
 * Refusals never throw: they are answered to the edge (with the field named) and counted per device (flushed to
 * `device_ingest_stats` every few seconds, shown on the device page). One device's bad input or flood costs the
 * others nothing but the parse.
 */
import type { AppContext } from './context.ts';
import type { DeviceType, Reading } from '../domain/sensing/types.ts';
import { parseTelemetry, type Rejection, type RejectReason } from '../domain/sensing/payload-telemetry.ts';
import { isRejection, parseStatus } from '../domain/sensing/payload-status.ts';
import { newBucket, take, type Bucket } from '../domain/sensing/reading-flood.ts';
import { DEFAULT_SENSING_LIMITS, type SensingLimits } from '../domain/sensing/reading-limits.ts';
import { sensingHooks } from './sensing-hooks.ts';
import { changeDeviceStates } from '../commands/device-state.ts';
import { verifyDeviceSecret } from '../security/device-secrets.ts';
import type { IngestStatsDelta } from '../storage/repositories/device.repository.ts';

export const INGEST_ACTOR = 'sensing-ingest';
const DEVICE_TTL_MS = 5 * 60_000;
const UNKNOWN_TTL_MS = 30_000;
const FLUSH_EVERY_MS = 10_000;
const MAX_BATCH = 5000;
/** Batches handed to listeners but not yet finished; beyond this, commits wait (and so do acknowledgements). */
const MAX_HOOK_BACKLOG = 20;
/** Devices brought back online by their readings are written together, at most this many per transaction (a short hold of the write lock). */
const MAX_ONLINE_BATCH = 1000;
/** The warm-up at start loads at most this many devices (pages of WARM_PAGE). */
const WARM_MAX = 1_000_000;
const WARM_PAGE = 20_000;

interface Entry {
  typeId: string;
  state: string;
  secretHash: string | null;
  loadedAt: number;
  bucket?: Bucket;
}

export interface IngestAnswer {
  accepted: number;
  rejections: Rejection[];
}

export interface IngestCounters {
  accepted: number;
  rejected: number;
  unknownDevices: number;
  batches: number;
  lastBatchSize: number;
  byReason: Partial<Record<RejectReason, number>>;
}

interface Waiter { count: number; resolve(): void; reject(e: unknown): void }

export class SensingIngester {
  private devices = new Map<string, Entry>();
  private unknown = new Map<string, number>();
  private types = new Map<string, DeviceType>();
  private typesAt = 0;
  private pendingLoads = new Map<string, Promise<Entry | undefined>>();
  private loadQueue: { id: string; resolve(e: Entry | undefined): void; reject(e: unknown): void }[] = [];
  private loadScheduled = false;
  // group commit
  private d: string[] = [];
  private a: number[] = [];
  private v: string[] = [];
  private readings: Reading[] = [];
  private waiters: Waiter[] = [];
  private writing = false;
  private scheduled = false;
  private hookChain: Promise<void> = Promise.resolve();
  private hookBacklog = 0;
  // per-device bookkeeping, flushed every few seconds
  private seen = new Map<string, number>();
  // devices whose readings brought them back online, written together (one transaction for all of them)
  private online = new Map<string, { at: number; e: Entry }>();
  private onlineWriting: Promise<void> | undefined;
  private stats = new Map<string, IngestStatsDelta>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  readonly counters: IngestCounters = { accepted: 0, rejected: 0, unknownDevices: 0, batches: 0, lastBatchSize: 0, byReason: {} };

  /** Where a batch goes (the reading repository; a test makes it fail to prove nothing unstored is acknowledged). */
  write: (d: string[], a: number[], v: string[]) => Promise<void>;

  constructor(private ctx: AppContext) {
    this.write = (d, a, v) => ctx.store.readings.insertBatch(d, a, v);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => { void this.flushBookkeeping().catch((err) => this.ctx.log.error(err, 'sensing: flushing device counts failed')); }, FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    while (this.writing || this.d.length) {
      if (this.writing) await new Promise((r) => setTimeout(r, 5));
      else await this.commitNow().catch(() => undefined);
    }
    await this.hookChain;
    while (this.onlineWriting) await this.onlineWriting;
    await this.flushBookkeeping();
  }

  /**
   * Loads every registered device into the cache at once (pages of WARM_PAGE ids, in id order): after a start, the
   * first messages of 100,000 devices would otherwise each miss the cache. Devices already cached are kept.
   */
  async warm(): Promise<number> {
    let after = '';
    let n = 0;
    while (n < WARM_MAX) {
      const page = await this.ctx.store.devices.ingestInfoPage(after, WARM_PAGE);
      const now = this.ctx.clock.now();
      for (const r of page) {
        if (!this.devices.has(r.id)) this.devices.set(r.id, { typeId: r.typeId, state: r.state, secretHash: r.secretHash, loadedAt: now });
        this.unknown.delete(r.id);
      }
      n += page.length;
      if (page.length < WARM_PAGE) break;
      after = page[page.length - 1].id;
    }
    return n;
  }

  /** Forget what is cached of a device (its credential was rotated, it was edited or deleted). */
  forget(deviceId: string): void {
    this.devices.delete(deviceId);
    this.unknown.delete(deviceId);
    sensingHooks(this.ctx).changed({ kind: 'device', id: deviceId });
  }

  forgetTypes(): void { this.typesAt = 0; sensingHooks(this.ctx).changed({ kind: 'types' }); }

  // ── devices and types ─────────────────────────────────────────────────────────────────────────────────────────

  /** The city's limits (settings row sensing_limits, in the reference cache: a bad row falls back to the defaults there). */
  private async currentLimits(): Promise<SensingLimits> {
    return this.ctx.ref.current().sensingLimits ?? DEFAULT_SENSING_LIMITS;
  }

  private typesLoading: Promise<void> | undefined;

  /** The device type (all types cached; reloaded every minute, or when an unknown type is asked for, at most once a second). */
  private async typeOf(id: string): Promise<DeviceType | undefined> {
    const now = this.ctx.clock.now();
    const stale = now - this.typesAt > 60_000 || (!this.types.has(id) && now - this.typesAt > 1000);
    if (stale || this.typesLoading) {
      this.typesLoading ??= this.ctx.store.devices.listTypes().then((list) => {
        this.types = new Map(list.map((t) => [t.id, t]));
        this.typesAt = this.ctx.clock.now();
      }).finally(() => { this.typesLoading = undefined; });
      await this.typesLoading;
    }
    return this.types.get(id);
  }

  /** The device as ingestion knows it; undefined for an unknown id. Misses are looked up together, in batches. */
  async device(id: string): Promise<Entry | undefined> {
    const now = this.ctx.clock.now();
    const e = this.devices.get(id);
    if (e && now - e.loadedAt < DEVICE_TTL_MS) return e;
    const u = this.unknown.get(id);
    if (u !== undefined && u > now) return undefined;
    let p = this.pendingLoads.get(id);
    if (!p) {
      p = new Promise<Entry | undefined>((resolve, reject) => this.loadQueue.push({ id, resolve, reject }));
      this.pendingLoads.set(id, p);
      if (!this.loadScheduled) { this.loadScheduled = true; setImmediate(() => { void this.loadMisses(); }); }
    }
    return p;
  }

  private async loadMisses(): Promise<void> {
    this.loadScheduled = false;
    const q = this.loadQueue.splice(0);
    try {
      const found = new Map((await this.ctx.store.devices.ingestInfo(q.map((x) => x.id))).map((r) => [r.id, r]));
      const now = this.ctx.clock.now();
      for (const item of q) {
        this.pendingLoads.delete(item.id);
        const r = found.get(item.id);
        if (!r) { if (this.unknown.size > 100_000) this.unknown.clear(); this.unknown.set(item.id, now + UNKNOWN_TTL_MS); item.resolve(undefined); continue; }
        const old = this.devices.get(item.id);
        const entry: Entry = { typeId: r.typeId, state: r.state, secretHash: r.secretHash, loadedAt: now, bucket: old?.bucket };
        this.devices.set(item.id, entry);
        item.resolve(entry);
      }
    } catch (err) {
      for (const item of q) { this.pendingLoads.delete(item.id); item.reject(err); }
    }
  }

  /** A device's credential check (embedded broker CONNECT, HTTP ingestion). */
  async authenticate(deviceId: string, secret: string): Promise<boolean> {
    const e = await this.device(deviceId);
    return !!e && verifyDeviceSecret(secret, e.secretHash);
  }

  // ── counting ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Counts a refusal against a device (unknown devices only in the totals: they have no page). */
  refuse(deviceId: string | null, r: Rejection, known = true): void {
    this.counters.rejected++;
    this.counters.byReason[r.reason] = (this.counters.byReason[r.reason] ?? 0) + 1;
    if (r.reason === 'unknown_device') this.counters.unknownDevices++;
    if (!deviceId || !known) return;
    const s = this.statsOf(deviceId);
    s.rejected++;
    s.byReason[r.reason] = (s.byReason[r.reason] ?? 0) + 1;
    s.last = { reason: r.reason, field: r.field, message: r.message, at: this.ctx.clock.now() };
  }

  private statsOf(deviceId: string): IngestStatsDelta {
    let s = this.stats.get(deviceId);
    if (!s) this.stats.set(deviceId, (s = { deviceId, accepted: 0, rejected: 0, byReason: {} }));
    return s;
  }

  // ── the edges' entry points ───────────────────────────────────────────────────────────────────────────────────

  /** Telemetry of one device (raw payload or decoded JSON). Resolves once the accepted readings are committed. */
  async telemetry(deviceId: string, payload: unknown): Promise<IngestAnswer> {
    const now = this.ctx.clock.now();
    const e = await this.device(deviceId);
    if (!e) return this.unknownDevice(deviceId);
    const type = await this.typeOf(e.typeId);
    if (!type) return this.refused(deviceId, { reason: 'malformed', field: 'typeId', message: `typeId: device type ${e.typeId} is not registered` });
    const limits = await this.currentLimits();
    const parsed = parseTelemetry(payload, deviceId, type, now, { maxFutureMs: limits.maxFutureMs, maxAgeMs: limits.maxAgeMs, maxBatch: limits.maxBatch });
    for (const r of parsed.rejections) this.refuse(deviceId, r);
    if (!parsed.readings.length) return { accepted: 0, rejections: parsed.rejections };
    return this.accept(deviceId, e, parsed.readings, parsed.rejections, limits);
  }

  /** Readings already mapped by an edge (NGSI-LD); still checked against the device's type. */
  async readingsOf(deviceId: string, items: { at: number; values: Record<string, unknown> }[]): Promise<IngestAnswer> {
    return this.telemetry(deviceId, items.map((i) => ({ at: i.at, values: i.values })));
  }

  private async accept(deviceId: string, e: Entry, readings: Reading[], rejections: Rejection[], limits: SensingLimits): Promise<IngestAnswer> {
    const now = this.ctx.clock.now();
    e.bucket ??= newBucket(now, limits);
    if (!take(e.bucket, readings.length, now, limits)) {
      const r: Rejection = { reason: 'flood', field: 'payload', message: `payload: more than ${limits.ratePerSecond} readings a second (burst ${limits.burst}) from ${deviceId}; slow down` };
      for (let i = 0; i < readings.length; i++) this.refuse(deviceId, r);
      return { accepted: 0, rejections: [...rejections, r] };
    }
    await this.enqueue(readings);
    // Accepted readings are counted in the totals only: per device they are the stored readings themselves (the device
    // page counts them), and a row per device every few seconds would cost the store more than the readings.
    this.counters.accepted += readings.length;
    let last = 0;
    for (const r of readings) if (r.at > last) last = r.at;
    const prev = this.seen.get(deviceId);
    if (prev === undefined || prev < last) this.seen.set(deviceId, last);
    if (e.state === 'offline') {
      e.state = 'online';
      this.backOnline(deviceId, last, e);
    }
    return { accepted: readings.length, rejections };
  }

  /**
   * A device's readings (committed) brought it back online. The changes are written together — one transaction for
   * every device waiting (at most MAX_ONLINE_BATCH), one after another —: after a start or an outage every device of
   * the city comes back at once, and a transaction each (state, history row, outbox event) cost more than its readings.
   */
  private backOnline(deviceId: string, at: number, e: Entry): void {
    const had = this.online.get(deviceId);
    if (!had || had.at < at) this.online.set(deviceId, { at, e });
    this.writeOnline();
  }

  private writeOnline(): void {
    if (this.onlineWriting || !this.online.size) return;
    this.onlineWriting = (async () => {
      await new Promise((r) => setImmediate(r)); // let the devices of the same batch join
      while (this.online.size) {
        const take: [string, { at: number; e: Entry }][] = [];
        for (const entry of this.online) { take.push(entry); if (take.length === MAX_ONLINE_BATCH) break; } // not a copy of the whole map each round
        for (const [id] of take) this.online.delete(id);
        try {
          await changeDeviceStates(this.ctx, take.map(([id, o]) => ({ deviceId: id, to: 'online', at: o.at, detail: 'readings' })), 'reading', INGEST_ACTOR, ['offline']);
        } catch (err) {
          for (const [, o] of take) if (o.e.state === 'online') o.e.state = 'offline';
          this.ctx.log.error(err, `sensing: marking ${take.length} device(s) online failed`);
        }
      }
    })().finally(() => { this.onlineWriting = undefined; this.writeOnline(); });
  }

  /** A status message of one device. */
  async status(deviceId: string, payload: unknown): Promise<IngestAnswer> {
    const now = this.ctx.clock.now();
    const e = await this.device(deviceId);
    if (!e) return this.unknownDevice(deviceId);
    const limits = await this.currentLimits();
    const s = parseStatus(payload, deviceId, now, { maxFutureMs: limits.maxFutureMs, maxAgeMs: limits.maxAgeMs, maxBatch: limits.maxBatch });
    if (isRejection(s)) return this.refused(deviceId, s);
    const prev = this.seen.get(deviceId);
    if (s.state !== 'offline' && (prev === undefined || prev < s.at)) this.seen.set(deviceId, s.at);
    // An operator's maintenance mark is not lifted by the device: only an operator ends maintenance.
    if (e.state !== s.state && e.state !== 'maintenance') {
      const changed = await changeDeviceStates(this.ctx, [{ deviceId, to: s.state, at: s.at, detail: s.detail }], 'status', INGEST_ACTOR, ['online', 'offline', 'fault']);
      if (changed.length) e.state = s.state;
    }
    return { accepted: 1, rejections: [] };
  }

  private unknownDevice(deviceId: string): IngestAnswer {
    const r: Rejection = { reason: 'unknown_device', field: 'deviceId', message: `deviceId: ${deviceId.slice(0, 80)} is not a registered device` };
    this.refuse(deviceId, r, false);
    return { accepted: 0, rejections: [r] };
  }

  private refused(deviceId: string, r: Rejection): IngestAnswer {
    this.refuse(deviceId, r);
    return { accepted: 0, rejections: [r] };
  }

  // ── group commit ──────────────────────────────────────────────────────────────────────────────────────────────

  private enqueue(readings: Reading[]): Promise<void> {
    for (const r of readings) {
      this.d.push(r.deviceId);
      this.a.push(r.at);
      this.v.push(JSON.stringify(r.values));
      this.readings.push(r);
    }
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ count: readings.length, resolve, reject }));
    if (!this.writing && !this.scheduled) {
      this.scheduled = true;
      // Let the messages already read from the sockets join this batch.
      setImmediate(() => { this.scheduled = false; void this.commitNow().catch(() => undefined); });
    }
    return p;
  }

  private async commitNow(): Promise<void> {
    if (this.writing || this.d.length === 0) return;
    this.writing = true;
    try {
      while (this.d.length) {
        if (this.hookBacklog > MAX_HOOK_BACKLOG) await this.hookChain;
        const { n, waiters } = this.nextWaiters();
        const d = this.d.splice(0, n), a = this.a.splice(0, n), v = this.v.splice(0, n);
        const batch = this.readings.splice(0, n);
        try {
          await this.write(d, a, v);
        } catch (err) {
          this.ctx.log.error(err, `sensing: storing ${n} reading(s) failed; they are not acknowledged`);
          for (const w of waiters) w.reject(err);
          continue;
        }
        this.counters.batches++;
        this.counters.lastBatchSize = n;
        for (const w of waiters) w.resolve();
        this.hookBacklog++;
        this.hookChain = this.hookChain.then(() => sensingHooks(this.ctx).readingsStored(batch)).finally(() => { this.hookBacklog--; });
      }
    } finally {
      this.writing = false;
    }
  }

  /** The waiters (with their reading counts) that fill the next batch; a message's readings are never split. */
  private nextWaiters(): { n: number; waiters: Waiter[] } {
    let n = 0;
    let k = 0;
    while (k < this.waiters.length && (k === 0 || n + this.waiters[k].count <= MAX_BATCH)) { n += this.waiters[k].count; k++; }
    return { n, waiters: this.waiters.splice(0, k) };
  }

  // ── bookkeeping ───────────────────────────────────────────────────────────────────────────────────────────────

  /** Writes last-seen instants and per-device counts (every few seconds, and before the heartbeat job looks). */
  flushBookkeeping(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      const seen = [...this.seen.entries()];
      this.seen.clear();
      const stats = [...this.stats.values()];
      this.stats.clear();
      const now = this.ctx.clock.now();
      if (seen.length) await this.ctx.store.devices.touchLastSeen(seen);
      if (stats.length) await this.ctx.store.devices.addIngestStats(stats, now);
    })().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  /** Called by the heartbeat job when it moved devices offline: the cache must not think they are online. */
  markedOffline(ids: readonly string[]): void {
    for (const id of ids) { const e = this.devices.get(id); if (e) e.state = 'offline'; }
    if (ids.length) sensingHooks(this.ctx).changed({ kind: 'offline', ids });
  }
}

const ingesters = new WeakMap<AppContext, SensingIngester>();

/** The context's ingester (made and started on first use). */
export function sensingIngester(ctx: AppContext): SensingIngester {
  let i = ingesters.get(ctx);
  if (!i) { ingesters.set(ctx, (i = new SensingIngester(ctx))); i.start(); }
  return i;
}

/** Stops the context's ingester, if one was made: commits what waits, flushes the counts. */
export async function stopSensingIngester(ctx: AppContext): Promise<void> {
  const i = ingesters.get(ctx);
  if (!i) return;
  ingesters.delete(ctx);
  await i.stop();
  await ctx.store.readings.stopWriter();
}
