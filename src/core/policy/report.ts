/**
 * Collects the errors and warnings of one parse, each as `"path: message"`.
 */
import type { Warning, WarningCode } from '../warnings.js';
import { problem } from './describe.js';

export type Path = readonly (string | number)[];

export class Report {
  readonly errors: string[] = [];
  /**
   * @param now epoch ms the document is checked at, for rules that depend on it (a cron that
   *   never fires again); undefined skips them, keeping the parse independent of any clock.
   */
  constructor(readonly now?: number) {}

  readonly warnings: Warning[] = [];

  error(path: Path, message: string): void {
    this.errors.push(problem(path, message));
  }

  warn(code: WarningCode, path: Path, message: string): void {
    this.warnings.push({ code, message: problem(path, message) });
  }

  /** Runs `check` and tells whether it added no error. */
  clean(check: () => void): boolean {
    const before = this.errors.length;
    check();
    return this.errors.length === before;
  }
}
