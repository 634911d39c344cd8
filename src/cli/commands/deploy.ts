/**
 * `ebs-snapper deploy` (SPEC §11): the hub stack in one account and region, from this package's
 * Lambda bundle. Options, the policy file and the bundle are checked before any AWS call.
 */
import { readFile } from 'node:fs/promises';
import { deployHub, type HubDeployReport } from '../../app/deploy/deploy-hub.js';
import {
  installedLambdaBundle,
  type LambdaArtifact,
  readLambdaArtifact,
} from '../../app/deploy/lambda-zip.js';
import { createArtifactStore } from '../../aws/artifacts-bucket.js';
import { whoAmI } from '../../aws/clients.js';
import { createStackPort } from '../../aws/cloudformation-stacks.js';
import { createDeployClients, resolvedRegion } from '../../aws/deploy-clients.js';
import { featuresParameter } from '../../aws/deployed-features.js';
import { createFunctionCodePort } from '../../aws/function-code.js';
import { createKeptTablePort } from '../../aws/kept-tables.js';
import { createConfigStore } from '../../aws/table/config-store.js';
import { createTopicPort } from '../../aws/topic-subscriptions.js';
import { UsageError } from '../../core/errors.js';
import type { DeploySchedule } from '../../core/policy/types.js';
import { templateBody } from '../../templates/cfn.js';
import { HUB_PARAMETER_DEFAULTS, type HubParameters, hubTemplate } from '../../templates/hub-template.js';
import { artifactsBucketName, HUB_FUNCTIONS, hubResourceName } from '../../templates/names.js';
import { checkDeployOptions, type DeployOptions, deployTarget } from '../deploy-options.js';
import type { CommandOutcome } from '../exit.js';
import type { CliIo } from '../io.js';
import { loadConfigFile } from '../load-config.js';
import { deployErrorDocument, deployProgress, hubDeployDocument, renderHubDeploy } from '../render/deploy.js';

/** What the policy file gives a deploy, read and validated before any AWS call. */
interface LocalConfig {
  readonly path: string;
  readonly text: string;
  readonly schedule?: DeploySchedule;
  /** The `Features` parameter: what the worker's role must allow for this config. */
  readonly features: string;
}

export async function deployCommand(options: DeployOptions, io: CliIo): Promise<CommandOutcome> {
  try {
    return await deploy(options, io);
  } catch (error) {
    // CI reads one document whatever happened; the message and exit code still come from main.
    if (options.output === 'json')
      io.stdout.write(`${JSON.stringify(deployErrorDocument(error), null, 2)}\n`);
    throw error;
  }
}

async function deploy(options: DeployOptions, io: CliIo): Promise<CommandOutcome> {
  checkDeployOptions(options);
  const config = options.config === undefined ? undefined : await readLocalConfig(options.config, io);
  const artifact = readLambdaArtifact(options.bundle ?? installedLambdaBundle());
  const progress = deployProgress(io);

  const clients = createDeployClients(deployTarget(options, io), io.env);
  const region = await regionOf(options, clients);
  const account = (await whoAmI(clients.sts)).account;
  const bucket = artifactsBucketName(account, region);
  const report = await deployHub(
    {
      stackName: options.stackName,
      templateBodyFor: (parameters) => templateBody(hubTemplate(parameters.Features)),
      parametersFor: (deployed, keptTable) =>
        hubParameters(options, config, artifact, bucket, deployed, keptTable),
      artifact,
      functionNames: HUB_FUNCTIONS.map((fn) => hubResourceName(options.stackName, fn)),
      ...(config === undefined ? {} : { config: { text: config.text, source: config.path } }),
      ...(options.notifyEmail === undefined ? {} : { notifyEmails: options.notifyEmail }),
      dryRun: options.dryRun === true,
      now: io.clock(),
    },
    {
      stacks: createStackPort(clients.cloudformation),
      artifacts: createArtifactStore(clients.s3, { bucket, account, region }),
      functions: createFunctionCodePort(clients.lambda),
      keptTables: createKeptTablePort(clients.tables),
      configsIn: (table) => createConfigStore(clients.dynamo, table),
      topics: createTopicPort(clients.sns),
      progress,
    },
  );
  emit(report, { account, region, now: io.clock() }, options, io);
  return { failed: report.outcome === 'failed', changes: report.outcome !== 'unchanged' };
}

async function readLocalConfig(path: string, io: CliIo): Promise<LocalConfig> {
  const { config, warnings } = await loadConfigFile(path, io.clock());
  for (const warning of warnings) io.stderr.write(`warning: ${warning.message}\n`);
  // loadConfigFile has read it whole and refused anything too big or not UTF-8.
  const text = await readFile(path, 'utf8');
  return {
    path,
    text,
    features: featuresParameter(config),
    ...(config.settings.schedule === undefined ? {} : { schedule: config.settings.schedule }),
  };
}

/**
 * Each parameter from, in order: its option, the policy file, the stack as deployed, the default.
 * The time zone follows the expression: a `--schedule` keeps the stack's time zone. The kept table
 * is what the deploy found for a stack it makes (`''`: none), else the stack's.
 */
function hubParameters(
  options: DeployOptions,
  config: Pick<LocalConfig, 'schedule' | 'features'> | undefined,
  artifact: Pick<LambdaArtifact, 'key'>,
  bucket: string,
  deployed: Readonly<Record<string, string>> | undefined,
  keptTable?: string,
): HubParameters & Record<string, string> {
  const kept = (name: keyof typeof HUB_PARAMETER_DEFAULTS) =>
    deployed?.[name] ?? HUB_PARAMETER_DEFAULTS[name];
  return {
    CodeBucket: bucket,
    CodeKey: artifact.key,
    ScheduleExpression: options.schedule ?? config?.schedule?.expression ?? kept('ScheduleExpression'),
    ScheduleTimezone: config?.schedule?.timezone ?? kept('ScheduleTimezone'),
    ConfigName: options.configName ?? kept('ConfigName'),
    MemberRoleName: options.memberRoleName ?? kept('MemberRoleName'),
    LogRetentionDays: kept('LogRetentionDays'),
    KeptTableName: keptTable ?? kept('KeptTableName'),
    // The worker's role: the config's features, else the stack's, else every feature.
    Features: config?.features ?? kept('Features'),
    MetricDimensions: options.metrics ?? kept('MetricDimensions'),
  };
}

async function regionOf(options: DeployOptions, clients: ReturnType<typeof createDeployClients>) {
  try {
    return options.region ?? (await resolvedRegion(clients));
  } catch (error) {
    throw new UsageError('no region: give --region or set AWS_REGION', { cause: error });
  }
}

function emit(
  report: HubDeployReport,
  where: { account: string; region: string; now: number },
  options: DeployOptions,
  io: CliIo,
): void {
  if (options.output === 'json') {
    io.stdout.write(`${JSON.stringify(hubDeployDocument(report, where), null, 2)}\n`);
  } else {
    io.stdout.write(renderHubDeploy(report, where));
  }
  if (report.outcome === 'failed') {
    const first = report.failures[0];
    const why = first === undefined ? '' : `: ${first.logicalId}: ${first.reason}`;
    io.stderr.write(
      `Error: deploy of stack ${report.stackName} failed (${report.stackStatus ?? 'unknown state'})${why}\n`,
    );
  }
}
