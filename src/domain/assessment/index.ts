/** Assessment (issue 10 parts 1–3): facts, counters, indicators, scores. Pure: no I/O, time is an argument. */
export * from './counters.ts';
export * from './facts.ts';
export * from './contributions.ts';
export * from './indicators.ts';
export * from './formula.ts';
export * from './period.ts';
export * from './explain.ts';
export * from './coordination.ts';
