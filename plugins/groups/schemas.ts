import { z } from '@hono/zod-openapi';
import { pagingQuery } from '../../core/http/paging.ts';
import { MAX_AMOUNT } from '../../core/money.ts';
import { CurrencyCode, DayOrInstant, Integer } from '../../core/schemas.ts';
import { ROLES, SPLIT_METHODS } from './tables.ts';

/** Members (active or not) a group can hold, and pending invitations beside them. */
export const MAX_MEMBERS = 100;
export const MAX_INVITATIONS = 100;
/** How many of the group's expenses GET /api/groups/{id} shows, newest first. */
export const EXPENSES_SHOWN = 100;
/** How many settlements a page of GET /settlements holds at most, and pending entries a balance lists. */
export const PENDING_SHOWN = 100;

const Id = z.string().max(64).openapi({ example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' });
const Instant = z.string().max(32).openapi({ example: '2024-01-15T10:00:00.000Z' });
const Currency = z.string().length(3).openapi({ example: 'EUR' });
const Name = z.string().max(100).openapi({ example: 'John Doe' });
const EmailOut = z.string().max(254).openapi({ example: 'john@example.com' });
const Money = z.number().gt(-MAX_AMOUNT * 1000).lt(MAX_AMOUNT * 1000);

// The auth plugin's rule, repeated (a plugin never imports another's files): emails compare trimmed and lower-cased.
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }))
  .openapi({ example: 'friend@example.com', description: 'Compared trimmed and lower-cased' });

const amountDoc = 'Positive, no more decimals than the currency allows, below 10^12';

export const Settings = z
  .object({
    allowPublicExpenses: z.boolean().openapi({ description: 'Stored for clients; the server does not act on it' }),
    requireApproval: z.boolean().openapi({ description: 'Stored for clients; the server does not act on it' }),
    defaultSplitMethod: z.enum(SPLIT_METHODS).openapi({ description: 'What the splits plugin uses when a split of this group names no method' }),
  })
  .openapi('GroupSettings');

export const CreateGroupBody = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: 'Trip to Paris' }),
    description: z.string().trim().max(500).nullable().optional().openapi({ example: 'Group expenses for our Paris vacation' }),
    currency: CurrencyCode.optional().openapi({ description: "ISO 4217 code; defaults to the creator's display currency. Fixed once created" }),
    settings: Settings.partial().default({}).openapi({ description: 'Defaults: false, false, equal' }),
  })
  .openapi('CreateGroupRequest');

export const UpdateSettingsBody = Settings.partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change')
  .openapi('UpdateGroupSettingsRequest', { description: 'Any subset of the settings', minProperties: 1 });

export const AddMemberBody = z.object({ email: Email }).openapi('AddGroupMemberRequest');

export const LeaveBody = z
  .object({
    newAdminId: Id.optional().openapi({
      description: 'Required when the leaver is the last active admin and others remain: this active member becomes admin',
    }),
  })
  .openapi('LeaveGroupRequest');

export const AddGroupExpenseBody = z
  .object({
    description: z.string().trim().min(1).max(500).openapi({ example: 'Dinner at Le Marais' }),
    amount: z.number().positive().lt(MAX_AMOUNT).openapi({ example: 90, description: amountDoc }),
    currency: CurrencyCode.optional().openapi({ description: "ISO 4217 code; defaults to the group's currency" }),
    category: z.string().trim().min(1).max(40).openapi({ example: 'food', description: "A built-in category or one of the payer's own, as for POST /api/expenses" }),
    date: DayOrInstant.refine((v) => {
      const year = new Date(v).getUTCFullYear();
      return year >= 1900 && year <= 2100;
    }, 'must be between 1900 and 2100')
      .optional()
      .openapi({ example: '2024-01-15', description: 'A day (its 00:00 UTC) or an ISO 8601 date-time; now when absent' }),
    notes: z.string().trim().max(2000).nullable().optional(),
    merchant: z.string().trim().min(1).max(200).nullable().optional(),
  })
  .openapi('AddGroupExpenseRequest');

export const SettlementBody = z
  .object({
    fromUserId: Id.openapi({ description: 'The member who paid' }),
    toUserId: Id.openapi({ description: 'The member who was paid' }),
    amount: z.number().positive().lt(MAX_AMOUNT).openapi({ example: 30, description: amountDoc }),
    currency: CurrencyCode.optional().openapi({ description: "ISO 4217 code; defaults to the group's currency" }),
    note: z.string().trim().max(500).nullable().optional().openapi({ example: 'Cash at the airport' }),
  })
  .refine((b) => b.fromUserId !== b.toUserId, { message: 'must differ from fromUserId', path: ['toUserId'] })
  .openapi('SettlementRequest');

export const GroupIdParam = z.object({
  id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' }),
});

export const MemberParams = GroupIdParam.extend({
  memberId: z.string().max(64).openapi({ param: { name: 'memberId', in: 'path' }, description: "The member's user id" }),
});

export const ListGroupsQuery = z.object(pagingQuery);
export const ListSettlementsQuery = z.object(pagingQuery);

// ---- responses

export const Created = <T extends z.ZodType>(data: T, name: string) =>
  z.object({ success: z.literal(true), message: z.string().max(200), data }).openapi(name);

const MemberRef = z
  .object({
    user: Id.openapi({ description: "The member's user id" }),
    role: z.enum(ROLES),
    joinedAt: Instant,
    isActive: z.boolean().openapi({ description: 'False once the member left or was removed' }),
  })
  .openapi('GroupMemberRef');

export const UserRef = z.object({ _id: Id, name: Name, email: EmailOut }).openapi('GroupUser');

const Member = MemberRef.extend({ user: UserRef }).openapi('GroupMember');

const groupFields = {
  _id: Id,
  name: z.string().max(100),
  description: z.string().max(500).nullable(),
  createdBy: Id,
  currency: Currency,
  settings: Settings,
  createdAt: Instant,
  updatedAt: Instant,
};

/** The seed's create answer: members as user ids. */
export const Group = z
  .object({ ...groupFields, members: z.array(MemberRef).max(MAX_MEMBERS) })
  .openapi('Group');

export const GroupSummary = z
  .object({
    _id: Id,
    name: z.string().max(100),
    description: z.string().max(500).nullable(),
    memberCount: Integer(0, MAX_MEMBERS).openapi({ description: 'Active members' }),
    totalExpenses: Integer(0, 1e9).openapi({ description: 'Expenses linked to the group' }),
    currency: Currency,
    role: z.enum(ROLES).openapi({ description: 'The caller’s role' }),
    createdAt: Instant,
  })
  .openapi('GroupSummary');

const GroupExpense = z
  .object({
    expense: Id.openapi({ description: 'The expense id (GET /api/expenses/{id} for its owner)' }),
    addedBy: Id,
    addedAt: Instant,
    paidBy: Id.openapi({ description: 'The expense’s owner' }),
    description: z.string().max(500),
    amount: z.number().positive().lt(MAX_AMOUNT),
    currency: Currency,
    category: z.string().max(40),
    date: Instant,
  })
  .openapi('GroupExpense');

export const GroupExpenseAdded = Created(GroupExpense, 'GroupExpenseAdded');

const Invitation = z
  .object({ email: EmailOut, invitedBy: Id, invitedAt: Instant })
  .openapi('GroupInvitation', { description: 'An email without an account yet: it becomes a member when that person registers' });

export const GroupDetail = z
  .object({
    ...groupFields,
    members: z.array(Member).max(MAX_MEMBERS),
    invitations: z.array(Invitation).max(MAX_INVITATIONS),
    expenses: z.array(GroupExpense).max(EXPENSES_SHOWN).openapi({
      description: `The latest ${EXPENSES_SHOWN} expenses linked to the group, newest first (an expense its owner deleted is left out)`,
    }),
  })
  .openapi('GroupDetail');


export const GroupCreated = Created(Group, 'GroupCreated');
export const GroupUpdated = Created(Group, 'GroupUpdated');
export const MemberAdded = Created(GroupDetail, 'GroupMemberAdded');
export const GroupLeft = z.object({ success: z.literal(true), message: z.string().max(200) }).openapi('GroupLeft');

export const GroupList = z
  .object({ success: z.literal(true), count: Integer(0, 200), data: z.array(GroupSummary).max(200) })
  .openapi('GroupList');

export const GroupDetailResponse = z.object({ success: z.literal(true), data: GroupDetail }).openapi('GroupDetailResponse');

export const Statistics = z
  .object({
    success: z.literal(true),
    data: z.object({
      totalMembers: Integer(0, MAX_MEMBERS).openapi({ description: 'Active members' }),
      totalExpenses: Integer(0, 1e9).openapi({ description: 'Expenses linked to the group (an expense its owner deleted is left out)' }),
      totalAmount: Money.openapi({ example: 450.5, description: 'Their sum in the group currency, each converted at the rate of its own day' }),
      pendingCount: Integer(0, 1e9).openapi({ description: 'Expenses whose day has no rate held yet: not in the amounts, never guessed' }),
      currency: Currency,
      memberContributions: z
        .array(
          z.object({
            user: Id,
            name: Name,
            totalAmount: Money.openapi({ example: 150.17 }),
            expenseCount: Integer(0, 1e9),
          }),
        )
        .max(MAX_MEMBERS)
        .openapi({ description: 'What each member paid for the group, largest first' }),
    }),
  })
  .openapi('GroupStatistics');

const Entry = z.object({
  _id: Id,
  kind: z.enum(['debt', 'payment']),
  fromUserId: Id,
  toUserId: Id,
  amount: z.number().positive().lt(MAX_AMOUNT),
  currency: Currency,
  date: Instant,
});

export const Balances = z
  .object({
    success: z.literal(true),
    data: z.object({
      currency: Currency,
      balances: z
        .array(z.object({ user: UserRef, isActive: z.boolean(), balance: Money.openapi({ example: 30 }) }))
        .max(MAX_MEMBERS)
        .openapi({ description: 'Every member’s net position in the group currency: positive is owed money, negative owes. They sum to 0' }),
      pending: z.array(Entry).max(PENDING_SHOWN).openapi({ description: 'Entries whose day has no rate held yet (not in the balances, never guessed), oldest first' }),
      pendingCount: Integer(0, 1e9),
    }),
  })
  .openapi('GroupBalances');

export const Transfer = z
  .object({ from: UserRef, to: UserRef, amount: z.number().positive().lt(MAX_AMOUNT * 1000) })
  .openapi('SuggestedTransfer');

export const SuggestedSettlements = z
  .object({
    success: z.literal(true),
    count: Integer(0, MAX_MEMBERS),
    currency: Currency,
    data: z.array(Transfer).max(MAX_MEMBERS).openapi({ description: 'Transfers that bring every balance to 0; at most one fewer than the members with a balance' }),
  })
  .openapi('SuggestedSettlements');

export const Settlement = Entry.omit({ kind: true })
  .extend({
    sourceId: Id.openapi({ description: 'What the payment comes from: the settlement itself, or a split' }),
    recordedBy: Id.nullable().openapi({ description: 'Who recorded a settlement; null for a payment recorded by a split' }),
    note: z.string().max(500).nullable(),
    createdAt: Instant,
  })
  .openapi('GroupSettlement');

export const SettlementCreated = Created(Settlement, 'GroupSettlementCreated');

export const SettlementList = z
  .object({ success: z.literal(true), count: Integer(0, 200), data: z.array(Settlement).max(200) })
  .openapi('GroupSettlementList');
