export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Structured JSON lines, one per event; `child` binds fields such as the request id. */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => console.log(line),
  bound: Fields = {},
): Logger {
  const log = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Fields) => {
    if (rank[lvl] < rank[level]) return;
    write(JSON.stringify({ level: lvl, time: new Date().toISOString(), msg, ...bound, ...fields }));
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (fields) => createLogger(level, write, { ...bound, ...fields }),
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
