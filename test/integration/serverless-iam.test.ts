/**
 * The deployed roles cover what the handlers really call: a whole deployed run against moto
 * (member account, copies to another region, SNS notifications), the calls seen at the proxy
 * checked against the worker's and fan-out's statements — the same ones the hub template grants.
 */
import { describe, expect, it } from 'vitest';
import type { IamStatement } from '../../src/aws/iam.js';
import { functionRoleStatements } from '../../src/templates/role-policies.js';
import { notAllowed } from '../support/iam-match.js';
import { drainQueue, importHandlers, lambdaContext, useDeployment } from '../support/moto/deployment.js';
import { pushTestConfig, seedWebFleet, webPolicy } from '../support/moto/member-accounts.js';
import { MOTO_ACCOUNT_ID } from '../support/moto/moto.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const { fanOut, worker } = await importHandlers();
const MEMBER = '111111111111';

describe('the deployed roles', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);

  it('allow every call fanOut and the worker make, each its own', async () => {
    // Prepare: the deployment's own account and a member, copies to us-west-2, SNS on every event
    for (const account of [MOTO_ACCOUNT_ID, MEMBER])
      await seedWebFleet(t.moto.endpoint, account, 'us-east-1');
    const notify = `  notify: {sns_topic_arn: "${deployed.current.topicArn}", on: [failure, summary, overdue]}\n`;
    const policy = `${webPolicy([MOTO_ACCOUNT_ID, MEMBER], ['us-east-1'], notify)}    copy_to: [{region: us-west-2, retention: {minimum: 1}}]\n`;
    await pushTestConfig(t.moto.endpoint, deployed.current.region, deployed.current.table, policy);
    const { worker: workerStatements, fanOut: fanOutStatements } = functionRoleStatements();
    t.proxy.resetCounts();

    // Act
    const fanned = await fanOut(
      {},
      lambdaContext(() => 300_000),
    );
    const fanOutSeen = t.proxy.iamActions();
    t.proxy.resetCounts();
    const responses = await drainQueue(deployed.current, worker);
    const workerSeen = t.proxy.iamActions();

    // Assess
    expect(fanned).toMatchObject({ messages: 4, failures: [] });
    expect(responses.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    expect(fanOutSeen).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'sqs:SendMessage']));
    expect(workerSeen).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'sts:AssumeRole',
        'ec2:CreateSnapshot',
        'ec2:CopySnapshot',
        'sns:Publish',
        'sqs:ReceiveMessage',
      ]),
    );
    expect(notAllowed(fanOutSeen, fanOutStatements)).toEqual([]);
    expect(notAllowed(workerSeen, workerStatements)).toEqual([]);
    // The check can fail: the fan-out's role may not create snapshots
    expect(notAllowed(workerSeen, fanOutStatements)).toContain('ec2:CreateSnapshot');
  });

  it("allow publishing to any topic a config may name: another region's, another account's", () => {
    // Prepare: config push accepts any topic ARN, and a config can be pushed after deploy
    const topics = [
      'arn:aws:sns:eu-west-1:123456789012:backup-alerts',
      'arn:aws:sns:ap-southeast-2:111111111111:ops',
    ];

    // Act
    const { worker: workerStatements, fanOut: fanOutStatements } = functionRoleStatements();

    // Assess: both functions notify (the fan-out an account it could not reach)
    for (const statements of [workerStatements, fanOutStatements]) {
      expect(topics.filter((topic) => !allowsOn(statements, 'sns:Publish', topic))).toEqual([]);
    }
  });
});

/** Does a statement allow `action` on `resource` (IAM's `*` wildcards in both)? */
function allowsOn(statements: readonly IamStatement[], action: string, resource: string): boolean {
  const matches = (pattern: string, value: string) =>
    new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`).test(value);
  return statements.some(
    (s) =>
      s.Action.some((a) => matches(a, action)) &&
      (s.Resource === '*' || s.Resource.some((r) => matches(r, resource))),
  );
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
