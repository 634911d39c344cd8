/**
 * The stack's topic in memory for deploy's tests: subscriptions as SNS lists them — an email one
 * pending until the test confirms it — and every Subscribe call kept.
 */
import type { TopicPort, TopicSubscription } from '../../../src/app/deploy/ports.js';

export interface FakeTopic extends TopicPort {
  /** Every Subscribe call, `topic address`. */
  readonly subscribeCalls: string[];
  /** The owner of the address clicked the link in the confirmation mail. */
  confirm(address: string): void;
}

/** @example const topics = fakeTopic(); await deployHub(request, { ...ports, topics }); topics.subscribeCalls */
export function fakeTopic(initial: readonly TopicSubscription[] = []): FakeTopic {
  const subscriptions: TopicSubscription[] = [...initial];
  const subscribeCalls: string[] = [];
  return {
    subscribeCalls,
    confirm(address) {
      const index = subscriptions.findIndex((s) => s.endpoint === address);
      if (index >= 0) subscriptions[index] = { ...subscriptions[index]!, confirmed: true };
    },
    subscriptions: async () => [...subscriptions],
    async subscribeEmail(topicArn, address) {
      subscribeCalls.push(`${topicArn} ${address}`);
      subscriptions.push({ protocol: 'email', endpoint: address, confirmed: false });
    },
  };
}
