/**
 * Grid coverage of a shift (巡查覆盖): which grids each member's track passed through, and which grids of the area
 * nobody visited. Pure: the caller has already placed each track point in its grid (src/domain/grid) and may have
 * summed them per resource and grid (the repository does, in SQL).
 */
export interface GridVisit { resourceId: string; gridId: string; firstAt: number; lastAt: number; points: number }

export interface Coverage {
  /** Per resource: the grids visited, in first-visit order. */
  byResource: { resourceId: string; grids: { gridId: string; firstAt: number; lastAt: number; points: number }[] }[];
  /** Grids of `gridIds` no one visited, in the given order. */
  unvisited: string[];
  /** Visited share of `gridIds`, 0..1 (1 when there are no grids). */
  coveredShare: number;
}

/** One visit per track point (`at`), for callers holding raw points. */
export const pointVisits = (points: readonly { resourceId: string; gridId: string; at: number }[]): GridVisit[] =>
  points.map((p) => ({ resourceId: p.resourceId, gridId: p.gridId, firstAt: p.at, lastAt: p.at, points: 1 }));

export function coverageOf(visits: readonly GridVisit[], gridIds: readonly string[]): Coverage {
  const by = new Map<string, Map<string, { gridId: string; firstAt: number; lastAt: number; points: number }>>();
  const visited = new Set<string>();
  const sorted = [...visits].sort((a, b) => a.firstAt - b.firstAt);
  for (const v of sorted) {
    visited.add(v.gridId);
    let grids = by.get(v.resourceId);
    if (!grids) by.set(v.resourceId, (grids = new Map()));
    const g = grids.get(v.gridId);
    if (g) {
      g.lastAt = Math.max(g.lastAt, v.lastAt);
      g.points += v.points;
    } else grids.set(v.gridId, { gridId: v.gridId, firstAt: v.firstAt, lastAt: v.lastAt, points: v.points });
  }
  const unvisited = gridIds.filter((g) => !visited.has(g));
  return {
    byResource: [...by].map(([resourceId, grids]) => ({ resourceId, grids: [...grids.values()] })).sort((a, b) => a.resourceId.localeCompare(b.resourceId)),
    unvisited,
    coveredShare: gridIds.length === 0 ? 1 : (gridIds.length - unvisited.length) / gridIds.length,
  };
}
