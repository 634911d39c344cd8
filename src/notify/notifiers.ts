/**
 * The notifiers of a config's `settings.notify` (SPEC §10), built here for both the CLI's `run`
 * and the deployed functions: one SNS notifier per topic and one webhook notifier. Which SNS
 * client publishes to a topic is the caller's (`snsIn`): each gets the topic's own region, read
 * from its ARN, since a topic can only be published to in its region.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Notifier } from '../app/serverless/ports.js';
import { createSnsClient, type DeployedClientOptions } from '../aws/serverless-clients.js';
import { createSnsNotifier, topicRegion } from '../aws/sns-notifier.js';
import type { Settings } from '../core/policy/types.js';
import { createWebhookNotifier } from './webhook.js';

export interface NotifierSetup {
  /** The SNS client for a topic's region (undefined when the ARN names none). */
  readonly snsIn: (region: string | undefined) => SNSClient;
  /** Topics told whatever the config says: the deployment's own (`EBS_SNAPPER_TOPIC_ARN`). */
  readonly alwaysTopics?: readonly string[];
}

/**
 * @example notifiersOf(config.settings.notify, { snsIn: (region) => new SNSClient({ region }) })
 */
export function notifiersOf(notify: Settings['notify'] | undefined, setup: NotifierSetup): Notifier[] {
  const topics = new Set([
    ...(setup.alwaysTopics ?? []),
    ...(notify?.snsTopicArn ? [notify.snsTopicArn] : []),
  ]);
  return [
    ...[...topics].map((topic) => createSnsNotifier(setup.snsIn(topicRegion(topic)), topic)),
    ...(notify?.webhookUrl === undefined ? [] : [createWebhookNotifier(notify.webhookUrl)]),
  ];
}

/**
 * SNS clients by region, each made once, with the given settings (profile, endpoint): what
 * {@link NotifierSetup.snsIn} takes. No region: the SDK's own (`AWS_REGION`, the profile's).
 *
 * @example notifiersOf(notify, { snsIn: snsClientsByRegion({ profile: 'ops' }) })
 */
export function snsClientsByRegion(
  options: Omit<DeployedClientOptions, 'region'> = {},
): (region: string | undefined) => SNSClient {
  const clients = new Map<string | undefined, SNSClient>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = createSnsClient({ ...options, ...(region === undefined ? {} : { region }) });
      clients.set(region, client);
    }
    return client;
  };
}
