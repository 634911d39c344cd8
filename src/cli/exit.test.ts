import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { toAwsCallError } from '../aws/errors.js';
import { ConfigError, EbsSnapperError, UsageError } from '../core/errors.js';
import { EXIT, exitCodeFor, exitCodeForError, formatErrorForCli } from './exit.js';

describe('exit codes (SPEC §5)', () => {
  it.each([
    [{ failed: false, changes: false }, false, EXIT.ok],
    [{ failed: false, changes: true }, false, EXIT.ok],
    [{ failed: false, changes: true }, true, EXIT.changes],
    [{ failed: true, changes: true }, true, EXIT.failed],
    [{ failed: true, changes: false }, false, EXIT.failed],
  ])('%o with --detailed-exitcode=%s exits %i', (outcome, detailed, code) => {
    // Act / Assess
    expect(exitCodeFor(outcome, detailed)).toBe(code);
  });

  it.each([
    [{ failed: false, changes: true, interrupted: 'SIGINT' as const }, true, 1],
    [{ failed: false, changes: false, interrupted: 'SIGTERM' as const }, false, 1],
    [{ failed: true, changes: false, interrupted: 'SIGINT' as const }, false, EXIT.failed],
  ])(
    '%o with --detailed-exitcode=%s exits %i: an interrupt as a shell reports it, a failure first',
    (outcome, detailed, code) => {
      // Act / Assess
      expect(exitCodeFor(outcome, detailed)).toBe(code);
    },
  );

  it('an error thrown once an interrupt came exits 1, help still 0', () => {
    // Act / Assess
    expect(exitCodeForError(new Error('cancelled'))).toBe(1);
    expect(exitCodeForError(new CommanderError(0, 'commander.helpDisplayed', ''))).toBe(0);
  });

  it('every thrown error is 1; help and version are 0', () => {
    // Act / Assess
    expect(exitCodeForError(new ConfigError('bad'))).toBe(1);
    expect(exitCodeForError(new Error('bug'))).toBe(1);
    expect(exitCodeForError(new CommanderError(0, 'commander.helpDisplayed', ''))).toBe(0);
    expect(exitCodeForError(new CommanderError(1, 'commander.unknownOption', ''))).toBe(1);
  });
});

describe('formatErrorForCli', () => {
  it('lists every problem of a config error', () => {
    // Prepare
    const error = new ConfigError('ebs-snapper.yaml: 2 problems', ['a: one', 'b: two']);

    // Act
    const text = formatErrorForCli(error, false);

    // Assess
    expect(text).toBe('Error: ebs-snapper.yaml: 2 problems\n  a: one\n  b: two');
  });

  it('follows the cause chain of the tool own errors', () => {
    // Prepare
    const error = new EbsSnapperError('cannot collect', { cause: new Error('socket hang up') });

    // Act
    const text = formatErrorForCli(error, false);

    // Assess
    expect(text).toContain('Error: cannot collect');
    expect(text).toContain('caused by: Error: socket hang up');
  });

  it('says a cause once when the message already carries it (an unreachable endpoint)', () => {
    // Prepare
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = toAwsCallError('GetCallerIdentity', refused);

    // Act
    const text = formatErrorForCli(error, false);

    // Assess
    expect(text).toBe('Error: GetCallerIdentity failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9');
  });

  it('shows control, bidi and format characters of an AWS message as escapes, never raw', () => {
    // Prepare: a message that quotes a name someone set, with a right-to-left override and an escape
    const error = new UsageError('no such table "backups\u202Efdp.exe\u001b[2J"');

    // Act
    const text = formatErrorForCli(error, false);

    // Assess
    expect(text).toBe('Error: no such table "backups\\u202Efdp.exe\\u001B[2J"');
  });
});
