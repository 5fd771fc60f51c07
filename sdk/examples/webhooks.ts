import { createExpenseFlow, ExpenseFlowError } from '../index.ts';

export async function webhooksExample(baseUrl: string, token: string, receiverUrl: string) {
  const ef = createExpenseFlow({ baseUrl, token });

  // The secret is shown once: keep it where your receiver can read it.
  const { _id: id, secret } = await ef.webhooks.create({ url: receiverUrl, eventTypes: ['expense.created', 'goal.achieved'] });

  // A signed test event, sent now; the answer says how the receiver took it.
  const ping = await ef.webhooks.ping(id);

  // The delivery log, newest first; a failed delivery can be sent again.
  const log = [];
  for await (const delivery of ef.webhooks.deliveries(id)) log.push(`${delivery.eventType} ${delivery.status}`);

  // An error answer is thrown with its HTTP status and code.
  let refused = '';
  try {
    await ef.webhooks.create({ url: 'ftp://example.com/hook' });
  } catch (err) {
    if (err instanceof ExpenseFlowError) refused = `${err.status} ${err.code}`;
  }
  return { id, secret, ping, log, refused };
}
