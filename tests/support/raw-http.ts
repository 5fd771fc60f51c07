import { connect, type Socket } from 'node:net';

/** A raw TCP connection to a host under test: to send requests byte by byte and watch the socket. */
export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves when the server has closed the connection (or reset it: then `reset` is true). */
  closed: Promise<{ reset: boolean }>;
  write(data: string | Uint8Array): Promise<void>;
  /** Resolves once `pattern` appears in what was received. */
  waitFor(pattern: RegExp): Promise<string>;
}

export function openRaw(baseUrl: string): Promise<RawConnection> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let data = '';
    const waiters: (() => void)[] = [];
    let reset = false;
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      for (const w of waiters.splice(0)) w();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') reset = true;
    });
    const closed = new Promise<{ reset: boolean }>((r) =>
      socket.once('close', () => {
        for (const w of waiters.splice(0)) w();
        r({ reset });
      }),
    );
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => data,
        closed,
        write: (chunk) => new Promise((res, rej) => socket.write(chunk, (err) => (err ? rej(err) : res()))),
        async waitFor(pattern) {
          while (!pattern.test(data)) {
            if (socket.destroyed) throw new Error(`connection closed before ${pattern}; received:\n${data}`);
            await new Promise<void>((r) => waiters.push(r));
          }
          return data;
        },
      }),
    );
    socket.once('error', reject);
  });
}
