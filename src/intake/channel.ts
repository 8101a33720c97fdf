/**
 * What a channel is: a name, and its edge — HTTP routes, a long-running consumer started by the server, or both.
 * Every channel turns what it receives into a `Submission` and calls `submit` (contract.ts); that is the whole
 * intake contract. Channels are listed in one index (index.ts).
 */
import type { App } from '../http/app.ts';
import type { AppContext } from '../runtime/context.ts';

export interface IntakeChannel {
  /** Short name, e.g. 'open311'; the cases it creates carry a channel code from domain/case/channels.ts. */
  name: string;
  title: { zh: string; en: string };
  /** An HTTP edge: registers its routes (each declares its permission or `public: true`). */
  routes?: (app: App, ctx: AppContext) => Promise<void>;
  /**
   * A long-running consumer (an MQTT subscription, a video-analytics stream, a watched folder): started by the server
   * once it listens, stopped on shutdown. Answers null when it is not configured (then it does not run).
   */
  start?: (ctx: AppContext) => Promise<RunningConsumer | null>;
}

export interface RunningConsumer {
  /** What to say in the start-up log, e.g. "watching /srv/drop every 5 s". */
  describe: string;
  stop(): Promise<void>;
}
