import { Type } from 'typebox';
import { PushCaseBody } from '../department/department.schema.ts';

/** One report in a dropped file: like POST /api/v1/department/cases, with the sender's own id optional. */
export const DropReport = Type.Object({
  ...PushCaseBody.properties,
  externalId: Type.Optional(PushCaseBody.properties.externalId),
}, { additionalProperties: false });
