import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { EbsSnapperError } from '../core/errors.js';
import { AwsCallError, callAws, toAwsCallError } from './errors.js';

function sdkError(name: string, status: number, fault: 'client' | 'server' = 'client') {
  return new EC2ServiceException({
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
    message: 'm',
  });
}

describe('AwsCallError', () => {
  it('keeps the EC2 code, the operation and the cause', () => {
    // Prepare
    const cause = sdkError('InvalidSnapshot.InUse', 400);

    // Act
    const error = toAwsCallError('DeleteSnapshot', cause);

    // Assess
    expect(error).toBeInstanceOf(EbsSnapperError);
    expect(error).toMatchObject({
      name: 'AwsCallError',
      code: 'InvalidSnapshot.InUse',
      operation: 'DeleteSnapshot',
      transient: false,
      httpStatusCode: 400,
    });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('DeleteSnapshot failed: InvalidSnapshot.InUse: m');
  });

  it('hints that throttling, rate limits, 5xx and network errors may pass later', () => {
    // Prepare
    const network = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

    // Act
    const hints = [
      toAwsCallError('X', sdkError('RequestLimitExceeded', 503)),
      toAwsCallError('X', sdkError('SnapshotCreationPerVolumeRateExceeded', 400)),
      toAwsCallError('X', sdkError('ConcurrentSnapshotLimitExceeded', 400)),
      toAwsCallError('X', sdkError('Whatever', 502, 'server')),
      toAwsCallError('X', network),
      toAwsCallError('X', sdkError('UnauthorizedOperation', 403)),
    ].map((e) => [e.code, e.transient]);

    // Assess
    expect(hints).toEqual([
      ['RequestLimitExceeded', true],
      ['SnapshotCreationPerVolumeRateExceeded', true],
      ['ConcurrentSnapshotLimitExceeded', true],
      ['Whatever', true],
      ['ECONNRESET', true],
      ['UnauthorizedOperation', false],
    ]);
  });

  it('wraps what a call throws, once', async () => {
    // Prepare
    const inner = new AwsCallError('A', { code: 'C', message: 'm', transient: false });

    // Act
    const wrapped = await callAws('B', () => Promise.reject(inner)).catch((e: unknown) => e);
    const plain = await callAws('B', () => Promise.reject('text')).catch((e: unknown) => e);

    // Assess
    expect(wrapped).toBe(inner);
    expect(plain).toMatchObject({
      operation: 'B',
      code: 'UnknownError',
      message: 'B failed: UnknownError: text',
    });
  });
});
