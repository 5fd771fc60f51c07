import type { Platform, RealtimeSocket, SocketHandlers } from '../../core/platform.ts';
import { hubOf, MAX_DEVICES_PER_USER } from './hub.ts';
import type { Member } from './room.ts';
import { ClientMessage, MAX_CLIENT_MESSAGE_CHARS, type ServerMessage } from './schemas.ts';

/**
 * One device's socket, transport aside: it joins the user's room on open, answers the client's
 * messages, and leaves on close. An invalid message gets an `error` event; the socket stays open.
 */
export function openConnection(platform: Platform, userId: string, deviceId: string, since: number | undefined): SocketHandlers {
  const hub = hubOf(platform);
  let member: Member | null = null;
  let socket: RealtimeSocket | null = null;
  const send = (message: ServerMessage) => socket?.send(JSON.stringify(message));
  const fail = (err: unknown) => {
    platform.logger.error('sync socket failed', { userId, deviceId, error: String(err) });
    send({ type: 'error', code: 'INTERNAL', message: 'Internal error' });
  };
  return {
    onOpen(s) {
      socket = s;
      if (hub.devices(userId) >= MAX_DEVICES_PER_USER) {
        send(tooManyDevices);
        s.close(1008, 'too many devices');
        return;
      }
      member = { deviceId, send };
      hub.join(userId, member, since).catch(fail);
    },
    onMessage(text) {
      const read = readClientMessage(text);
      if ('error' in read) send(read.error);
      else if (read.message.type === 'ping') send({ type: 'pong' });
      else if (member) hub.catchUp(userId, member, read.message.since).catch(fail);
    },
    onClose() {
      if (member) hub.leave(userId, member);
      member = null;
      socket = null;
    },
  };
}

/**
 * A client's frame, checked against the one message union: the message, or the `error` event
 * that answers it (the socket stays open). Every transport reads frames through this.
 */
export function readClientMessage(text: string): { message: ClientMessage } | { error: ServerMessage } {
  if (text.length > MAX_CLIENT_MESSAGE_CHARS) {
    return { error: { type: 'error', code: 'MESSAGE_TOO_LARGE', message: `A message is at most ${MAX_CLIENT_MESSAGE_CHARS} characters` } };
  }
  let parsed: ReturnType<typeof ClientMessage.safeParse>;
  try {
    parsed = ClientMessage.safeParse(JSON.parse(text));
  } catch {
    return { error: { type: 'error', code: 'INVALID_MESSAGE', message: 'A message is one JSON object' } };
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const message = `Invalid message: ${issue ? `${issue.path.join('.') || 'type'}: ${issue.message}` : 'unknown'}`.slice(0, 500);
    return { error: { type: 'error', code: 'INVALID_MESSAGE', message } };
  }
  return { message: parsed.data };
}

/** What a device is told when its user already has the most devices connected. */
export const tooManyDevices: ServerMessage = {
  type: 'error',
  code: 'TOO_MANY_DEVICES',
  message: `At most ${MAX_DEVICES_PER_USER} devices of one user at once`,
};
