/** Notifications through SNS (SPEC §10): subject `ebs-snapper: <what> in <account> <region>`, JSON body. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier } from '../app/serverless/ports.js';
import { callAws } from './errors.js';

/** SNS subjects are at most 100 characters. */
const MAX_SUBJECT = 100;

/**
 * The region in a topic's ARN (`arn:aws:sns:<region>:<account>:<name>`), where it must be published to.
 *
 * @example topicRegion('arn:aws:sns:eu-west-1:111111111111:alerts') // 'eu-west-1'
 */
export function topicRegion(topicArn: string): string | undefined {
  const region = topicArn.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

/** @example await createSnsNotifier(sns, topicArn).send(notification); */
export function createSnsNotifier(sns: SNSClient, topicArn: string): Notifier {
  return {
    target: `sns:${topicArn}`,
    async send(notification) {
      const message = JSON.stringify({
        event: notification.event,
        text: notification.text,
        ...notification.details,
      });
      await callAws('Publish', () =>
        sns.send(
          new PublishCommand({
            TopicArn: topicArn,
            Subject: notification.subject.slice(0, MAX_SUBJECT),
            Message: message,
          }),
        ),
      );
    },
  };
}
