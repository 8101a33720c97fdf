/**
 * Typed domain errors. The domain never knows HTTP: `src/http/middleware/error-mapper.ts` maps each code to a
 * status once (exhaustive switch), and the Open311 edge maps the same codes into its own error list.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED' // a field has a bad value; `field` names it
  | 'NOT_FOUND' // the addressed thing does not exist (or the caller may not know it exists)
  | 'UNAUTHENTICATED' // no or bad credentials
  | 'FORBIDDEN' // authenticated, but the permission or scope does not allow it
  | 'INVALID_TRANSITION' // the case's state does not allow the action; `details.allowedActions` lists what does
  | 'CONFLICT' // a uniqueness or version conflict (e.g. username taken, idempotency key reused with other content)
  | 'LIMIT_EXCEEDED' // a domain cap was hit (returns per case, postponements)
  | 'SEPARATION_OF_DUTIES' // the same person may not play two roles on one case (dispatch vs check)
  | 'OUT_OF_GRID' // a point lies outside every grid
  | 'UNROUTABLE' // no rule and no fallback unit for a matter at a place
  | 'INVALID_GEOMETRY' // a polygon is not valid (self-intersection, unclosed ring, too few points)
  | 'PAYLOAD_TOO_LARGE' // attachment or body over its limit
  | 'UNSUPPORTED_MEDIA_TYPE' // attachment is not an accepted image type
  | 'RATE_LIMITED' // too many attempts (logins)
  | 'EXPORT_NEEDS_APPROVAL'; // an export above the city's limit without a leader's approval (issue 10, src/domain/export)

/**
 * A message the console renders in the user's language (docs/issue-8/language.md): a stable key of the console's
 * catalogue (web/src/app/messages.ts) and its parameters. `message` stays the English text for API clients and logs.
 */
export interface MessageRef {
  key: string;
  params?: Record<string, string | number>;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly details?: Record<string, unknown>;
  /** The message as a catalogue key and parameters, when the console has a translation for it. */
  readonly key?: string;
  readonly params?: Record<string, string | number>;

  constructor(code: ErrorCode, message: string, opts: { field?: string; details?: Record<string, unknown> } & Partial<MessageRef> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = opts.field;
    this.details = opts.details;
    this.key = opts.key;
    this.params = opts.params;
  }
}

/**
 * A bad field whose message the console translates: `invalidAs('note', { key: 'field.required' }, 'is required')`.
 * There is no unkeyed variant: every bad field carries a key of web/src/app/messages (web/test/message-keys.test.ts
 * fails on a key the catalogue lacks, and on a DomainError of src/domain made without one).
 */
export const invalidAs = (field: string, ref: MessageRef, message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('VALIDATION_FAILED', `${field}: ${message}`, { field, details, key: ref.key, params: { field, ...ref.params } });

/** The same message for another field (a nested check's error re-thrown under the caller's path); its key is kept. */
export const refield = (e: DomainError, field: string): DomainError =>
  new DomainError('VALIDATION_FAILED', `${field}: ${e.field && e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message}`, {
    field, details: e.details, key: e.key ?? 'field.invalid', params: { ...e.params, field },
  });

export const notFound = (what: string, id: string | number): DomainError =>
  new DomainError('NOT_FOUND', `${what} ${id} not found`, { details: { what, id }, key: 'not_found', params: { what, id } });
