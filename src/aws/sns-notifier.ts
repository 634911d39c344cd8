/** Notifications through SNS (SPEC §10): subject `ebs-snapper: <what> in <account> <region>`, JSON body. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier } from '../app/serverless/ports.js';
import { callAws } from './errors.js';

/** SNS subjects are at most 100 characters. */
const MAX_SUBJECT = 100;

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
