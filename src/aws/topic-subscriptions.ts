/**
 * The hub topic's subscriptions, for `deploy --notify-email`: who is subscribed (and whether they
 * confirmed), and an email address subscribed. SNS shows an email subscription not confirmed yet
 * with the ARN `PendingConfirmation`.
 */
import { ListSubscriptionsByTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { TopicPort, TopicSubscription } from '../app/deploy/ports.js';
import { callAws } from './errors.js';
import type { AwsOperation } from './iam.js';

/** What these calls need, on the stack's topic only (CloudFormation names it `<stack>-Topic-…`). */
export const TOPIC_OPERATIONS = [
  {
    operation: 'notify-email',
    actions: ['sns:ListSubscriptionsByTopic', 'sns:Subscribe'],
    resources: ['arn:{partition}:sns:*:*:{stack}-*'],
  },
] as const satisfies readonly AwsOperation[];

const PENDING = /^pending ?confirmation$/i;

/** @example await createTopicPort(sns).subscriptions('arn:aws:sns:eu-west-1:111111111111:ebs-snapper-Topic-X') */
export function createTopicPort(client: SNSClient): TopicPort {
  return {
    async subscriptions(topicArn) {
      const found: TopicSubscription[] = [];
      let token: string | undefined;
      do {
        const page = await callAws('ListSubscriptionsByTopic', () =>
          client.send(
            new ListSubscriptionsByTopicCommand({
              TopicArn: topicArn,
              ...(token === undefined ? {} : { NextToken: token }),
            }),
          ),
        );
        for (const s of page.Subscriptions ?? []) {
          if (s.Protocol === undefined || s.Endpoint === undefined) continue;
          found.push({
            protocol: s.Protocol,
            endpoint: s.Endpoint,
            confirmed: s.SubscriptionArn !== undefined && !PENDING.test(s.SubscriptionArn),
          });
        }
        token = page.NextToken;
      } while (token !== undefined && token !== '');
      return found;
    },
    async subscribeEmail(topicArn, address) {
      await callAws('Subscribe', () =>
        client.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: address })),
      );
    },
  };
}
