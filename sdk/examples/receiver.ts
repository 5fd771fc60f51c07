import { verifyWebhookSignature } from '../index.ts';

/** A receiver for any runtime with Request and Response (Node 20+, Deno, Bun, Workers). */
export function webhookReceiver(secret: string, onEvent: (event: { type: string; seq?: number; data?: unknown }) => void) {
  return async (request: Request): Promise<Response> => {
    const payload = await request.text(); // the raw body: it is what was signed
    const header = request.headers.get('expenseflow-signature');
    if (!(await verifyWebhookSignature({ payload, header, secret }))) {
      return new Response('invalid signature', { status: 400 });
    }
    onEvent(JSON.parse(payload));
    return new Response(null, { status: 204 }); // any 2xx within 10 s; anything else is retried
  };
}
