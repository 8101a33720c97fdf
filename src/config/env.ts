/**
 * The environment, parsed once and typed. Nothing else in the code reads process.env
 * (tests and the CLI build a Config explicitly).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedOffsetOf } from '../domain/time-zone.ts';

/** The package root: this file is src/config/env.ts, or dist/config/env.js when compiled. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL URL; undefined → embedded SQLite file `${dataDir}/cityops.sqlite`. */
  databaseUrl?: string;
  logLevel: string;
  /** Session lifetime for browser logins. */
  sessionTtlMs: number;
  /** Idle timeout: a session unused this long expires. */
  sessionIdleMs: number;
  /** Cookie `Secure` flag (set COOKIE_SECURE=1 behind HTTPS). */
  cookieSecure: boolean;
  /** The city's IANA time zone (CITY_TIME_ZONE, default Asia/Shanghai): the console shows every time in it. */
  timeZone: string;
  /** Its fixed UTC offset in minutes (China: +480): local dates (case numbers, "today", calendars) are counted with it. */
  utcOffsetMinutes: number;
  /** Max attachment size in bytes. */
  maxAttachmentBytes: number;
  /** Deadline sweep interval; 0 disables the in-process sweep. */
  sweepIntervalMs: number;
  /** Webhook fan-out and delivery interval; 0 disables the in-process delivery job. */
  webhookIntervalMs: number;
  /** Notification fan-out and emergency escalation interval (issue 9); 0 disables them. */
  notifyIntervalMs: number;
  /** How often the assessment's counting job tails the outbox (issue 10); 0 = not on this node. */
  assessmentIntervalMs: number;
  /** Count on a worker thread of its own (shared stores only): ASSESSMENT_WORKER=on; default on the main thread. */
  assessmentWorker: boolean;
  /** Outbound notification gateways (HTTP POST, JSON); unset → messages are written to the log (the demo). */
  notifySmsUrl?: string;
  notifyWorkMessageUrl?: string;
  /** The built web console (web/dist); when it has no index.html, `/` shows the plain landing page. */
  webDir: string;
  /** Optional basemap for the console's map: a raster tile URL template ({z}/{x}/{y}) or a MapLibre style URL. */
  basemapUrl?: string;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limits key on it): false (the
   * default: the socket's address), true (any), or a comma list of proxy addresses/CIDRs.
   */
  trustProxy: boolean | string;
  /** A folder that department systems drop report files into (intake channel file-drop); unset = the channel is off. */
  intakeDropDir?: string;
  /** How often the drop folder is looked at. */
  intakeDropIntervalMs: number;
  /** How often the export job looks for approved exports to generate and old files to expire (issue 10); 0 turns it off. */
  exportIntervalMs: number;
  /**
   * The demo city's generated history (issue 10 part 8): about this many cases over 13 months, seeded in the background
   * on the first start of a demo city (DEMO_HISTORY, default 200000; 0 or off skips it, as does --no-demo-history).
   */
  demoHistoryCases: number;
  /** Failed sign-ins one client address (IPv6: its /64) may make in 15 minutes, over all usernames, before a 429. */
  loginAddressFailures: number;
  /**
   * City sensing (issue 11, docs/issue-11/ingestion.md). The embedded MQTT broker's port (MQTT_PORT, default 1883;
   * 0 = any free port; `off` = no embedded broker). With MQTT_URL set and MQTT_PORT unset the embedded broker is off.
   */
  mqttPort: number | null;
  /** Address the embedded broker listens on (MQTT_HOST, default HOST). */
  mqttHost: string;
  /** An external broker to consume telemetry from (MQTT_URL, e.g. mqtt://127.0.0.1:1883); unset = none. */
  mqttUrl?: string;
  /** The consumer's client id at the external broker (a persistent session: QoS 1 messages wait for it while it is away). */
  mqttClientId: string;
  /** Several nodes share the subscription (MQTT_SHARE_GROUP → `$share/<group>/cityops/+/telemetry`); unset = one consumer. */
  mqttShareGroup?: string;
  /** The external broker's consumer runs in its own worker thread (MQTT_INGEST_WORKER, default on; `off` = main thread). */
  mqttIngestWorker: boolean;
  /** Rollups, retention and heartbeat job interval (READING_JOB_INTERVAL_MS, default 60000; 0 = off). */
  readingJobIntervalMs: number;
}

function mqttPortOf(env: NodeJS.ProcessEnv): number | null {
  const raw = env.MQTT_PORT;
  if (raw === 'off' || raw === 'false') return null;
  if (raw === undefined || raw === '') return env.MQTT_URL ? null : 1883;
  return int(env, 'MQTT_PORT', 1883, 0, 65535);
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`Environment variable ${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for embedded SQLite)');
  }
  const timeZone = env.CITY_TIME_ZONE || 'Asia/Shanghai';
  let utcOffsetMinutes: number;
  try {
    utcOffsetMinutes = fixedOffsetOf(timeZone);
  } catch (err) {
    throw new Error(`Environment variable ${(err as Error).message}`, { cause: err });
  }
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl,
    logLevel: env.LOG_LEVEL || 'info',
    sessionTtlMs: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30) * 3600_000,
    sessionIdleMs: int(env, 'SESSION_IDLE_MINUTES', 120, 1, 24 * 60) * 60_000,
    cookieSecure: env.COOKIE_SECURE === '1' || env.COOKIE_SECURE === 'true',
    timeZone,
    utcOffsetMinutes,
    maxAttachmentBytes: int(env, 'MAX_ATTACHMENT_MB', 10, 1, 100) * 1024 * 1024,
    sweepIntervalMs: int(env, 'SWEEP_INTERVAL_MS', 30_000, 0),
    webhookIntervalMs: int(env, 'WEBHOOK_INTERVAL_MS', 2000, 0),
    notifyIntervalMs: int(env, 'NOTIFY_INTERVAL_MS', 1000, 0),
    assessmentIntervalMs: int(env, 'ASSESSMENT_INTERVAL_MS', 1000, 0),
    // off by default: on SQLite the thread's commits contend for the one write lock with intake (docs/issue-10/assessment.md §11)
    assessmentWorker: ['on', 'true', 'yes', '1'].includes((env.ASSESSMENT_WORKER ?? '').toLowerCase()),
    notifySmsUrl: env.NOTIFY_SMS_URL || undefined,
    notifyWorkMessageUrl: env.NOTIFY_WORK_MESSAGE_URL || undefined,
    webDir: env.CITYOPS_WEB_DIR ? path.resolve(env.CITYOPS_WEB_DIR) : path.join(ROOT, 'web', 'dist'),
    basemapUrl: env.CITYOPS_BASEMAP_URL || undefined,
    trustProxy: env.TRUST_PROXY === 'true' ? true : env.TRUST_PROXY && env.TRUST_PROXY !== 'false' ? env.TRUST_PROXY : false,
    intakeDropDir: env.INTAKE_DROP_DIR ? path.resolve(env.INTAKE_DROP_DIR) : undefined,
    intakeDropIntervalMs: int(env, 'INTAKE_DROP_INTERVAL_MS', 5000, 100),
    loginAddressFailures: int(env, 'LOGIN_ADDRESS_FAILURES', 50, 1, 100_000),
    exportIntervalMs: int(env, 'EXPORT_INTERVAL_MS', 2000, 0),
    demoHistoryCases: ['off', 'false', 'no'].includes((env.DEMO_HISTORY ?? '').toLowerCase()) ? 0 : int(env, 'DEMO_HISTORY', 200_000, 0, 5_000_000),
    mqttPort: mqttPortOf(env),
    mqttHost: env.MQTT_HOST || env.HOST || '127.0.0.1',
    mqttUrl: env.MQTT_URL || undefined,
    mqttClientId: env.MQTT_CLIENT_ID || 'cityops-ingest',
    mqttShareGroup: env.MQTT_SHARE_GROUP || undefined,
    mqttIngestWorker: !['off', 'false', 'no', '0'].includes((env.MQTT_INGEST_WORKER ?? '').toLowerCase()),
    readingJobIntervalMs: int(env, 'READING_JOB_INTERVAL_MS', 60_000, 0),
    ...overrides,
  };
}
