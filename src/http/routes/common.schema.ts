import { Type, type TSchema, type TUnsafe, type Static } from 'typebox';

const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable error code, e.g. VALIDATION_FAILED, INVALID_TRANSITION' }),
    message: Type.String({ description: 'Human-readable message naming the field' }),
    field: Type.Optional(Type.String({ description: 'The offending field, dotted path' })),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    key: Type.Optional(Type.String({ description: 'The message as a catalogue key (e.g. field.required, auth.wrong_credentials): the console renders it in the user\'s language' })),
    params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: 'Parameters of `key` (e.g. field, lon, lat)' })),
  }),
}, { description: 'Every 4xx/5xx has this shape' });

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'Identifier' }) });

/** A shared schema registered once (`app.addSchema`) and referenced by `$ref`: one component in the OpenAPI document. */
export const SHARED_SCHEMAS: Record<string, TSchema> = {};
export function shared<T extends TSchema>(id: string, schema: T): TUnsafe<Static<T>> {
  SHARED_SCHEMAS[id] = schema;
  return Type.Unsafe<Static<T>>({ $ref: `${id}#` });
}
export const ErrorResponse = shared('Error', ErrorSchema);
