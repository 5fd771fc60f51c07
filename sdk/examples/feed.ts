import { createExpenseFlow } from '../index.ts';

export async function feedExample(baseUrl: string, token: string) {
  const ef = createExpenseFlow({ baseUrl, token });

  // Any route, typed from the OpenAPI document. A POST that is retried keeps its Idempotency-Key.
  const { data: expense } = await ef.api.POST('/api/expenses', {
    body: { description: 'Coffee', amount: 3.5, category: 'food' },
  });

  // Every event of the last 30 days after a cursor, oldest first, page after page.
  const lines: string[] = [];
  let cursor = 0;
  for await (const event of ef.events.all({ after: cursor, types: ['expense.created', 'expense.deleted'] })) {
    lines.push(`${event.seq} ${event.type} ${String(event.data._id)}`);
    cursor = event.seq; // keep it: the next run starts after it
  }
  return { expense, lines, cursor };
}
