import { z } from '@hono/zod-openapi';
import { MAX_PAGE_SIZE, pagingQuery } from '../../core/http/paging.ts';
import { MAX_AMOUNT } from '../../core/money.ts';
import { CurrencyCode, Instant, Integer } from '../../core/schemas.ts';
import { GOAL_PRIORITIES, GOAL_STATUSES, GOAL_TYPES } from './tables.ts';

/** How many contributions GET /api/goals/{id} shows, newest first. */
export const CONTRIBUTIONS_SHOWN = 100;

const Id = z.string().max(64).openapi({ example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' });

// A calendar day in the user's time zone; the year bound keeps daysLeft and monthlyNeeded sane.
const Day = z.iso
  .date()
  .refine((d) => d >= '1900-01-01' && d <= '2100-12-31', 'must be between 1900 and 2100')
  // The format admits exactly 10 characters; said as maxLength, since `.max(10)` would add a
  // second issue to every malformed day.
  .openapi({ maxLength: 10, example: '2024-12-31', description: 'YYYY-MM-DD, a day in the user’s time zone' });

const amountDoc = 'No more decimals than the currency allows, below 10^12';

const goalFields = {
  title: z.string().trim().min(1).max(200).openapi({ example: 'Emergency Fund' }),
  description: z.string().trim().max(2000).nullable().openapi({ example: 'Save for emergencies' }),
  targetAmount: z.number().positive().lt(MAX_AMOUNT).openapi({ example: 10000, description: `Positive. ${amountDoc}` }),
  currentAmount: z.number().nonnegative().lt(MAX_AMOUNT).openapi({ example: 0, description: `Already saved, 0 or more. ${amountDoc}` }),
  goalType: z.enum(GOAL_TYPES),
  targetDate: Day.nullable(),
  priority: z.enum(GOAL_PRIORITIES),
};

export const CreateGoalBody = z
  .object({
    ...goalFields,
    description: goalFields.description.optional(),
    currentAmount: goalFields.currentAmount.default(0),
    currency: CurrencyCode.optional().openapi({ description: "ISO 4217 code; defaults to the user's display currency. Fixed once created" }),
    goalType: goalFields.goalType.default('savings'),
    targetDate: goalFields.targetDate.optional(),
    priority: goalFields.priority.default('medium'),
  })
  .openapi('CreateGoalRequest');

export const UpdateGoalBody = z
  .object({ ...goalFields, status: z.enum(GOAL_STATUSES) })
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change')
  .openapi('UpdateGoalRequest', {
    minProperties: 1,
    description:
      'Any subset of the fields; `null` clears description or targetDate. The currency cannot change. When the change leaves the saved amount at or above the target, an active goal becomes completed (unless `status` is sent).',
  });

export const ContributeBody = z
  .object({
    amount: z
      .number()
      .gt(-MAX_AMOUNT)
      .lt(MAX_AMOUNT)
      .refine((n) => n !== 0, 'must not be 0')
      .openapi({ example: 250, description: `Added to the goal; negative withdraws (never below 0 saved). ${amountDoc}` }),
    note: z.string().trim().max(500).optional().openapi({ example: 'March savings' }),
  })
  .openapi('GoalContributionRequest');

export const Goal = z
  .object({
    _id: Id,
    title: z.string().max(200),
    description: z.string().max(2000).nullable(),
    targetAmount: z.number().positive().openapi({ example: 10000 }),
    currentAmount: z.number().nonnegative().openapi({ example: 2500 }),
    currency: z.string().max(3).openapi({ example: 'USD' }),
    goalType: z.enum(GOAL_TYPES),
    targetDate: z.string().max(10).nullable().openapi({ example: '2024-12-31' }),
    priority: z.enum(GOAL_PRIORITIES),
    status: z.enum(GOAL_STATUSES),
    progress: z.number().nonnegative().openapi({
      example: 25,
      description: 'Percent of the target saved, rounded down to 2 decimals (100 only once reached); not capped: above 100 when saved beyond the target',
    }),
    remainingAmount: z.number().nonnegative().openapi({ example: 7500, description: 'Still to save, never below 0' }),
    daysLeft: Integer(-80_000, 80_000).nullable().openapi({
      example: 120,
      description: 'Calendar days from today to targetDate in the user’s time zone; negative when overdue, null without a targetDate',
    }),
    monthlyNeeded: z.number().nonnegative().nullable().openapi({
      example: 1875,
      description:
        'remainingAmount divided by the months left, rounded up to the minor unit. Months left = ceil(daysLeft / 30.4375), at least 1 (due this month or overdue: all of it now). 0 once reached; null without a targetDate',
    }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('Goal');

export const GoalList = z.array(Goal).max(MAX_PAGE_SIZE).openapi('GoalList');

export const Contribution = z
  .object({
    _id: Id,
    amount: z.number().openapi({ example: 250, description: 'Negative for a withdrawal' }),
    note: z.string().max(500).nullable(),
    createdAt: Instant,
  })
  .openapi('GoalContribution');

export const GoalDetail = Goal.extend({
  contributions: z
    .array(Contribution)
    .max(CONTRIBUTIONS_SHOWN)
    .openapi({ description: `The latest ${CONTRIBUTIONS_SHOWN} contributions and withdrawals, newest first` }),
}).openapi('GoalDetail');

export const GoalIdParam = z.object({
  id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' }),
});

export const ListGoalsQuery = z.object({
  status: z.enum(GOAL_STATUSES).optional().openapi({ description: 'Only goals in this status' }),
  ...pagingQuery,
});
