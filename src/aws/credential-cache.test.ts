import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { createCredentialCache } from './credential-cache.js';

/** A fake AssumeRole: counts its calls; credentials expire `ttlMs` after each. */
function fakeAssume(clock: { now: number }, ttlMs = 3_600_000, fail = () => false) {
  const calls: string[] = [];
  const assume =
    (account: string): AwsCredentialIdentityProvider =>
    async () => {
      calls.push(account);
      if (fail()) throw new Error('AccessDenied');
      return {
        accessKeyId: `AKIA${calls.length}`,
        secretAccessKey: 's',
        expiration: new Date(clock.now + ttlMs),
      };
    };
  return { calls, assume };
}

describe('createCredentialCache', () => {
  it('assumes each account’s role once, however many clients and regions ask, at once or later', async () => {
    // Prepare
    const clock = { now: 0 };
    const { calls, assume } = fakeAssume(clock);
    const cache = createCredentialCache(() => clock.now);

    // Act: 17 regions' clients of one account ask at once, then again later; a second account once
    const asks = Array.from({ length: 17 }, () =>
      cache.forAccount('111111111111', () => assume('111111111111'))({}),
    );
    await Promise.all(asks);
    clock.now += 30 * 60_000;
    await cache.forAccount('111111111111', () => assume('111111111111'))({});
    await cache.forAccount('222222222222', () => assume('222222222222'))({});

    // Assess
    expect(calls).toEqual(['111111111111', '222222222222']);
  });

  it('assumes the role again five minutes before the credentials expire, and after a refusal', async () => {
    // Prepare
    const clock = { now: 0 };
    let refuse = true;
    const { calls, assume } = fakeAssume(clock, 60 * 60_000, () => refuse);
    const cache = createCredentialCache(() => clock.now);
    const provider = cache.forAccount('111111111111', () => assume('111111111111'));

    // Act
    const refused = await provider({}).catch((error: Error) => error.message);
    refuse = false;
    const first = await provider({});
    clock.now += 56 * 60_000;
    const renewed = await provider({});

    // Assess
    expect(refused).toBe('AccessDenied');
    expect(calls).toHaveLength(3);
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
  });
});

describe('createCredentialCache after a failure', () => {
  it('builds the provider again with the latest `assume` given, so a deadline that passed fails no later target', async () => {
    // Prepare: each provider is cancelled by its own deadline (as `assumeRoleCredentials` is)
    const clock = { now: 0 };
    const built: number[] = [];
    const withDeadline =
      (deadline: number): (() => AwsCredentialIdentityProvider) =>
      () => {
        built.push(deadline);
        return async () => {
          if (clock.now >= deadline) throw new Error('Request aborted');
          return { accessKeyId: `AKIA${deadline}`, secretAccessKey: 's' };
        };
      };
    const cache = createCredentialCache(() => clock.now);
    const first = cache.forAccount('111111111111', withDeadline(1_000));
    clock.now = 2_000;

    // Act: the first target's deadline has passed; a later target with its own asks
    const late = await first({}).catch((error: Error) => error.message);
    const later = await cache.forAccount('111111111111', withDeadline(60_000))({});

    // Assess
    expect(late).toBe('Request aborted');
    expect(later.accessKeyId).toBe('AKIA60000');
    expect(built).toEqual([1_000, 60_000]);
  });
});
