/**
 * The assessment's counters (domain.md §7): what one case contributes to one slice (day × dimension × key).
 * Counters are columns of `assessment_counters` (migration 022), summed over a period's days. The order of FLAGS is
 * the bit order of a fact row's `flags` (stored); never reorder, only append.
 */

/** 0/1 per case. */
export const FLAGS = [
  'reported', // 上报数: every case that entered intake
  'accepted', // 受理数: accepted or registered directly
  'valid', // 有效上报数 / 立案数: registered (verified true or trusted)
  'cancelled', // 作废数: now cancelled (rejected, verified false, merged)
  'self_fixed', // 自行处置数 (patrol)
  'dispatched', // 派遣数 (scored)
  'dispatched_right', // 准确派遣数: dispatched and never returned (scored)
  'to_handle', // 应处置数 = 应结案数 (scored)
  'handled', // 处置数 (scored)
  'handled_on_time', // 按期处置数 (scored)
  'overdue_open', // 超期待处置数 (scored)
  'closed', // 结案数 (scored)
  'closed_on_time', // 按期结案数 (scored)
  'rework', // 返工数 (scored)
  'postponed', // 延期数 (scored)
  'returned', // 退回数 (cases with a return; scored)
  'signed_on_time', // 按时响应数 (Beijing response; scored)
  'called_back', // 回访数 (scored)
  'satisfied', // 满意数 incl. basically satisfied (scored)
  'resolved', // 解决数 (Beijing resolution; scored)
  'hung', // 挂账数: now hung (kept out of to_handle and overdue)
  'excluded', // 无理诉求剔除数: latest exclusion decision approved
  'appeal_accepted', // 申诉成立数 (only in the appealing unit's row)
  'special_closed', // 特殊结案数: leaves the scores
  'verified', // 核实数 (person: verifier)
  'verified_on_time', // 按时核实数
  'checked', // 核查数 (person: checker)
  'checked_on_time', // 按时核查数
] as const;
export type Flag = (typeof FLAGS)[number];

/** Counts per case (may exceed 1). */
export const COUNTS = ['buck_passing', 'supervised', 'urged'] as const;
export type Count = (typeof COUNTS)[number];

/** Stage durations (minutes): created→dispatch, dispatch→sign, dispatch→disposal (hung time excluded), check, created→closed. */
export const STAGES = ['dispatch', 'sign', 'handle', 'check', 'total'] as const;
export type Stage = (typeof STAGES)[number];

/** Histogram bucket upper bounds (minutes) for p90; the last bucket is open (> 15 days). */
export const BUCKETS_MIN = [15, 30, 60, 120, 240, 480, 1440, 2880, 4320, 7200, 10080, 21600] as const;
export const BUCKET_COUNT = BUCKETS_MIN.length + 1;

export const bucketOf = (minutes: number): number => {
  const i = BUCKETS_MIN.findIndex((b) => minutes <= b);
  return i < 0 ? BUCKETS_MIN.length : i;
};

export const durationColumns = (stage: Stage): string[] => [
  `d_${stage}_n`, `d_${stage}_sum`, ...Array.from({ length: BUCKET_COUNT }, (_, i) => `d_${stage}_b${i}`),
];

/** Every counter column, in storage order. */
export const COUNTER_COLUMNS: readonly string[] = [...FLAGS, ...COUNTS, ...STAGES.flatMap(durationColumns)];
export const COLUMN_INDEX: ReadonlyMap<string, number> = new Map(COUNTER_COLUMNS.map((c, i) => [c, i]));

/** Flags that leave the scores when the case is excluded (无理诉求) or closed as special. */
export const SCORED_FLAGS: ReadonlySet<Flag> = new Set<Flag>([
  'dispatched', 'dispatched_right', 'to_handle', 'handled', 'handled_on_time', 'overdue_open', 'closed', 'closed_on_time',
  'rework', 'postponed', 'returned', 'signed_on_time', 'called_back', 'satisfied', 'resolved',
]);

/** The slices counters are kept for. `city` has one key ('').  */
export const DIMENSIONS = ['city', 'district', 'street', 'community', 'grid', 'unit', 'person', 'matter_class', 'channel', 'urgency'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const isDimension = (v: unknown): v is Dimension => typeof v === 'string' && (DIMENSIONS as readonly string[]).includes(v);

/** Counters a person is credited with, by the part they played on the case. */
export const PERSON_FLAGS = {
  reporter: ['reported', 'valid', 'self_fixed'] as readonly Flag[],
  verifier: ['verified', 'verified_on_time'] as readonly Flag[],
  checker: ['checked', 'checked_on_time'] as readonly Flag[],
  // a grid member who held the case as its handler is assessed like a unit
  holder: FLAGS.filter((f) => SCORED_FLAGS.has(f) || f === 'hung' || f === 'excluded' || f === 'appeal_accepted' || f === 'special_closed'),
};
