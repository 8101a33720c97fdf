/**
 * Escalations, assignments down and refusals per platform (the "两层皮" made visible: who sends work up, who pushes it
 * down, who refuses what). Pure: folds the grouped counts of case_transfers into one row per platform.
 */
export interface TransferCount { regionId: string; side: 'from' | 'to'; kind: string; status: string; n: number }

export interface PlatformTransferStats {
  regionId: string;
  /** 上报 sent by this platform, and how many of them its superior refused. */
  escalationsSent: number;
  escalationsSentRefused: number;
  /** 上报 received from lower platforms, and how many this platform refused (退回) / accepted / still waits on. */
  escalationsReceived: number;
  escalationsRefused: number;
  escalationsAccepted: number;
  /** 下派 sent down by this platform, and how many of them the lower platforms refused. */
  assignmentsSent: number;
  assignmentsSentRefused: number;
  /** 下派 received from the superior, and how many this platform refused (拒收). */
  assignmentsReceived: number;
  assignmentsRefused: number;
  assignmentsAccepted: number;
  /** Transfers waiting for this platform now (of those requested in the period). */
  pending: number;
  /** Everything this platform refused: escalationsRefused + assignmentsRefused. */
  refusals: number;
  /** refusals / decided (accepted + refused) transfers received; null when none was decided. */
  refusalRate: number | null;
}

const empty = (regionId: string): PlatformTransferStats => ({
  regionId, escalationsSent: 0, escalationsSentRefused: 0, escalationsReceived: 0, escalationsRefused: 0, escalationsAccepted: 0,
  assignmentsSent: 0, assignmentsSentRefused: 0, assignmentsReceived: 0, assignmentsRefused: 0, assignmentsAccepted: 0,
  pending: 0, refusals: 0, refusalRate: null,
});

export function foldTransferStats(rows: readonly TransferCount[], include: (regionId: string) => boolean = () => true): PlatformTransferStats[] {
  const by = new Map<string, PlatformTransferStats>();
  const of = (id: string) => by.get(id) ?? (by.set(id, empty(id)), by.get(id)!);
  for (const r of rows) {
    if (!include(r.regionId)) continue;
    const s = of(r.regionId);
    const esc = r.kind === 'escalate';
    if (r.side === 'from') {
      if (esc) s.escalationsSent += r.n; else s.assignmentsSent += r.n;
      if (r.status === 'refused') { if (esc) s.escalationsSentRefused += r.n; else s.assignmentsSentRefused += r.n; }
    } else {
      if (esc) s.escalationsReceived += r.n; else s.assignmentsReceived += r.n;
      if (r.status === 'refused') { if (esc) s.escalationsRefused += r.n; else s.assignmentsRefused += r.n; }
      if (r.status === 'accepted') { if (esc) s.escalationsAccepted += r.n; else s.assignmentsAccepted += r.n; }
      if (r.status === 'pending') s.pending += r.n;
    }
  }
  for (const s of by.values()) {
    s.refusals = s.escalationsRefused + s.assignmentsRefused;
    const decided = s.escalationsRefused + s.escalationsAccepted + s.assignmentsRefused + s.assignmentsAccepted;
    s.refusalRate = decided > 0 ? s.refusals / decided : null;
  }
  return [...by.values()].sort((a, b) => b.refusals - a.refusals || a.regionId.localeCompare(b.regionId));
}
