/** 联勤联动 (joint action): request and response schemas of /api/v1/cases/{id}/assists… (one source for validation, types and OpenAPI). */
import { Type, type TSchema } from 'typebox';
import { shared } from '../common.schema.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
const text = (description: string, max = 2000) => Type.String({ minLength: 1, maxLength: max, description });
const Instant = (description: string) => Nullable(Type.String({ description: `${description} (ISO 8601)` }));
/** A time limit (the same shape as a postponement's; kept here so the case schema can import this file). */
const LimitSchema = Type.Object({
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 10000, description: 'Amount of time' }),
  unit: Type.Union([
    Type.Literal('natural_minutes'), Type.Literal('natural_hours'), Type.Literal('natural_days'), Type.Literal('work_hours'), Type.Literal('work_days'),
  ], {
    description: 'Unit: work time follows the assisting unit\'s work calendar',
  }),
}, { additionalProperties: false });

/** One assisting unit and what is asked of it; used by dispatch, rule-dispute and POST …/assists. */
export const AssistSpecSchema = Type.Object({
  unitId: Type.String({ minLength: 1, maxLength: 64, description: 'The assisting unit (active; not the lead unit)' }),
  instruction: Type.Optional(Type.String({ maxLength: 2000, description: 'What is asked of it (协办事项); a default when blank' })),
  limit: Type.Optional(LimitSchema),
}, { additionalProperties: false });

export const AssistsInput = Type.Array(AssistSpecSchema, {
  maxItems: 10,
  description: '联勤联动: assisting units, each with its own task (instruction, and optionally its own time limit inside the case\'s handling deadline)',
});

export const TaskParam = Type.Object({
  id: Type.String({ pattern: '^\\d{1,18}$', description: 'Case id (numeric) or case number' }),
  taskId: Type.String({ pattern: '^\\d{1,18}$', description: 'Assisting task id' }),
});

export const AddAssistsBody = Type.Object({
  assists: Type.Array(AssistSpecSchema, { minItems: 1, maxItems: 10, description: 'The assisting units to add, each with its task' }),
  note: Type.Optional(Type.String({ maxLength: 2000, description: 'Why they are added' })),
}, { additionalProperties: false });

export const SignAssistBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000, description: 'Note' })) }, { additionalProperties: false });
export const ReturnAssistBody = Type.Object({
  reason: text('Why the assisting unit returns its task'), basis: text('The basis (regulation, responsibility list item)'),
}, { additionalProperties: false });
export const CompleteAssistBody = Type.Object({
  result: text('What the assisting unit did'),
  photos: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10, description: 'Attachment ids of the result photos (at least one)' }),
}, { additionalProperties: false });
export const WaiveAssistBody = Type.Object({ reason: text('Why the centre waives the task') }, { additionalProperties: false });
export const RuleAssistBody = Type.Object({
  outcome: Type.Union([Type.Literal('keep'), Type.Literal('waive'), Type.Literal('reassign')], {
    description: 'keep: back to the unit that returned it (a buck-passing); waive: nobody does it; reassign: to unitId',
  }),
  ruling: text('The ruling and its basis'),
  unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'For reassign: the unit that takes the task over' })),
}, { additionalProperties: false });

const Part = Type.Object({
  signMs: Nullable(Type.Integer({ description: 'From dispatch to signing, ms' })),
  doneMs: Nullable(Type.Integer({ description: 'From dispatch to done, ms' })),
  overdue: Type.Boolean({ description: 'Past its deadline (done late, or still open past it)' }),
}, { description: 'This unit\'s part of the bundled time limit (捆绑处置时限), for assessment' });

const AssistTaskSchema = Type.Object({
  id: Type.Integer(),
  unit: Ref,
  instruction: Type.String(),
  limit: Nullable(LimitSchema),
  dueAt: Instant('Deadline of the task, inside the case\'s handling deadline'),
  state: Type.Union([
    Type.Literal('dispatched'), Type.Literal('signed'), Type.Literal('done'), Type.Literal('returned'), Type.Literal('waived'), Type.Literal('reassigned'),
  ], { description: 'dispatched → signed → done; returned (awaiting the centre\'s ruling); waived; reassigned (to another unit\'s task)' }),
  stateLabel: Type.Object({ zh: Type.String(), en: Type.String() }),
  dispatchedAt: Type.String(),
  handler: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) }, { description: 'Who signed' })),
  signedAt: Instant('Signed'),
  doneAt: Instant('Completed'),
  result: Nullable(Type.String()),
  photoIds: Type.Array(Type.String()),
  returnReason: Nullable(Type.String()),
  returnBasis: Nullable(Type.String()),
  returnedAt: Instant('Returned'),
  returnCount: Type.Integer(),
  ruling: Nullable(Type.String({ description: 'The centre\'s ruling or reason for waiving' })),
  closedAt: Instant('Done, waived or reassigned'),
  previousTaskId: Nullable(Type.Integer({ description: 'The task this one took over (reassignment)' })),
  part: Part,
  allowedActions: Type.Array(Type.String(), { description: 'What the caller may do with this task: sign, return, complete, rule, waive' }),
});

export const AssistBoardDto = shared('AssistBoard', Type.Object({
  caseId: Type.Integer(),
  caseNo: Type.String(),
  caseState: Type.String(),
  lead: Type.Object({
    unit: Nullable(Ref),
    dispatchedAt: Instant('Dispatched to the lead'),
    signedAt: Instant('Signed by the lead (last signature)'),
    dueAt: Instant('The case\'s handling deadline: binds the lead and contains every task\'s'),
    disposedAt: Instant('Disposal reported by the lead (last)'),
    overdue: Type.Boolean(),
  }),
  bundle: Type.Object({
    dueAt: Instant('The bundled time limit (捆绑处置时限): the case\'s handling deadline'),
    open: Type.Integer({ description: 'Assisting tasks still open (dispatched, signed, returned)' }),
    settled: Type.Boolean({ description: 'Every task is done or waived: the lead may dispose' }),
  }),
  tasks: Type.Array(AssistTaskSchema),
  mayAdd: Type.Boolean({ description: 'The caller may add assisting units now (centre, case in handling)' }),
}));
