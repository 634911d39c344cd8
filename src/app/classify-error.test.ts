import { describe, expect, it } from 'vitest';
import { EbsSnapperError } from '../core/errors.js';
import { describeError, isTransientError, readErrorCode } from './classify-error.js';

/** Shaped like the AWS adapter's AwsCallError, without importing it. */
class AwsLikeError extends EbsSnapperError {
  constructor(
    readonly code: string,
    readonly httpStatusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(`CreateSnapshot failed: ${code}`, options);
  }
}

describe('readErrorCode', () => {
  it('reads the code, a specific name, or the cause, in that order', () => {
    // Prepare
    const network = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });

    // Act
    const codes = [
      readErrorCode(new AwsLikeError('InvalidSnapshot.NotFound')),
      readErrorCode(timeout),
      readErrorCode(new EbsSnapperError('wrapped', { cause: network })),
      readErrorCode('a string'),
    ];

    // Assess
    expect(codes).toEqual(['InvalidSnapshot.NotFound', 'TimeoutError', 'ECONNRESET', 'Unknown']);
  });
});

describe('isTransientError', () => {
  it('knows 5xx, timeouts and dropped connections from refusals', () => {
    // Prepare
    const cases: [unknown, boolean][] = [
      [new AwsLikeError('InternalError', 500), true],
      [new AwsLikeError('ServiceUnavailable'), true],
      [new AwsLikeError('UnknownError', 503), true],
      [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), true],
      [new AwsLikeError('InvalidVolume.NotFound', 400), false],
      [new AwsLikeError('RequestLimitExceeded', 400), false],
    ];

    // Act
    const verdicts = cases.map(([error]) => isTransientError(error));

    // Assess
    expect(verdicts).toEqual(cases.map(([, transient]) => transient));
  });
});

describe('describeError', () => {
  it('keeps the code and the message', () => {
    // Act
    const info = describeError(new AwsLikeError('InvalidSnapshot.InUse'));

    // Assess
    expect(info).toEqual({
      code: 'InvalidSnapshot.InUse',
      message: 'CreateSnapshot failed: InvalidSnapshot.InUse',
    });
  });
});
