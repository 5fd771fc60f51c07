import type { z } from '@hono/zod-openapi';
import type { Expense } from './schemas.ts';

/** An expense as the API shows it (to its owner, in their display currency). */
export type ExpenseView = z.infer<typeof Expense>;

declare module '../../core/events.ts' {
  interface DomainEvents {
    'expense.created': { userId: string; expense: ExpenseView };
    'expense.updated': { userId: string; expense: ExpenseView };
    'expense.deleted': { userId: string; expenseId: string };
  }
}
