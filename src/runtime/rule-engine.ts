/**
 * The rule engine (issue 11 part 3; docs/issue-11/rules-alarms-video.md): listens to stored readings and device
 * status changes (`sensingHooks(ctx).onReadings/onStatus`), runs the enabled rules that apply to each device and
 * hands raises and clears to the alarm commands.
 *
 * Cheap per reading (≥ 50,000 readings/s): rules are indexed by device, device type and scenario; each device's
 * entry caches its rules and their states (src/domain/sensing/rule-eval.ts, mutated in place), so a reading costs a
 * map lookup and one step per rule. Devices are read from the registry on first sight (one query per batch for all
 * unknown ones) and again after DEVICE_TTL_MS (a device moved to another type or scenario). State lives in memory;
 * after a restart it is rebuilt from the open alarms (an alarm raised before the stop clears when readings are normal,
 * and does not fire twice). Effects (alarm writes) run one after another in event order, off the evaluation path; the
 * listener's promise resolves once the effects of its batch are written, so ingestion acknowledges nothing before.
 *
 * One engine per running context. Rule saves call `reload()` on the node that saved (other nodes: see the docs).
 */
import type { Device, DeviceStatusChange, Reading } from '../domain/sensing/types.ts';
import type { SensingRule } from '../domain/sensing/rule-types.ts';
import { activeRuleState, newRuleState, stepReading, stepStatus, type RuleState, type Step } from '../domain/sensing/rule-eval.ts';
import { toRule } from '../storage/repositories/rule.repository.ts';
import { clearRuleAlarm, raiseRuleAlarm, resumeSubmissions } from '../commands/alarm-raise.ts';
import { sensingHooks } from './sensing-hooks.ts';
import type { AppContext } from './context.ts';

const DEVICE_TTL_MS = 10 * 60_000;
const EMPTY: readonly SensingRule[] = [];

interface Entry {
  device: Device | null;
  loadedAt: number;
  gen: number;
  rules: readonly SensingRule[];
  states: RuleState[];
}

export interface EngineStats { readings: number; raised: number; cleared: number; failed: number; devices: number; rules: number }

/** A raise or clear to write. In the MQTT ingest worker (intake/mqtt/ingest-worker.ts) it is posted to the main thread. */
export interface RuleEffect { step: 'raise' | 'clear'; rule: SensingRule; device: Device; at: number; values: Record<string, number> }
export type EffectSink = (e: RuleEffect) => Promise<unknown>;

/**
 * Writes one effect (the alarm commands; alarms become cases through the intake contract there). `deferFiling`: the
 * promise resolves once the alarm is stored and its case is filed afterwards (alarm-raise.ts fileLater).
 */
export const applyRuleEffect = (ctx: AppContext, e: RuleEffect, opts: { deferFiling?: boolean } = {}): Promise<unknown> => e.step === 'raise'
  ? raiseRuleAlarm(ctx, e.rule, e.device, e.at, e.values, { defer: opts.deferFiling })
  : clearRuleAlarm(ctx, e.rule.id, e.device.id, e.at, e.values);

export class RuleEngine {
  private byDevice = new Map<string, SensingRule[]>();
  private byType = new Map<string, SensingRule[]>();
  private byScenario = new Map<string, SensingRule[]>();
  private gen = 0;
  private entries = new Map<string, Entry>();
  private chain: Promise<void> = Promise.resolve();
  private ruleCount = 0;
  readonly stats = { readings: 0, raised: 0, cleared: 0, failed: 0 };

  /** `sink`: where raises and clears go (default: written here, with this context). */
  constructor(private readonly ctx: AppContext, private readonly sink: EffectSink = (e) => applyRuleEffect(ctx, e)) {}

  /** Loads the enabled rules and restores the state of every open alarm (`resume`: also resume held submissions). */
  async start(resume = true): Promise<void> {
    await this.reload();
    const open = await this.ctx.store.alarms.openRuleAlarms();
    if (open.length) {
      await this.load([...new Set(open.map((a) => a.device_id))]);
      for (const a of open) {
        const e = this.entries.get(a.device_id);
        if (!e?.device) continue;
        const i = e.rules.findIndex((r) => r.id === a.rule_id);
        if (i >= 0) e.states[i] = activeRuleState(e.rules[i].condition, Number(a.last_raised_at));
      }
    }
    if (resume) await resumeSubmissions(this.ctx);
  }

  /** Re-reads the enabled rules; devices pick up their new rules on their next reading (states of unchanged rules kept). */
  async reload(): Promise<void> {
    const rules = (await this.ctx.store.sensingRules.listRules({ enabledOnly: true })).map(toRule);
    const idx = (kind: string) => {
      const m = new Map<string, SensingRule[]>();
      for (const r of rules) if (r.scope.kind === kind) { const l = m.get(r.scope.id); if (l) l.push(r); else m.set(r.scope.id, [r]); }
      return m;
    };
    this.byDevice = idx('device');
    this.byType = idx('type');
    this.byScenario = idx('scenario');
    this.ruleCount = rules.length;
    this.gen++;
    sensingHooks(this.ctx).changed({ kind: 'rules' });
  }

  /** Forget a device's registry facts (its next reading reads them again); states are kept. */
  forgetDevice(id: string): void {
    const e = this.entries.get(id);
    if (e) e.loadedAt = Number.NEGATIVE_INFINITY;
  }

  /** Resolves when every effect queued so far is written. */
  idle(): Promise<void> { return this.chain; }

  snapshot(): EngineStats { return { ...this.stats, devices: this.entries.size, rules: this.ruleCount }; }

  private rulesOf(d: Device): readonly SensingRule[] {
    const a = this.byDevice.get(d.id), b = this.byType.get(d.typeId), c = d.scenario ? this.byScenario.get(d.scenario) : undefined;
    if (!a && !b && !c) return EMPTY;
    return [...(a ?? []), ...(b ?? []), ...(c ?? [])];
  }

  /** The entry's rules for the current generation (states of rules whose id and version did not change are kept). */
  private refresh(e: Entry): void {
    if (e.gen === this.gen || !e.device) return;
    const rules = this.rulesOf(e.device);
    const states = rules.map((r) => {
      const i = e.rules.findIndex((o) => o.id === r.id && o.version === r.version);
      return i >= 0 ? e.states[i] : newRuleState(r.condition);
    });
    e.rules = rules; e.states = states; e.gen = this.gen;
  }

  private async load(ids: string[]): Promise<void> {
    const now = this.ctx.clock.now();
    const found = new Map((await this.ctx.store.devices.findDevices(ids)).map((d) => [d.id, d]));
    for (const id of ids) {
      const d = found.get(id) ?? null;
      const old = this.entries.get(id);
      if (old) { old.device = d; old.loadedAt = now; old.gen = -1; this.refresh(old); continue; }
      const e: Entry = { device: d, loadedAt: now, gen: -1, rules: EMPTY, states: [] };
      this.refresh(e);
      this.entries.set(id, e);
    }
  }

  private enqueue(fn: () => Promise<unknown>): Promise<void> {
    this.chain = this.chain.then(fn).then(() => undefined, (err) => {
      this.stats.failed++;
      this.ctx.log.error({ err }, 'sensing: an alarm could not be written');
    });
    return this.chain;
  }

  private effect(step: Step, rule: SensingRule, device: Device, at: number, values: Record<string, number>): void {
    if (step !== 'raise' && step !== 'clear') return;
    if (step === 'raise') this.stats.raised++;
    else this.stats.cleared++;
    void this.enqueue(() => this.sink({ step, rule, device, at, values }));
  }

  private evaluate(e: Entry, r: Reading): boolean {
    if (e.gen !== this.gen) this.refresh(e);
    const rules = e.rules;
    let fired = false;
    for (let i = 0; i < rules.length; i++) {
      const step = stepReading(rules[i].condition, e.states[i], r.at, r.values);
      if (step) { this.effect(step, rules[i], e.device!, r.at, r.values); fired = true; }
    }
    return fired;
  }

  /** The readings listener: synchronous unless a device must be read or an alarm written. */
  onReadings = (readings: readonly Reading[]): Promise<void> | void => {
    const now = this.ctx.clock.now();
    let fired = false;
    let missing: Reading[] | undefined;
    this.stats.readings += readings.length;
    for (const r of readings) {
      const e = this.entries.get(r.deviceId);
      if (!e || now - e.loadedAt > DEVICE_TTL_MS) { (missing ??= []).push(r); continue; }
      if (e.device && this.evaluate(e, r)) fired = true;
    }
    if (missing) {
      const batch = missing;
      return this.load([...new Set(batch.map((r) => r.deviceId))]).then(() => {
        for (const r of batch) { const e = this.entries.get(r.deviceId)!; if (e.device) this.evaluate(e, r); }
        return this.chain;
      });
    }
    return fired ? this.chain : undefined;
  };

  onStatus = async (changes: readonly DeviceStatusChange[]): Promise<void> => {
    const unknown = changes.filter((c) => !this.entries.has(c.deviceId)).map((c) => c.deviceId);
    if (unknown.length) await this.load([...new Set(unknown)]);
    for (const c of changes) {
      const e = this.entries.get(c.deviceId);
      if (!e?.device) continue;
      if (e.gen !== this.gen) this.refresh(e);
      for (let i = 0; i < e.rules.length; i++) {
        this.effect(stepStatus(e.rules[i].condition, e.states[i], c.at, c.state), e.rules[i], e.device, c.at, {});
      }
    }
    await this.chain;
  };
}

const engines = new WeakMap<AppContext, RuleEngine>();

/** The running engine of a context, if it was started. */
export const ruleEngine = (ctx: AppContext): RuleEngine | undefined => engines.get(ctx);

/** Starts the engine once per context and registers it with the sensing hooks. */
export async function startRuleEngine(ctx: AppContext, sink?: EffectSink): Promise<RuleEngine> {
  let e = engines.get(ctx);
  if (e) return e;
  e = new RuleEngine(ctx, sink);
  engines.set(ctx, e);
  await e.start(!sink);
  const hooks = sensingHooks(ctx);
  hooks.onReadings(e.onReadings);
  hooks.onStatus(e.onStatus);
  return e;
}
