/**
 * What `deploy` leaves an operator with, end to end against moto: the addresses of
 * `--notify-email` subscribed to the topic once (moto confirms email subscriptions at once; the
 * proxy plays one AWS still waits for), "what happens next" (the first run of a rate and of a cron
 * in its time zone, how to watch it, where alerts go), the worker's role built from the config's
 * features (statement by statement, as IAM holds it), and `config push` refusing a config the
 * roles cannot run.
 */
import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { nextCronTime, normalizeCron } from '../../src/core/policy/cron.js';
import { hubTemplate } from '../../src/templates/hub-template.js';
import { motoClientConfig } from '../support/moto/moto.js';
import { runCli, writePolicy } from './cli.js';
import {
  type DeployContext,
  type DeployJson,
  deployJson,
  describeStack,
  liveEnvironment,
  REGION,
  useDeployBehindProxy,
} from './deploy-harness.js';

const VOLUMES_ONLY = `version: 1
policies:
  - id: daily
    select: {volumes: {"tag:Backup": "true"}}
    schedule: {every: 1 day}
    retention: {max_age: 7 days}
`;
const WITH_STOPS = VOLUMES_ONLY.replace(
  'schedule: {every: 1 day}',
  'schedule: {every: 1 day}\n    snapshot: {stop_instance: true}',
);
const HOUR = 3_600_000;

type NextJson = DeployJson & {
  subscriptions: { address: string; status: string }[];
  next: {
    run: { at: string; exact: boolean; first: boolean } | null;
    schedule: { expression: string; timezone: string };
    watch: string[];
    alerts: { topic_arn: string; subscriptions: unknown[]; note: string };
  } | null;
};

describe('deploy, for the operator', () => {
  const t = useDeployBehindProxy();

  it('--notify-email subscribes an address once: a second deploy finds it and subscribes nothing', async () => {
    // Prepare / Act
    const first = await deployJson(['deploy', '--notify-email', 'ops@example.com'], t.env);
    t.proxy.resetCounts();
    const second = await runCli(
      ['deploy', '--notify-email', 'ops@example.com', '--notify-email', 'OPS@example.com'],
      t.env,
    );

    // Assess
    expect(first.code, first.stderr).toBe(0);
    expect((first.json as NextJson).subscriptions).toEqual([
      { address: 'ops@example.com', status: 'subscribed' },
    ]);
    expect(first.stderr).toContain(
      'subscribed ops@example.com to arn:aws:sns:us-east-1:123456789012:ebs-snapper-Topic-',
    );
    expect(first.stderr).toContain(
      'AWS sends a confirmation mail; the subscription is pending until it is confirmed',
    );
    expect(second.code, second.stderr).toBe(0);
    expect(t.proxy.counts().Subscribe).toBeUndefined();
    expect(t.proxy.counts().ListSubscriptionsByTopic).toBe(1);
    expect(second.stdout).toContain('email     ops@example.com: subscribed already (confirmed)');
    const { Subscriptions } = await new SNSClient(motoClientConfig(t.moto.endpoint, REGION)).send(
      new ListSubscriptionsByTopicCommand({ TopicArn: first.json.outputs.TopicArn }),
    );
    expect(Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([['email', 'ops@example.com']]);
  });

  it('leaves an address pending confirmation alone, and says it waits for the mail to be confirmed', async () => {
    // Prepare: AWS lists an email subscription not confirmed yet with this ARN (moto confirms at once)
    await deployJson(['deploy', '--notify-email', 'ops@example.com'], t.env);
    t.proxy.configure({
      rewrite: {
        ListSubscriptionsByTopic: {
          body: (body) =>
            body.replace(
              /<SubscriptionArn>[^<]+<\/SubscriptionArn>/,
              '<SubscriptionArn>PendingConfirmation</SubscriptionArn>',
            ),
        },
      },
    });
    t.proxy.resetCounts();

    // Act
    const result = await runCli(['deploy', '--notify-email', 'ops@example.com'], t.env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(t.proxy.counts().Subscribe).toBeUndefined();
    expect(result.stdout).toContain(
      'ops@example.com: subscribed already, pending confirmation (not subscribed again)',
    );
    expect(result.stdout).toMatch(
      /1 address subscribed, pending confirmation: ops@example\.com\n +AWS sends a confirmation mail/,
    );
  });

  it('refuses an address that is not one before any AWS call', async () => {
    // Act
    const result = await runCli(['deploy', '--notify-email', 'ops at example.com'], t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--notify-email: "ops at example.com" is not an email address');
    expect(t.proxy.counts()).toEqual({});
  });

  it('ends with what happens next: a rate schedule runs first one interval after the deploy', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const text = await runCli(['deploy', '--schedule', 'rate(2 hours)'], t.env);
    const after = Date.now();
    const json = (await deployJson(['deploy'], t.env)).json as NextJson;

    // Assess
    expect(text.code, text.stderr).toBe(0);
    const first =
      /first run +by (\S+) \(rate\(2 hours\), counted from when Scheduler made the schedule\)/.exec(
        text.stdout,
      );
    expect(first).not.toBeNull();
    expect(Date.parse(first![1]!)).toBeGreaterThanOrEqual(before + 2 * HOUR);
    expect(Date.parse(first![1]!)).toBeLessThanOrEqual(after + 2 * HOUR);
    expect(text.stdout).toContain(
      'watch it   ebs-snapper status --stack ebs-snapper --stack-region us-east-1',
    );
    expect(text.stdout).toContain('ebs-snapper trigger --stack ebs-snapper --stack-region us-east-1 --wait');
    expect(text.stdout).toMatch(
      /alerts +failures and alarms go to arn:aws:sns:us-east-1:123456789012:ebs-snapper-Topic-\S+: subscribe to it with deploy --notify-email ADDRESS/,
    );
    expect(json.next).toMatchObject({
      run: { exact: false, first: false },
      schedule: { expression: 'rate(2 hours)', timezone: 'UTC' },
      watch: [
        'ebs-snapper status --stack ebs-snapper --stack-region us-east-1',
        'ebs-snapper trigger --stack ebs-snapper --stack-region us-east-1 --wait',
      ],
      alerts: { topic_arn: json.outputs.TopicArn, subscriptions: [] },
    });
  });

  it('gives the first run of a cron schedule in its time zone, to the minute', async () => {
    // Prepare: 04:30 on Mondays in New York
    const expression = 'cron(30 4 ? * MON *)';
    const file = writePolicy(
      t.env.workDir,
      VOLUMES_ONLY.replace(
        'policies:',
        `settings:\n  schedule: {expression: "${expression}", timezone: America/New_York}\npolicies:`,
      ),
    );
    const pattern = (normalizeCron('30 4 ? * MON *') as { pattern: string }).pattern;
    const before = Date.now();

    // Act
    const { code, json, stderr } = await deployJson(['deploy', '--config', file], t.env);
    const after = Date.now();

    // Assess
    expect(code, stderr).toBe(0);
    const expected = [before, after].map((at) => nextCronTime(pattern, 'America/New_York', at)!);
    const next = (json as NextJson).next;
    expect(next?.run).toMatchObject({ exact: true, first: true });
    expect(expected.map((at) => new Date(at).toISOString())).toContain(next?.run?.at);
    // 04:30 in New York is 08:30 or 09:30 UTC, by daylight saving time.
    expect(next?.run?.at).toMatch(/T0[89]:30:00\.000Z$/);
    expect(new Date(next!.run!.at).getUTCDay()).toBe(1);
  });

  it('builds the worker role from the config given, and with every feature without one, statement by statement', async () => {
    // Prepare
    const file = writePolicy(t.env.workDir, VOLUMES_ONLY);

    // Act: two stacks, one deployed without a config, one with
    const bare = await deployJson(['deploy'], t.env);
    const configured = await deployJson(['deploy', '--stack-name', 'backups', '--config', file], t.env);
    const everything = await rolePolicy(t.moto.endpoint, 'ebs-snapper-worker', 'worker');
    const narrowed = await rolePolicy(t.moto.endpoint, 'backups-worker', 'worker');

    // Assess: the roles IAM holds are the template's for each stack's features
    expect(bare.json.parameters.Features).toBe('*');
    expect(configured.json.parameters.Features).toBe('volume-snapshots');
    expect(everything.map(sidAndActions)).toEqual(templateStatements('*').map(sidAndActions));
    expect(narrowed.map(sidAndActions)).toEqual(templateStatements('volume-snapshots').map(sidAndActions));
    const actions = (statements: Statement[]) => statements.flatMap((s) => s.Action);
    const featureActions = [
      'ec2:StopInstances',
      'ec2:CopySnapshot',
      'ec2:CreateSnapshots',
      'kms:CreateGrant',
    ];
    for (const action of featureActions) expect(actions(everything)).toContain(action);
    for (const action of featureActions) expect(actions(narrowed)).not.toContain(action);
    expect(actions(narrowed)).toEqual(expect.arrayContaining(['ec2:CreateSnapshot', 'ec2:DeleteSnapshot']));
    expect((await liveEnvironment(t, 'backups-worker')).EBS_SNAPPER_FEATURES).toBe('volume-snapshots');
    expect((await liveEnvironment(t, 'ebs-snapper-worker')).EBS_SNAPPER_FEATURES).toBe('*');
  });

  it('narrows the role of a stack deployed before with every feature, and keeps it on a deploy without a config', async () => {
    // Prepare
    const file = writePolicy(t.env.workDir, VOLUMES_ONLY);
    await deployJson(['deploy'], t.env);

    // Act
    const configured = await deployJson(['deploy', '--config', file], t.env);
    const template = await deployedWorkerStatements(t);
    const again = await deployJson(['deploy'], t.env);

    // Assess: the update gives CloudFormation the narrowed role (moto leaves a role's inline
    // policies as they were on a stack update; AWS replaces them)
    expect(configured.json).toMatchObject({
      outcome: 'updated',
      parameters: { Features: 'volume-snapshots' },
    });
    expect(template.map(sidAndActions)).toEqual(templateStatements('volume-snapshots').map(sidAndActions));
    expect(again.json).toMatchObject({ outcome: 'unchanged', parameters: { Features: 'volume-snapshots' } });
  });

  it('config push refuses a config the roles do not allow, before writing, and names the fix', async () => {
    // Prepare
    const file = writePolicy(t.env.workDir, VOLUMES_ONLY);
    const deployed = await deployJson(['deploy', '--config', file], t.env);
    const stops = writePolicy(t.env.workDir, WITH_STOPS, 'stops.yaml');
    t.proxy.resetCounts();

    // Act
    const refused = await runCli(['config', 'push', stops], t.env);
    const writes = t.proxy.counts().PutItem;
    const stored = await t.documents.send(
      new GetCommand({ TableName: deployed.json.outputs.TableName, Key: { pk: 'config', sk: 'default' } }),
    );
    const redeployed = await runCli(['deploy', '--config', stops], t.env);
    const pushed = await runCli(['config', 'push', stops], t.env);

    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${stops} not pushed: the deployment's roles do not allow stop_instance: run \`ebs-snapper deploy --config ${stops}\` first`,
    );
    expect(writes).toBeUndefined();
    expect(stored.Item?.text).toBe(VOLUMES_ONLY);
    expect(redeployed.code, redeployed.stderr).toBe(0);
    expect(
      (await describeStack(t))?.Parameters?.find((p) => p.ParameterKey === 'Features')?.ParameterValue,
    ).toBe('stop-instance,volume-snapshots');
    expect(pushed.code, pushed.stderr).toBe(0);
  });

  it('prints no next steps for a dry run', async () => {
    // Act
    const { code, json, stderr } = await deployJson(
      ['deploy', '--dry-run', '--notify-email', 'ops@example.com'],
      t.env,
    );

    // Assess
    expect(code, stderr).toBe(0);
    expect((json as NextJson).next).toBeNull();
    expect((json as NextJson).subscriptions).toEqual([
      { address: 'ops@example.com', status: 'would-subscribe' },
    ]);
    expect(t.proxy.counts().Subscribe).toBeUndefined();
  });
});

interface Statement {
  readonly Sid?: string | undefined;
  readonly Action: string[];
}

const sidAndActions = (s: Statement) => `${s.Sid}: ${[...s.Action].sort().join(' ')}`;

/** The worker role's statements in the hub template for `features` (`Fn::If`-guarded ones taken as present). */
function templateStatements(features: string): Statement[] {
  const role = hubTemplate(features).Resources.WorkerRole!;
  const policies = role.Properties.Policies as { PolicyDocument: { Statement: unknown[] } }[];
  return policies
    .flatMap((p) => p.PolicyDocument.Statement)
    .map((s) => ((s as { 'Fn::If'?: unknown[] })['Fn::If']?.[1] ?? s) as Statement)
    .map((s) => ({ Sid: s.Sid, Action: typeof s.Action === 'string' ? [s.Action] : s.Action }));
}

/** The worker role's statements in the template the stack was last deployed with. */
async function deployedWorkerStatements(t: DeployContext): Promise<Statement[]> {
  const { TemplateBody } = await t.cloudformation.send(new GetTemplateCommand({ StackName: 'ebs-snapper' }));
  const template = JSON.parse(TemplateBody!) as ReturnType<typeof hubTemplate>;
  const policies = template.Resources.WorkerRole!.Properties.Policies as {
    PolicyDocument: { Statement: unknown[] };
  }[];
  return policies
    .flatMap((p) => p.PolicyDocument.Statement)
    .map((s) => ((s as { 'Fn::If'?: unknown[] })['Fn::If']?.[1] ?? s) as Statement);
}

/**
 * A role's inline policy as IAM holds it (moto's GetRolePolicy; the SDK has no IAM client in this
 * package, and moto reads the service from the credential scope).
 */
async function rolePolicy(endpoint: string, role: string, policy: string): Promise<Statement[]> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `Action=GetRolePolicy&Version=2010-05-08&RoleName=${role}&PolicyName=${policy}`,
  });
  const xml = await response.text();
  const document = /<PolicyDocument>([\s\S]*)<\/PolicyDocument>/.exec(xml)?.[1] ?? '';
  // moto writes the document as a Python literal: single quotes, no JSON.
  const json = document
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;|&apos;/g, "'")
    .replace(/'/g, '"');
  const parsed = JSON.parse(json) as { Statement: { Sid?: string; Action: string | string[] }[] };
  return parsed.Statement.map((s) => ({
    Sid: s.Sid,
    Action: typeof s.Action === 'string' ? [s.Action] : s.Action,
  }));
}
