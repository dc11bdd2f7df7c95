/** Log levels, most severe first, as the `--log-level` option names them. */
export const LOG_LEVELS = ['critical', 'error', 'warning', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['plain', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Extra structured data of a log line: `key=value` in plain, properties in JSON. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly format?: LogFormat;
  /** Where lines go. Default `process.stderr`. */
  readonly write?: (line: string) => void;
}

const SEVERITY: Readonly<Record<LogLevel, number>> = {
  critical: 50,
  error: 40,
  warning: 30,
  info: 20,
  debug: 10,
};

const PLAIN_SAFE_VALUE = /^[^\s"=\\]+$/;

/**
 * Writes one line per event to stderr: `LEVEL message key=value…` (plain) or
 * `{"level","message","time",…}` (JSON lines).
 *
 * @example
 * const logger = new Logger({ level: 'debug', format: 'json' });
 * logger.info('listening', { url: 'http://127.0.0.1:9091' });
 */
export class Logger {
  readonly level: LogLevel;
  readonly format: LogFormat;
  private readonly threshold: number;
  private readonly write: (line: string) => void;

  constructor(options: LoggerOptions = {}) {
    this.level = options.level ?? 'info';
    this.format = options.format ?? 'plain';
    this.threshold = SEVERITY[this.level];
    this.write = options.write ?? ((line) => process.stderr.write(line));
  }

  /** Whether a line at `level` would be written (skip building costly fields otherwise). */
  enabled(level: LogLevel): boolean {
    return SEVERITY[level] >= this.threshold;
  }

  critical(message: string, fields?: LogFields): void {
    this.log('critical', message, fields);
  }

  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  warning(message: string, fields?: LogFields): void {
    this.log('warning', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }

  log(level: LogLevel, message: string, fields?: LogFields): void {
    if (SEVERITY[level] < this.threshold) return;
    this.write(
      this.format === 'json' ? jsonLine(level, message, fields) : plainLine(level, message, fields),
    );
  }
}

function jsonLine(level: LogLevel, message: string, fields: LogFields | undefined): string {
  const record: Record<string, unknown> = { level, message, time: new Date().toISOString() };
  if (fields !== undefined) {
    for (const [key, value] of Object.entries(fields)) {
      // The three fixed keys always describe the event itself.
      if (value !== undefined && !(key in record)) record[key] = value;
    }
  }
  return `${JSON.stringify(record)}\n`;
}

function plainLine(level: LogLevel, message: string, fields: LogFields | undefined): string {
  let line = `${level.toUpperCase()} ${message}`;
  if (fields !== undefined) {
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const text = String(value);
      line += ` ${key}=${PLAIN_SAFE_VALUE.test(text) ? text : JSON.stringify(text)}`;
    }
  }
  return `${line.replace(/\n/g, '\\n')}\n`;
}

/** The message of an error for a log line: its own message, then its causes'. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = error.message;
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    const causeText = cause instanceof Error ? cause.message : String(cause);
    if (!text.includes(causeText)) text += `: ${causeText}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}
