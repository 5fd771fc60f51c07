export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
  /** Whether a line at `level` would be written: to skip building one that would not. */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Structured JSON lines, one per event; `child` binds fields such as the request id. */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => console.log(line), bound: Fields = {}): Logger {
  return new JsonLogger(rank[level], write, bound);
}

// A class, not closures: the app makes a child per request, and this makes it one small object.
class JsonLogger implements Logger {
  readonly #min: number;
  readonly #write: (line: string) => void;
  readonly #bound: Fields;
  constructor(min: number, write: (line: string) => void, bound: Fields) {
    this.#min = min;
    this.#write = write;
    this.#bound = bound;
  }
  #log(lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Fields) {
    if (rank[lvl] < this.#min) return;
    this.#write(JSON.stringify({ level: lvl, time: new Date().toISOString(), msg, ...this.#bound, ...fields }));
  }
  debug(msg: string, fields?: Fields) {
    this.#log('debug', msg, fields);
  }
  info(msg: string, fields?: Fields) {
    this.#log('info', msg, fields);
  }
  warn(msg: string, fields?: Fields) {
    this.#log('warn', msg, fields);
  }
  error(msg: string, fields?: Fields) {
    this.#log('error', msg, fields);
  }
  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return rank[level] >= this.#min;
  }
  child(fields: Fields): Logger {
    return new JsonLogger(this.#min, this.#write, { ...this.#bound, ...fields });
  }
}

/**
 * Collects log lines and hands them to `sink` together, once per turn of the event loop: one
 * write instead of one per line (on Linux, stdout to a pipe or file is a synchronous write per
 * call, and a request line per request is the default). Call `flush` before exiting.
 */
export function batchedLines(sink: (text: string) => void): { write(line: string): void; flush(): void } {
  let pending = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    sink(text);
  };
  return {
    write(line) {
      pending += `${line}\n`;
      timer ??= setTimeout(flush, 0);
    },
    flush,
  };
}

/** Error fields for a log line: the stack stays in the log, never in a response. */
export const errorFields = (err: unknown, { stack = true } = {}): Fields =>
  err instanceof Error
    ? {
        error: err.message,
        // fetch's "fetch failed" says why only in its cause (ECONNREFUSED, a DNS failure, …).
        ...(err.cause instanceof Error && { cause: err.cause.message }),
        ...(stack && { stack: err.stack }),
      }
    : { error: String(err) };
