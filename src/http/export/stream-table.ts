/**
 * `streamTable(reply, spec)`: a table as an HTTP download (CSV or XLSX), streamed with constant memory. The
 * reply is sent at once and returned, so a handler ends with `return streamTable(reply, { … })`. Validate the
 * request (and count, for limits) before calling it: once the headers are out, an error can only cut the download
 * short (it is logged, and `onEnd` hears `complete: false`).
 */
import { PassThrough, Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { MIME, csvChunks, writeXlsx, type TableResult, type TableSpec } from './table.ts';

export interface StreamTableSpec extends TableSpec {
  /** The file's name with its extension; Chinese is fine (RFC 5987 `filename*`, with an ASCII fallback). */
  filename: string;
  /** Called once when the download ended: all rows written (`complete`), or cut short (client gone, error). */
  onEnd?: (r: TableResult) => void;
}

/**
 * Content-Disposition for any file name: an ASCII `filename` for old clients (other characters become _) and the
 * exact name as `filename*=UTF-8''…` (RFC 6266 §4.3, RFC 5987), which every current browser prefers.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_') || 'download';
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function streamTable(reply: FastifyReply, spec: StreamTableSpec): FastifyReply {
  const abort = new AbortController();
  const signal = spec.signal ? AbortSignal.any([spec.signal, abort.signal]) : abort.signal;
  reply.raw.once('close', () => { if (!reply.raw.writableFinished) abort.abort(); });
  reply.header('content-type', MIME[spec.format]);
  reply.header('content-disposition', contentDisposition(spec.filename));
  reply.header('cache-control', 'no-store');
  reply.header('x-content-type-options', 'nosniff');
  let ended = false;
  const end = (r: TableResult) => { if (!ended) { ended = true; spec.onEnd?.(r); } };
  if (spec.format === 'csv') {
    const counter = { rows: 0, complete: false };
    const body = Readable.from(csvChunks({ ...spec, signal }, counter), { objectMode: false, highWaterMark: 1 << 16 });
    body.once('end', () => end(counter));
    body.once('error', (err) => { reply.log.error({ err }, 'CSV export failed mid-stream'); end(counter); });
    body.once('close', () => end(counter));
    return reply.send(body);
  }
  const out = new PassThrough({ highWaterMark: 1 << 18 });
  const counter = { rows: 0, complete: false };
  writeXlsx(out, { ...spec, signal }, counter).then(end, (err: unknown) => {
    reply.log.error({ err }, 'XLSX export failed mid-stream');
    out.destroy(err as Error);
    end(counter);
  });
  return reply.send(out);
}
