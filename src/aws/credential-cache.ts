/**
 * One role session per account, shared by every client that works in it (SPEC §16: the fan-out
 * assumes at most one role per account per invocation, never one per region; the worker one per
 * account and role per invocation, never one per target). The SDK's `fromTemporaryCredentials`
 * calls AssumeRole each time it is asked, and each client asks on its own: a provider shared by
 * several clients would assume the role once per client. This keeps each account's credentials
 * until five minutes before they expire, and forgets a failure — the provider too, since one built
 * with a caller's deadline fails for good once that deadline has passed.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Credentials closer to their expiry than this are asked for again. */
const REFRESH_BEFORE_MS = 5 * 60_000;

export interface CredentialCache {
  /**
   * The provider of `key`'s session (an account, or an account and a role name). `assume` builds
   * the underlying provider: once, then again only after a failure (with the latest `assume` given
   * for the key); the credentials are asked for again only near expiry or after a failure.
   */
  forAccount(key: string, assume: () => AwsCredentialIdentityProvider): AwsCredentialIdentityProvider;
}

/** @example const cache = createCredentialCache(); const credentials = cache.forAccount(account, () => assumeRoleCredentials(arn)); */
export function createCredentialCache(clock: () => number = Date.now): CredentialCache {
  const sessions = new Map<string, Session>();
  return {
    forAccount(key, assume) {
      const known = sessions.get(key);
      if (known !== undefined) {
        known.assume = assume;
        return known.provider;
      }
      const session = newSession(assume, clock);
      sessions.set(key, session);
      return session.provider;
    },
  };
}

interface Session {
  /** How to build the provider again after a failure: the latest caller's. */
  assume: () => AwsCredentialIdentityProvider;
  readonly provider: AwsCredentialIdentityProvider;
}

function newSession(assume: () => AwsCredentialIdentityProvider, clock: () => number): Session {
  // Built at once, so that an `assume` that throws (no role to assume) throws to its caller.
  let built: AwsCredentialIdentityProvider | undefined = assume();
  let current: Promise<AwsCredentialIdentity> | undefined;
  const session: Session = {
    assume,
    provider: async (properties) => {
      if (current !== undefined) {
        const known = await current.catch(() => undefined);
        const expires = known?.expiration?.getTime();
        if (known !== undefined && (expires === undefined || expires - clock() > REFRESH_BEFORE_MS))
          return known;
      }
      const used = built ?? session.assume();
      built = used;
      const asked = used(properties);
      current = asked;
      asked.catch(() => {
        if (current === asked) current = undefined;
        if (built === used) built = undefined;
      });
      return asked;
    },
  };
  return session;
}
