/**
 * Field resources in memory, per running context: every resource's latest state (on duty, last position, its
 * grid and regions) in a bucketed spatial index for "nearest people", the city's limits and extent, and the
 * position writer that batches fixes into few statements (group commit: each request waits for the batch that holds
 * its fixes, so an answered fix is stored).
 *
 * Several nodes (PostgreSQL): each node applies its own writes at once and reads the rows other nodes changed
 * (`field_latest.updated_at`) at most every `SYNC_MS`; on SQLite there is one process, so nothing to read back.
 */
import { DEFAULT_FIELD_LIMITS, NearestIndex, parseFieldLimits, type Bounds, type FieldLimits, type ResourceKind } from '../domain/field/index.ts';
import type { LatestRow, TrackInsert } from '../storage/repositories/field.repository.ts';
import type { AppContext } from './context.ts';

export interface LiveResource {
  resourceId: string;
  kind: ResourceKind;
  userId: string | null;
  unitId: string | null;
  label: string;
  onDuty: boolean;
  dutySince: number | null;
  lon: number;
  lat: number;
  /** When the position was taken; null when the resource has no position yet (then it is not in the spatial index). */
  at: number | null;
  gridId: string | null;
  communityId: string | null;
  streetId: string | null;
  districtId: string | null;
  updatedAt: number;
}

const SYNC_MS = 2000;
const SYNC_SLACK_MS = 2000;
const FLUSH_AT = 2000;
const FLUSH_DELAY_MS = 5;
const SETTINGS_MS = 30_000;
const WRITE_SLICE = 250;

interface Pending { track: TrackInsert[]; latest: Map<string, LatestRow>; waiters: { resolve(): void; reject(e: unknown): void }[] }

export class FieldState {
  readonly index = new NearestIndex<LiveResource>();
  readonly all = new Map<string, LiveResource>();
  limits: FieldLimits = DEFAULT_FIELD_LIMITS;
  bounds: Bounds | null = null;
  #boundsVersion = -1;
  #watermark = 0;
  #lastSyncWall = 0;
  #lastSettingsWall = 0;
  #pending: Pending = { track: [], latest: new Map(), waiters: [] };
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(private ctx: AppContext) {}

  async init(): Promise<void> {
    await this.#loadSettings();
    const rows = await this.ctx.store.field.latestChangedSince(0);
    for (const r of rows) this.apply(r);
    this.#lastSyncWall = Date.now();
  }

  async #loadSettings(): Promise<void> {
    const stored = await this.ctx.store.settings.read('field_limits');
    try {
      this.limits = parseFieldLimits(stored, 'field_limits', DEFAULT_FIELD_LIMITS);
    } catch (err) {
      this.ctx.log.warn({ err }, 'setting field_limits is not usable; using the defaults');
      this.limits = DEFAULT_FIELD_LIMITS;
    }
    this.#lastSettingsWall = Date.now();
  }

  /** Catches up with other nodes (PostgreSQL), the city's extent and the limits; cheap when nothing is due. */
  async refresh(): Promise<void> {
    const ref = this.ctx.ref.current();
    if (ref.version !== this.#boundsVersion) {
      this.bounds = await this.ctx.store.field.cityBounds();
      this.#boundsVersion = ref.version;
    }
    const wall = Date.now();
    if (wall - this.#lastSettingsWall > SETTINGS_MS) await this.#loadSettings();
    if (this.ctx.store.dialect !== 'postgres' || wall - this.#lastSyncWall < SYNC_MS) return;
    this.#lastSyncWall = wall;
    const rows = await this.ctx.store.field.latestChangedSince(Math.max(0, this.#watermark - SYNC_SLACK_MS));
    for (const r of rows) {
      const cur = this.all.get(r.resource_id);
      // our own newer write wins over a read of an older row
      if (cur && cur.updatedAt > Number(r.updated_at)) continue;
      if (cur && cur.at !== null && r.at !== null && cur.at > r.at && cur.onDuty === (r.on_duty === 1)) continue;
      this.apply(r);
    }
  }

  /** Applies a stored (or just written) row to memory. */
  apply(r: LatestRow): void {
    const live: LiveResource = {
      resourceId: r.resource_id, kind: r.kind as ResourceKind, userId: r.user_id, unitId: r.unit_id, label: r.label,
      onDuty: Number(r.on_duty) === 1, dutySince: r.duty_since === null ? null : Number(r.duty_since),
      lon: r.lon === null ? 0 : Number(r.lon), lat: r.lat === null ? 0 : Number(r.lat), at: r.at === null ? null : Number(r.at),
      gridId: r.grid_id, communityId: r.community_id, streetId: r.street_id, districtId: r.district_id, updatedAt: Number(r.updated_at),
    };
    this.#watermark = Math.max(this.#watermark, live.updatedAt);
    this.all.set(live.resourceId, live);
    if (live.at === null) this.index.remove(live.resourceId);
    else this.index.upsert(live.resourceId, live);
  }

  /** Sets on/off duty in memory after the command committed. */
  setDuty(row: Pick<LatestRow, 'resource_id' | 'kind' | 'user_id' | 'unit_id' | 'label' | 'on_duty' | 'duty_since' | 'updated_at'>): void {
    const cur = this.all.get(row.resource_id);
    this.apply({
      ...row, lon: cur && cur.at !== null ? cur.lon : null, lat: cur && cur.at !== null ? cur.lat : null, at: cur?.at ?? null,
      grid_id: cur?.gridId ?? null, community_id: cur?.communityId ?? null, street_id: cur?.streetId ?? null, district_id: cur?.districtId ?? null,
    });
  }

  /**
   * Queues accepted fixes; resolves when the batch holding them is committed. Memory is updated at once (so the next
   * fix of the same resource is checked against this one), and rolled back by a reload should the batch fail.
   */
  write(track: TrackInsert[], latest: LatestRow[]): Promise<void> {
    for (const l of latest) {
      const prev = this.#pending.latest.get(l.resource_id);
      if (!prev || (prev.at ?? 0) <= (l.at ?? 0)) this.#pending.latest.set(l.resource_id, l);
      const cur = this.all.get(l.resource_id);
      if (!cur || cur.at === null || cur.at <= (l.at ?? 0)) this.apply(l);
    }
    this.#pending.track.push(...track);
    const done = new Promise<void>((resolve, reject) => this.#pending.waiters.push({ resolve, reject }));
    if (this.#pending.track.length >= FLUSH_AT) this.#schedule(0);
    else this.#schedule(FLUSH_DELAY_MS);
    return done;
  }

  #schedule(delay: number): void {
    if (this.#timer && delay > 0) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushing = this.#flushing.then(() => this.#flush());
    }, delay);
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    if (batch.waiters.length === 0) return;
    this.#pending = { track: [], latest: new Map(), waiters: [] };
    try {
      // In slices of WRITE_SLICE rows, yielding between them: a write holds the event loop (SQLite runs synchronously),
      // so a large batch would hold up every other request (the nearest query on the dispatcher's screen) behind it.
      const latest = [...batch.latest.values()];
      const slices = Math.max(1, Math.ceil(Math.max(batch.track.length, latest.length) / WRITE_SLICE));
      for (let i = 0; i < slices; i++) {
        if (i > 0) await new Promise((r) => setImmediate(r));
        const per = (n: number) => Math.ceil(n / slices);
        await this.ctx.store.field.writePositionBatch(
          batch.track.slice(i * per(batch.track.length), (i + 1) * per(batch.track.length)),
          latest.slice(i * per(latest.length), (i + 1) * per(latest.length)),
        );
      }
      for (const w of batch.waiters) w.resolve();
    } catch (err) {
      for (const w of batch.waiters) w.reject(err);
      // memory may now be ahead of the store: read the truth back
      await this.init().catch(() => {});
    }
  }

  /** Waits for every queued fix to be stored (shutdown, tests, the bench). */
  async drain(): Promise<void> {
    if (this.#pending.waiters.length > 0) this.#schedule(0);
    await new Promise((r) => setTimeout(r, 0));
    await this.#flushing;
  }
}

const states = new WeakMap<AppContext, Promise<FieldState>>();

/** The context's field state, loaded on first use. */
export async function fieldStateOf(ctx: AppContext): Promise<FieldState> {
  let p = states.get(ctx);
  if (!p) {
    const s = new FieldState(ctx);
    p = s.init().then(() => s);
    states.set(ctx, p);
    p.catch(() => { if (states.get(ctx) === p) states.delete(ctx); });
  }
  const s = await p;
  await s.refresh();
  return s;
}
