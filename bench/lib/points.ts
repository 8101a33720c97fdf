/**
 * Random report points inside the demo city's grids, for benchmarks that need realistic spread (the duplicate check
 * compares distances): a grid at random, then a point uniform inside it (rejection sampling in its bounding box).
 * Seeded, so every run asks the same questions.
 */
import type { Db } from '../../src/storage/db.ts';
import { bboxOf, pointInPolygon, type PolygonalGeometry } from '../../src/domain/grid/index.ts';
// the same seeded PRNG (mulberry32) the synthetic grids use
import { seededRandom as rng } from '../../src/domain/grid/synthetic-grids.ts';

export { rng };

export async function randomGridPoints(db: Db, n: number, seed = 311): Promise<[number, number][]> {
  const grids = (await db.selectFrom('grids').select('geometry').execute()).map((g) => {
    const geom = JSON.parse(g.geometry) as PolygonalGeometry;
    return { geom, bbox: bboxOf(geom) };
  });
  const rand = rng(seed);
  const out: [number, number][] = [];
  while (out.length < n) {
    const g = grids[Math.floor(rand() * grids.length)];
    const [x0, y0, x1, y1] = g.bbox;
    for (let tries = 0; tries < 100; tries++) {
      // 6 decimals (~0.1 m), as a client sends them
      const lon = Math.round((x0 + rand() * (x1 - x0)) * 1e6) / 1e6;
      const lat = Math.round((y0 + rand() * (y1 - y0)) * 1e6) / 1e6;
      if (pointInPolygon(lon, lat, g.geom)) {
        out.push([lon, lat]);
        break;
      }
    }
  }
  return out;
}
