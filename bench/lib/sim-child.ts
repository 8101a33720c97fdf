/** The sensing bench's publisher, in a process of its own: runs the simulator and prints its counts as JSON. */
import { runSimulator } from '../../src/cli/simulate.ts';

const o = JSON.parse(process.argv[2]) as { url: string; devices: number; rate: number; batch: number; seconds: number };
const r = await runSimulator({ ...o, perDevice: false, secret: 'bench', log: (m) => process.stderr.write(`[publisher] ${m}\n`) });
process.stdout.write(`${JSON.stringify(r)}\n`);
process.exit(0);
