/**
 * One base error for the whole tool. Every error has a stable `name` and keeps its `cause`,
 * so the CLI can map it to an exit code and a message in one place.
 */
export class EbsSnapperError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The policy file (or an option) is invalid. `problems` are `"path: message"` strings. */
export class ConfigError extends EbsSnapperError {
  readonly problems: readonly string[];
  constructor(message: string, problems: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.problems = problems;
  }
}

/** A command-line argument or option is invalid (bad `--now`, unknown `--only`, ...). */
export class UsageError extends EbsSnapperError {}
