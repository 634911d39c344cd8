/**
 * Collects the errors and warnings of one parse, each as `"path: message"`.
 */
import { problem } from './describe.js';

export type Path = readonly (string | number)[];

export class Report {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  error(path: Path, message: string): void {
    this.errors.push(problem(path, message));
  }

  warn(path: Path, message: string): void {
    this.warnings.push(problem(path, message));
  }

  /** Runs `check` and tells whether it added no error. */
  clean(check: () => void): boolean {
    const before = this.errors.length;
    check();
    return this.errors.length === before;
  }
}
