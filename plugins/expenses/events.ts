import type { toExpense } from './service.ts';

export type ExpenseView = ReturnType<typeof toExpense>;

declare module '../../core/events.ts' {
  interface DomainEvents {
    'expense.created': { userId: string; expense: ExpenseView };
    'expense.updated': { userId: string; expense: ExpenseView };
    'expense.deleted': { userId: string; expenseId: string };
  }
}
