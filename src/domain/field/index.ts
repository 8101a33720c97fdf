/** Public API of field resources: kinds and limits, distance, position checks, nearest, coverage, rosters. */
export * from './types.ts';
export * from './geo.ts';
export * from './positions.ts';
export * from './nearest.ts';
export * from './coverage.ts';
export * from './roster.ts';
export * from './acting.ts';
