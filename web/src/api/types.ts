/**
 * Helper types over the generated schema (schema.d.ts, from openapi/openapi.json — never edited by hand). The
 * console names a server shape by the route that returns or accepts it:
 *
 *   type CaseDto = ResponseOf<'/api/v1/cases/{id}', 'get'>;            // the 2xx JSON body
 *   type NewUser = BodyOf<'/api/v1/users', 'post'>;                     // the JSON request body
 *   type CaseQuery = QueryOf<'/api/v1/cases', 'get'>;                   // the query parameters
 *   type Matter = ItemOf<ResponseOf<'/api/v1/catalog/matters', 'get'>>; // one element of `items`
 *
 * or, where the server names a component schema, `Schema<'Case'>`.
 */
import type { components, paths } from './schema';

export type { components, paths };

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
/** The paths that have an operation for `M` (absent operations are `?: never` in the generated file). */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];
export type Operation<P extends PathsWith<M>, M extends Method> = paths[P][M];

type Responses<O> = O extends { responses: infer R } ? R : never;
type SuccessCode = 200 | 201 | 202 | 203 | 204 | 205 | 206;
type ErrorCode = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 502 | 503;
/** The JSON body of a response object; undefined when it has none (204). */
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;

// The responses are read inside a conditional type (`infer R`), so TypeScript resolves them per route when used,
// instead of relating the alias to the union of every route's responses (which outgrows what it can represent).
type JsonAt<O, C> = O extends { responses: infer R } ? JsonOf<R[Extract<keyof R, C>]> : never;
/** The JSON body of the operation's success responses (the union, when e.g. 200 replays and 201 creates). */
export type ResponseOf<P extends PathsWith<M>, M extends Method> = JsonAt<Operation<P, M>, SuccessCode>;
/** The JSON body of one response status, e.g. `ResponseAt<'/api/v1/cases', 'post', 201>`. */
export type ResponseAt<P extends PathsWith<M>, M extends Method, S extends keyof Responses<Operation<P, M>>> = JsonAt<Operation<P, M>, S>;
/** The JSON body of the operation's error responses (the server's { error: { code, message, … } }). */
export type ErrorOf<P extends PathsWith<M>, M extends Method> = JsonAt<Operation<P, M>, ErrorCode>;

type RequestBody<O> = O extends { requestBody?: infer B } ? NonNullable<B> : never;
type JsonBody<B> = [B] extends [never] ? never : B extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON request body of the operation; never when it takes none (or, like uploads, a body the document does not describe). */
export type BodyOf<P extends PathsWith<M>, M extends Method> = JsonBody<RequestBody<Operation<P, M>>>;
/** The query parameters of the operation. */
export type QueryOf<P extends PathsWith<M>, M extends Method> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
/** The path parameters of the operation. */
export type PathParamsOf<P extends PathsWith<M>, M extends Method> =
  Operation<P, M> extends { parameters: { path?: infer Q } } ? NonNullable<Q> : never;

/** A named component schema. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];
/** The server's error body (every 4xx/5xx). */
export type ErrorBody = Schema<'Error'>;

/** One element of a list answer's `items`. */
export type ItemOf<T> = T extends { items: readonly (infer I)[] } ? I : never;
/** One element of an array. */
export type ElementOf<T> = T extends readonly (infer I)[] ? I : never;
