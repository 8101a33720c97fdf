/** The bodies of the level actions (spread into ACTION_BODIES of case.schema.ts): POST /cases/{id}/escalate etc. */
import { Type } from 'typebox';

const version = Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Expected case version (optimistic concurrency)' }));
const reason = (description: string) => Type.String({ minLength: 1, maxLength: 2000, description });

export const LEVEL_ACTION_BODIES = {
  escalate: Type.Object({
    reason: reason('上报理由: why the handling platform cannot solve it; the case goes to the superior platform (street → district → city)'), version,
  }, { additionalProperties: false }),
  assign_down: Type.Object({
    toRegionId: Type.String({ minLength: 1, maxLength: 64, description: 'The lower platform: a district or street region below the handling platform whose area contains the case' }),
    reason: reason('下派说明: the instruction to the lower platform'), version,
  }, { additionalProperties: false }),
  accept_transfer: Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000, description: 'Note' })), version }, { additionalProperties: false }),
  refuse_transfer: Type.Object({
    reason: reason('退回（拒收）理由: required, recorded and counted per platform (GET /levels/stats)'), version,
  }, { additionalProperties: false }),
};
