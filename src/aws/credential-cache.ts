/**
 * One role session per account, shared by every client that works in it (SPEC §16: the fan-out
 * assumes at most one role per account per invocation, never one per region). The SDK's
 * `fromTemporaryCredentials` calls AssumeRole each time it is asked, and each client asks on its
 * own: a provider shared by several clients would assume the role once per client. This keeps each
 * account's credentials until five minutes before they expire, and forgets a failure.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Credentials closer to their expiry than this are asked for again. */
const REFRESH_BEFORE_MS = 5 * 60_000;

export interface CredentialCache {
  /** The account's provider: `assume` is called once, then again only near expiry or after a failure. */
  forAccount(account: string, assume: () => AwsCredentialIdentityProvider): AwsCredentialIdentityProvider;
}

/** @example const cache = createCredentialCache(); const credentials = cache.forAccount(account, () => assumeRoleCredentials(arn)); */
export function createCredentialCache(clock: () => number = Date.now): CredentialCache {
  const providers = new Map<string, AwsCredentialIdentityProvider>();
  return {
    forAccount(account, assume) {
      let provider = providers.get(account);
      if (provider === undefined) {
        provider = memoized(assume(), clock);
        providers.set(account, provider);
      }
      return provider;
    },
  };
}

function memoized(
  provider: AwsCredentialIdentityProvider,
  clock: () => number,
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return async (properties) => {
    if (current !== undefined) {
      const known = await current.catch(() => undefined);
      const expires = known?.expiration?.getTime();
      if (known !== undefined && (expires === undefined || expires - clock() > REFRESH_BEFORE_MS))
        return known;
    }
    const asked = provider(properties);
    current = asked;
    asked.catch(() => {
      if (current === asked) current = undefined;
    });
    return asked;
  };
}
