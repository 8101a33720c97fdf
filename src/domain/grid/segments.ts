/**
 * Classification of two line segments for polygon validation: disjoint, touching at one point, overlapping along a
 * stretch (collinear), or properly crossing. Plain floating-point orientation tests: exact for the integer-like and
 * shared coordinates that make up real topology problems; near-degenerate cases may go either way.
 */
export const NONE = 0;
export const TOUCH = 1; // the segments share exactly one point
export const OVERLAP = 2; // collinear and sharing a stretch
export const CROSS = 3; // proper crossing at an interior point of both

const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number =>
  (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);

/** For a point known to be collinear with s→t: is it within the segment? */
function onSegment(px: number, py: number, sx: number, sy: number, tx: number, ty: number): boolean {
  return px >= Math.min(sx, tx) && px <= Math.max(sx, tx) && py >= Math.min(sy, ty) && py <= Math.max(sy, ty);
}

/** Classifies two segments; `hit` receives a representative point of contact. */
export function classify(
  ax: number, ay: number, bx: number, by: number,
  cx: number, cy: number, dx: number, dy: number,
  hit: number[],
): number {
  const d1 = orient(cx, cy, dx, dy, ax, ay);
  const d2 = orient(cx, cy, dx, dy, bx, by);
  const d3 = orient(ax, ay, bx, by, cx, cy);
  const d4 = orient(ax, ay, bx, by, dx, dy);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    hit[0] = ax + t * (bx - ax);
    hit[1] = ay + t * (by - ay);
    return CROSS;
  }
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    const useX = Math.abs(bx - ax) >= Math.abs(by - ay);
    const a0 = useX ? Math.min(ax, bx) : Math.min(ay, by);
    const a1 = useX ? Math.max(ax, bx) : Math.max(ay, by);
    const c0 = useX ? Math.min(cx, dx) : Math.min(cy, dy);
    const c1 = useX ? Math.max(cx, dx) : Math.max(cy, dy);
    const lo = Math.max(a0, c0);
    const hi = Math.min(a1, c1);
    if (hi < lo) return NONE;
    // report the start of the shared stretch: the endpoint whose coordinate on the axis is `lo`
    const [hx, hy] = (useX ? ax : ay) === lo ? [ax, ay] : (useX ? bx : by) === lo ? [bx, by] : (useX ? cx : cy) === lo ? [cx, cy] : [dx, dy];
    hit[0] = hx;
    hit[1] = hy;
    return hi > lo ? OVERLAP : TOUCH;
  }
  if (d1 === 0 && onSegment(ax, ay, cx, cy, dx, dy)) { hit[0] = ax; hit[1] = ay; return TOUCH; }
  if (d2 === 0 && onSegment(bx, by, cx, cy, dx, dy)) { hit[0] = bx; hit[1] = by; return TOUCH; }
  if (d3 === 0 && onSegment(cx, cy, ax, ay, bx, by)) { hit[0] = cx; hit[1] = cy; return TOUCH; }
  if (d4 === 0 && onSegment(dx, dy, ax, ay, bx, by)) { hit[0] = dx; hit[1] = dy; return TOUCH; }
  return NONE;
}
