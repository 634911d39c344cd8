/**
 * `deploy --notify-email ADDRESS` (SPEC §11a): each address subscribed to the stack's topic, where
 * failures and the alarms go. Email subscriptions wait for the owner of the address to confirm
 * them (AWS sends the mail), so an address already subscribed — confirmed or pending — is not
 * subscribed again: a second subscribe would send another confirmation mail.
 */

import type { TopicPort } from './ports.js';
import type { DeployProgress } from './stack-wait.js';

/** What became of an address: subscribed now (pending its confirmation), pending already, confirmed already, or a dry run. */
export type EmailSubscriptionStatus = 'subscribed' | 'pending' | 'confirmed' | 'would-subscribe';

export interface EmailSubscription {
  readonly address: string;
  readonly status: EmailSubscriptionStatus;
}

/** The message every new or pending email subscription comes with. */
export const CONFIRMATION_NOTE =
  'AWS sends a confirmation mail; the subscription is pending until it is confirmed';

/**
 * Subscribe each address not subscribed yet (one ListSubscriptionsByTopic, paged, then one
 * Subscribe per new address); addresses are compared without regard to case.
 *
 * @example await subscribeEmails(topics, topicArn, ['ops@example.com'], progress) // [{ address, status: 'subscribed' }]
 */
export async function subscribeEmails(
  topics: TopicPort,
  topicArn: string,
  addresses: readonly string[],
  progress: DeployProgress,
): Promise<EmailSubscription[]> {
  const existing = new Map(
    (await topics.subscriptions(topicArn))
      .filter((s) => s.protocol === 'email')
      .map((s) => [s.endpoint.toLowerCase(), s.confirmed] as const),
  );
  const results: EmailSubscription[] = [];
  for (const address of unique(addresses)) {
    const confirmed = existing.get(address.toLowerCase());
    if (confirmed !== undefined) {
      results.push({ address, status: confirmed ? 'confirmed' : 'pending' });
      continue;
    }
    await topics.subscribeEmail(topicArn, address);
    progress.note(`subscribed ${address} to ${topicArn}: ${CONFIRMATION_NOTE}`);
    results.push({ address, status: 'subscribed' });
  }
  return results;
}

/** `--dry-run`: what the deploy would do, without a call. */
export function previewEmails(addresses: readonly string[]): EmailSubscription[] {
  return unique(addresses).map((address) => ({ address, status: 'would-subscribe' }));
}

function unique(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const key = a.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
