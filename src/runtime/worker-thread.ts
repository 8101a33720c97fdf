/**
 * A worker thread running one of our modules: compiled (dist/) it is plain JavaScript; from the sources (tsx) the
 * worker registers tsx first. `from` is the caller's import.meta.url, `name` the module beside it without extension.
 */
import { Worker } from 'node:worker_threads';

export function moduleThread(from: string, name: string, workerData: unknown): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const file = new URL(`./${name}.ts`, from).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(file)}); });`, { eval: true, workerData });
}
