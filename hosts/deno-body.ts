/**
 * Deno.serve has no request timeouts (denoland/deno#3515): a body sent a byte at a time would
 * hold its connection for ever. So the Deno host reads each request's body itself, within
 * REQUEST_TIMEOUT_MS, before the app sees the request.
 */
import { AppError, errorBody } from '../core/http/errors.ts';

/** The request with its body read, or the answer when it took too long (408) or could not be read (400). */
export async function readBodyWithin(request: Request, timeoutMs: number, maxBytes: number): Promise<Request | Response> {
  if (!request.body) return request;
  // Declared too large: the app answers 413 without reading it (and the connection closes).
  if (Number(request.headers.get('content-length')) > maxBytes) return request;
  const reader = request.body.getReader();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => undefined);
  }, timeoutMs);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Past maxBytes the rest is left unread: the app's body limit answers 413 from what is here.
    while (size <= maxBytes) {
      const { done, value } = await reader.read();
      if (timedOut) return requestTimeout(timeoutMs);
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // Deno's HTTP layer could not read the body (a malformed chunked encoding, say): the
    // client's fault, a 400 as Node's parser answers, never a 500.
    if (timedOut) return requestTimeout(timeoutMs);
    return refused(new AppError('MALFORMED_BODY', 'The request body could not be read (malformed framing)'));
  } finally {
    clearTimeout(timer);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return new Request(request, { body });
}

const refused = (err: AppError) => Response.json(errorBody(err, crypto.randomUUID()), { status: err.status, headers: { connection: 'close' } });

const requestTimeout = (timeoutMs: number) => refused(new AppError('REQUEST_TIMEOUT', `The request body did not arrive within ${timeoutMs} ms`));
