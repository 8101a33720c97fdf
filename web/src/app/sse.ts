/**
 * Live events from GET /api/v1/events (Server-Sent Events, filtered by the server to what the user may see).
 * One EventSource is shared by every subscriber on the page. The browser resumes by itself after a drop
 * (sending Last-Event-ID, so the server replays what was missed); if the stream is closed for good (e.g. the
 * server restarted, or the session expired) we reopen it with a back-off.
 *
 *   useLiveEvents((e) => { if (e.topic === 'case.created') reload(); }, ['case.created', 'case.transitioned']);
 */
import { useEffect, useRef, useState } from 'react';

export interface LiveEvent {
  /** Outbox id (monotonic). */
  id: string;
  /** e.g. case.created, case.transitioned, case.deadline_overdue */
  topic: string;
  /** The event's JSON payload (always has caseId and at). */
  data: { caseId?: string | null; at?: string; [k: string]: unknown };
}

export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'off';

type Handler = (e: LiveEvent) => void;
const handlers = new Set<Handler>();
const statusListeners = new Set<(s: LiveStatus) => void>();
const knownTopics = new Set<string>();
let source: EventSource | undefined;
let status: LiveStatus = 'off';
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let backoff = 1000;

function setStatus(s: LiveStatus) { status = s; statusListeners.forEach((l) => l(s)); }

function dispatch(topic: string, ev: MessageEvent) {
  let data: LiveEvent['data'];
  try { data = JSON.parse(ev.data as string); } catch { return; }
  const e: LiveEvent = { id: ev.lastEventId, topic, data };
  handlers.forEach((h) => { try { h(e); } catch (err) { console.error(err); } });
}

/** Server events are named (event: case.created); EventSource needs a listener per name. */
function listenTopic(topic: string) {
  if (!source || knownTopics.has(topic)) return;
  knownTopics.add(topic);
  source.addEventListener(topic, (ev) => dispatch(topic, ev as MessageEvent));
}

/** The outbox topics (src/commands/*: appendOutbox). Configuration topics reach administrators only. */
export const TOPICS = [
  'case.created', 'case.transitioned', 'case.deadline_warning', 'case.deadline_overdue',
  'attachment.created', 'rules.saved', 'time_limits.replaced', 'admission.replaced', 'calendar.imported', 'grids.imported',
  'gazetteer.imported', 'matter.created', 'unit.created', 'user.created', 'user.updated', 'apikey.created', 'apikey.revoked',
] as const;
const DEFAULT_TOPICS: readonly string[] = TOPICS;

function open() {
  if (source || handlers.size === 0) return;
  setStatus(status === 'off' ? 'connecting' : 'reconnecting');
  source = new EventSource('/api/v1/events', { withCredentials: true });
  knownTopics.clear();
  DEFAULT_TOPICS.forEach(listenTopic);
  pendingTopics.forEach(listenTopic);
  source.onmessage = (ev) => dispatch('message', ev);
  source.onopen = () => { backoff = 1000; setStatus('open'); };
  source.onerror = () => {
    if (!source) return;
    if (source.readyState === EventSource.CLOSED) {
      // Closed for good (an HTTP error such as 401): reopen later ourselves.
      source = undefined;
      setStatus('reconnecting');
      clearTimeout(retryTimer);
      retryTimer = setTimeout(open, backoff);
      backoff = Math.min(backoff * 2, 30_000);
    } else setStatus('reconnecting'); // the browser is retrying on its own
  };
}

function close() {
  clearTimeout(retryTimer);
  source?.close();
  source = undefined;
  setStatus('off');
}

const pendingTopics = new Set<string>();

/**
 * Calls `onEvent` for each live event (optionally only the given topics) while the component is mounted.
 * Pass `enabled=false` when the user lacks 'events.read'.
 */
export function useLiveEvents(onEvent: Handler, topics?: readonly string[], enabled = true): LiveStatus {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  const key = topics?.join(',') ?? '';
  useEffect(() => {
    if (!enabled) return;
    const wanted = key ? new Set(key.split(',')) : undefined;
    wanted?.forEach((t) => { pendingTopics.add(t); listenTopic(t); });
    const h: Handler = (e) => { if (!wanted || wanted.has(e.topic)) ref.current(e); };
    handlers.add(h);
    open();
    return () => {
      handlers.delete(h);
      if (handlers.size === 0) close();
    };
  }, [key, enabled]);
  return useLiveStatus();
}

/** The connection state, for a small "live" indicator. */
export function useLiveStatus(): LiveStatus {
  const [s, setS] = useState(status);
  useEffect(() => {
    statusListeners.add(setS);
    setS(status);
    return () => { statusListeners.delete(setS); };
  }, []);
  return s;
}
