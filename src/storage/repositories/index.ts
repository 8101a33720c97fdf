/**
 * The repositories, as the rest of the code sees them: `store.<name>.<function>(…)` outside a transaction and
 * `tx.<name>.<function>(…)` inside `store.transaction(async (tx) => …)`.
 *
 * Each repository is a module of plain functions whose first argument is the connection (`Conn`: the database
 * handle or the open transaction, with its dialect). A `Repositories` object binds that argument once — per
 * database handle for the store, per transaction for `tx` — so callers never see a query builder and never pass
 * a dialect. Binding is lazy (a module is bound on first use), so opening a transaction costs one object.
 *
 * To add a repository: write `<name>.repository.ts` in this folder with functions `(c: Conn, …)`, and add it to
 * MODULES below. That is all: its functions appear on the store and on every transaction, typed.
 */
import type { Conn } from '../db.ts';
import * as admin from './admin.repository.ts';
import * as assessment from './assessment.repository.ts';
import * as assists from './assist.repository.ts';
import * as attachments from './attachment.repository.ts';
import * as auth from './auth.repository.ts';
import * as cases from './case.repository.ts';
import * as devices from './device.repository.ts';
import * as alarms from './alarm.repository.ts';
import * as cameras from './camera.repository.ts';
import * as sensingRules from './rule.repository.ts';
import * as vitals from './vital.repository.ts';
import * as scenarios from './scenario.repository.ts';
import * as demoHistory from './demo-history.repository.ts';
import * as duplicates from './duplicate.repository.ts';
import * as emergencies from './emergency.repository.ts';
import * as exports from './export.repository.ts';
import * as feedback from './feedback.repository.ts';
import * as field from './field.repository.ts';
import * as gazetteer from './gazetteer.repository.ts';
import * as handovers from './handover.repository.ts';
import * as history from './history.repository.ts';
import * as hotline from './hotline.repository.ts';
import * as incidents from './incident.repository.ts';
import * as matterAttributes from './matter-attribute.repository.ts';
import * as levels from './level.repository.ts';
import * as notifications from './notification.repository.ts';
import * as open311 from './open311.repository.ts';
import * as open311Updates from './open311-update.repository.ts';
import * as outbox from './outbox.repository.ts';
import * as readings from './reading.repository.ts';
import * as publicReports from './public-report.repository.ts';
import * as reference from './reference.repository.ts';
import * as rosters from './roster.repository.ts';
import * as referenceQuery from './reference-query.repository.ts';
import * as seed from './seed.repository.ts';
import * as settings from './settings.repository.ts';
import * as stats from './stats.repository.ts';
import * as summons from './summons.repository.ts';
import * as sweep from './sweep.repository.ts';
import * as webhooks from './webhook.repository.ts';
import * as callbacks from './callback.repository.ts';
import * as exclusions from './exclusion.repository.ts';
import * as appeals from './appeal.repository.ts';
import * as supervision from './supervision.repository.ts';
import * as deskHistory from './desk-history.repository.ts';
import * as hotspots from './hotspot.repository.ts';
import * as recurrence from './recurrence.repository.ts';
import * as topics from './topic.repository.ts';
import * as coordination from './coordination.repository.ts';

const MODULES = {
  admin, assists, attachments, auth, cases, duplicates, feedback, gazetteer, history, hotline, matterAttributes, open311, open311Updates, outbox,
  publicReports, reference, referenceQuery, seed, settings, stats, summons, sweep, webhooks,
  levels,
  emergencies, handovers, incidents, notifications, // issue 9 parts 5–7
  field, rosters,
  callbacks, exclusions, appeals, supervision, deskHistory, // issue 10 part 4: the assessment desks
  assessment, // issue 10 part A
  coordination, // issue 9's joint action, summons and levels, counted for issue 10's assessment
  hotspots, recurrence, topics, // issue 10 part 5 (decision support)
  sensingRules, alarms, cameras, vitals, // issue 11 control plane
  scenarios, // issue 11 scenarios (shop signs, wind warnings)
  exports, demoHistory, // issue 10 parts 6 and 8
  devices, readings, // issue 11 data plane
} as const;

type Modules = typeof MODULES;

/** A repository function with its connection bound: the same function without its first parameter. */
type BoundFn<F> = F extends (c: Conn, ...args: infer A) => infer R ? (...args: A) => R : never;
/** The functions of a module that take a connection first (constants and types are left out). */
type Bound<M> = { readonly [K in keyof M as M[K] extends (c: Conn, ...args: never[]) => unknown ? K : never]: BoundFn<M[K]> };

export type Repositories = { readonly [K in keyof Modules]: Bound<Modules[K]> };

function bindModule(mod: Record<string, unknown>, conn: Conn): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(mod)) {
    if (typeof v === 'function' && v.length >= 1) out[name] = (...args: unknown[]) => (v as (...a: unknown[]) => unknown)(conn, ...args);
  }
  return Object.freeze(out);
}

class RepositorySet {
  constructor(readonly conn: Conn) {}
}
for (const [name, mod] of Object.entries(MODULES)) {
  Object.defineProperty(RepositorySet.prototype, name, {
    get(this: RepositorySet) {
      const bound = bindModule(mod as Record<string, unknown>, this.conn);
      Object.defineProperty(this, name, { value: bound, enumerable: true });
      return bound;
    },
  });
}

/** The repositories over one connection or transaction. */
export function repositoriesFor(conn: Conn): Repositories {
  return new RepositorySet(conn) as unknown as Repositories;
}
