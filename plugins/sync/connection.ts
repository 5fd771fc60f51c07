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
        send({ type: 'error', code: 'TOO_MANY_DEVICES', message: `At most ${MAX_DEVICES_PER_USER} devices of one user at once` });
        s.close(1008, 'too many devices');
        return;
      }
      member = { deviceId, send };
      hub.join(userId, member, since).catch(fail);
    },
    onMessage(text) {
      if (text.length > MAX_CLIENT_MESSAGE_CHARS) {
        send({ type: 'error', code: 'MESSAGE_TOO_LARGE', message: `A message is at most ${MAX_CLIENT_MESSAGE_CHARS} characters` });
        return;
      }
      let parsed: ReturnType<typeof ClientMessage.safeParse>;
      try {
        parsed = ClientMessage.safeParse(JSON.parse(text));
      } catch {
        send({ type: 'error', code: 'INVALID_MESSAGE', message: 'A message is one JSON object' });
        return;
      }
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        send({ type: 'error', code: 'INVALID_MESSAGE', message: `Invalid message: ${issue ? `${issue.path.join('.') || 'type'}: ${issue.message}` : 'unknown'}`.slice(0, 500) });
        return;
      }
      const message = parsed.data;
      if (message.type === 'ping') send({ type: 'pong' });
      else if (member) hub.catchUp(userId, member, message.since).catch(fail);
    },
    onClose() {
      if (member) hub.leave(userId, member);
      member = null;
      socket = null;
    },
  };
}
