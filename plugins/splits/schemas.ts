import { z } from '@hono/zod-openapi';
import { pagingQuery } from '../../core/http/paging.ts';
import { MAX_AMOUNT } from '../../core/money.ts';
import { Integer } from '../../core/schemas.ts';
import { SPLIT_METHODS } from './arithmetic.ts';
import { SPLIT_STATUSES } from './tables.ts';

/** At most this many participants in one split: bounds the body, the batch and the answer. */
export const MAX_PARTICIPANTS = 100;
/** At most this many entries in the statistics' `pendingSplits`, newest first. */
export const MAX_PENDING_SHOWN = 100;

const idExample = '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f';
const Id = z.string().min(1).max(64).openapi({ example: idExample });
const Instant = z.string().max(32).openapi({ example: '2024-01-15T10:00:00.000Z' });
const Currency = z.string().max(3).openapi({ example: 'USD', description: 'ISO 4217 code' });
const Amount = z.number().nonnegative().lt(MAX_AMOUNT);

const ParticipantInput = z
  .object({
    userId: Id.openapi({ description: 'An active member of the group' }),
    amount: z
      .number()
      .positive()
      .lt(MAX_AMOUNT)
      .optional()
      .openapi({ example: 25, description: '`exact` only: this participant’s share, in the expense’s currency, with no more decimals than it allows' }),
    percentage: z
      .number()
      .positive()
      .max(100)
      .optional()
      .openapi({ example: 50, description: '`percentage` only: above 0, at most 100, at most 2 decimals; all add up to 100' }),
    shares: Integer(1, 10_000).optional().openapi({ example: 2, description: '`shares` only: a whole number of shares, 1 to 10000' }),
  })
  .openapi('SplitParticipantInput');

export const CreateSplitBody = z
  .object({
    expenseId: Id.openapi({ description: 'One of the caller’s expenses (the caller paid it), not split before' }),
    groupId: Id.openapi({ description: 'A group the caller is an active member of' }),
    splitMethod: z.enum(SPLIT_METHODS).optional().openapi({ description: 'How the amount is divided; the group’s default method when absent' }),
    notes: z.string().trim().max(500).optional().openapi({ example: 'Dinner at restaurant' }),
    participants: z
      .array(ParticipantInput)
      .min(1)
      .max(MAX_PARTICIPANTS)
      .optional()
      .openapi({
        description:
          'Who shares the expense, each at most once, in the order the leftover minor units of an uneven division go to (first listed first). When absent: the group’s active members, the payer first, then the others by user id; `exact` and `percentage` then need the list.',
      }),
  })
  .openapi('CreateSplitRequest');

export const PayBody = z
  .object({
    participantId: Id.optional().openapi({ description: 'Whose share is paid: only the payer may name another participant; the caller’s own share when absent' }),
  })
  .openapi('PaySplitRequest');

const UserRef = z.object({ _id: Id, name: z.string().max(200).openapi({ example: 'John Doe' }) }).openapi('SplitUser');

const Participant = z
  .object({
    user: UserRef,
    amount: Amount.openapi({ example: 25, description: 'This participant’s share, in the expense’s currency' }),
    percentage: z.number().min(0).max(100).optional().openapi({ description: 'Percentage splits only' }),
    shares: Integer(1, 10_000).optional().openapi({ description: 'Shares splits only' }),
    isPaid: z.boolean(),
    paidAt: Instant.optional().openapi({ description: 'When the share was marked paid; absent while unpaid' }),
  })
  .openapi('SplitParticipant');

export const Split = z
  .object({
    _id: Id,
    expense: z.object({
      _id: Id,
      description: z.string().max(500).openapi({ example: 'Restaurant dinner' }),
      amount: Amount.openapi({ example: 75 }),
      category: z.string().max(100).openapi({ example: 'food' }),
      currency: Currency,
      date: Instant,
    }),
    group: z.object({ _id: Id, name: z.string().max(200).openapi({ example: 'Trip to Paris', description: 'The group’s name when the split was made' }) }),
    paidBy: UserRef.openapi({ description: 'The expense’s owner, who paid it and is owed the other shares' }),
    splitMethod: z.enum(SPLIT_METHODS),
    notes: z.string().max(500).nullable(),
    participants: z.array(Participant).max(MAX_PARTICIPANTS).openapi({ description: 'In split order: the leftover minor units went to the first ones' }),
    status: z.enum(SPLIT_STATUSES).openapi({
      description: '`pending`: no share paid yet; `partial`: some paid (the payer’s own share counts, paid at creation); `settled`: every share paid',
    }),
    totalAmount: Amount.openapi({ example: 75, description: 'The expense’s amount: the shares add up to it exactly' }),
    currency: Currency,
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('Split');

export const SplitCreated = z
  .object({ success: z.literal(true), message: z.string().max(200).openapi({ example: 'Expense split created successfully' }), data: Split })
  .openapi('SplitCreated');

export const SplitPaid = z
  .object({ success: z.literal(true), message: z.string().max(200).openapi({ example: 'Payment marked successfully' }), data: Split })
  .openapi('SplitPaid');

export const SplitOne = z.object({ success: z.literal(true), data: Split }).openapi('SplitResponse');

export const SplitList = z
  .object({
    success: z.literal(true),
    count: Integer(0, 200).openapi({ description: 'Splits in this page' }),
    data: z.array(Split).max(200),
  })
  .openapi('SplitList');

export const ReminderSent = z
  .object({
    success: z.literal(true),
    message: z.string().max(200).openapi({ example: 'Reminder sent' }),
    data: z.object({
      splitId: Id,
      participantId: Id,
      amount: Amount.openapi({ description: 'What the participant still owes, in `currency`' }),
      currency: Currency,
      sentAt: Instant,
      nextAllowedAt: Instant.openapi({ description: 'The earliest time another reminder to this participant about this split can go' }),
    }),
  })
  .openapi('SplitReminderSent');

export const SplitStatistics = z
  .object({
    success: z.literal(true),
    data: z.object({
      currency: Currency.openapi({
        description: 'The caller’s display currency: `totalOwed` and `totalOwedTo` are in it, each share converted at the rate of its expense’s day',
      }),
      totalSplits: Integer(0, 1e9).openapi({ description: 'Splits the caller paid or has a share in' }),
      pendingPayments: Integer(0, 1e9).openapi({ description: 'The caller’s shares not yet paid' }),
      completedPayments: Integer(0, 1e9).openapi({ description: 'The caller’s shares paid (a payer’s own share is paid at creation)' }),
      totalOwed: Amount.openapi({ example: 125.5, description: 'What the caller still owes others, in `currency`' }),
      totalOwedTo: Amount.openapi({ example: 89.25, description: 'What others still owe the caller, in `currency`' }),
      unconverted: Integer(0, 1e9).openapi({
        description: 'Unpaid shares left out of the two totals because no exchange rate for their expense’s day is held yet (never guessed)',
      }),
      pendingSplits: z
        .array(
          z.object({
            splitId: Id,
            expense: z.string().max(500).openapi({ example: 'Restaurant dinner' }),
            amount: Amount.openapi({ example: 25, description: 'The caller’s unpaid share, in `currency` of this entry (the expense’s)' }),
            currency: Currency,
            group: z.string().max(200).openapi({ example: 'Trip to Paris' }),
          }),
        )
        .max(MAX_PENDING_SHOWN)
        .openapi({ description: `The caller’s unpaid shares, newest split first, at most ${MAX_PENDING_SHOWN}` }),
    }),
  })
  .openapi('SplitStatistics');

export const SplitIdParam = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' }, example: idExample }),
});

export const RemindParams = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' }, example: idExample }),
  participantId: Id.openapi({ param: { name: 'participantId', in: 'path' }, example: idExample, description: 'The participant’s user id' }),
});

export const ListSplitsQuery = z.object({ ...pagingQuery });
