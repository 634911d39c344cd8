/**
 * `deploy` (SPEC §11): the hub stack to this build, template and parameters; the code known by its
 * content (the bytes at its key used only when they hash to this build, and every function's
 * `CodeSha256` compared with the zip's), so a deploy of the same build uploads nothing, updates
 * nothing and says "unchanged"; the table kept from an earlier stack of the name taken up again,
 * and no update allowed to replace it; then the config pushed when the table does not hold it yet,
 * and the addresses of `--notify-email` subscribed to the topic. A dry run reads and previews, and
 * changes nothing.
 */

import type { ConfigStore } from '../serverless/ports.js';
import { DEFAULT_CONFIG_NAME } from '../serverless/stored-config.js';
import { findKeptTable, keepsTable } from './data-table.js';
import { type EmailSubscription, previewEmails, subscribeEmails } from './hub-alerts.js';
import {
  type CodeArtifact,
  type CodeUploader,
  codeMismatchFailure,
  codeUploader,
  type FunctionCode,
  previewFunctionCode,
  syncFunctionCode,
} from './hub-code.js';
import { type HubConfigResult, previewHubConfig, pushHubConfig, tableOf } from './hub-config.js';
import type {
  ArtifactStore,
  FunctionCodePort,
  KeptTablePort,
  StackChange,
  StackPort,
  StackRequest,
  TopicPort,
} from './ports.js';
import { DeployError } from './ports.js';
import { type ParameterChange, parameterChanges, previewStackPlan } from './stack-preview.js';
import {
  applyStackPlan,
  makesNewStack,
  planStack,
  readStack,
  type StackAction,
  type StackPlan,
} from './stack-rollout.js';
import type { DeployProgress, ResourceFailure, WaitOptions } from './stack-wait.js';

export interface HubDeployRequest {
  readonly stackName: string;
  /** The template for these parameters (the worker's role follows the `Features` parameter). */
  readonly templateBodyFor: (parameters: Readonly<Record<string, string>>) => string;
  /**
   * Every parameter's value, given what the stack has now (undefined: no stack yet) and, for a
   * stack about to be made, the table kept from an earlier one (`''`: none; undefined: keep the
   * stack's).
   */
  readonly parametersFor: (
    deployed: Readonly<Record<string, string>> | undefined,
    keptTable: string | undefined,
  ) => Record<string, string>;
  readonly artifact: CodeArtifact;
  /** The stack's functions, whose code is checked. */
  readonly functionNames: readonly string[];
  /** A validated config to push under the stack's `ConfigName`. */
  readonly config?: { readonly text: string; readonly source: string };
  /** Addresses to subscribe to the stack's topic (`--notify-email`). */
  readonly notifyEmails?: readonly string[];
  readonly dryRun: boolean;
  readonly now: number;
}

export interface HubDeployPorts {
  readonly stacks: StackPort;
  readonly artifacts: ArtifactStore;
  readonly functions: FunctionCodePort;
  readonly keptTables: KeptTablePort;
  readonly configsIn: (table: string) => ConfigStore;
  readonly topics: TopicPort;
  readonly progress: DeployProgress;
  readonly wait?: WaitOptions;
}

export interface HubDeployReport {
  readonly stackName: string;
  /** What the stack needed (`none` when template and parameters were already the same). */
  readonly action: StackAction;
  /** `unchanged`: nothing was uploaded, no stack update, no function update. */
  readonly outcome: 'created' | 'recreated' | 'updated' | 'unchanged' | 'failed' | 'dry-run';
  readonly stackStatus?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, string>>;
  /** The table an earlier stack of this name left, taken up by the stack made now. */
  readonly keptTable?: string;
  readonly code: {
    readonly bucket: string;
    readonly key: string;
    readonly sha256: string;
    readonly bucketCreated: boolean;
    readonly uploaded: boolean;
    readonly functions: readonly FunctionCode[];
  };
  readonly config?: HubConfigResult;
  /** The addresses of `--notify-email`, and what became of each. */
  readonly subscriptions?: readonly EmailSubscription[];
  /** `--dry-run`: what the deploy would change in the stack's resources, and in its parameters. */
  readonly changes?: readonly StackChange[];
  readonly parameterChanges?: readonly ParameterChange[];
  readonly failures: readonly ResourceFailure[];
}

/** @example const report = await deployHub(request, ports); report.outcome // 'unchanged' */
export async function deployHub(request: HubDeployRequest, ports: HubDeployPorts): Promise<HubDeployReport> {
  const current = await readStack(ports.stacks, request.stackName, ports.progress, ports.wait);
  // Looked for only when a stack is to be made: a stack that exists keeps its table.
  const keptTable = makesNewStack(current)
    ? ((await findKeptTable(ports.keptTables, request.stackName, ports.progress)) ?? '')
    : undefined;
  const parameters = request.parametersFor(current?.parameters, keptTable);
  const stack: StackRequest = {
    name: request.stackName,
    templateBody: request.templateBodyFor(parameters),
    parameters,
  };
  const plan = await planStack(ports.stacks, current, stack);
  const step: Step = {
    request,
    ports,
    stack,
    plan,
    upload: codeUploader(request.artifact, ports.artifacts, ports.progress),
    base: {
      stackName: request.stackName,
      action: plan.action,
      parameters,
      ...(keptTable === undefined || keptTable === '' ? {} : { keptTable }),
    },
    configName: parameters.ConfigName ?? DEFAULT_CONFIG_NAME,
  };
  return request.dryRun ? preview(step) : apply(step);
}

/** What both ways of a deploy share, once the stack has been read and planned. */
interface Step {
  readonly request: HubDeployRequest;
  readonly ports: HubDeployPorts;
  readonly stack: StackRequest;
  readonly plan: StackPlan;
  readonly upload: CodeUploader;
  readonly base: Pick<HubDeployReport, 'stackName' | 'action' | 'parameters' | 'keptTable'>;
  readonly configName: string;
}

async function preview(step: Step): Promise<HubDeployReport> {
  const { request, ports, stack, plan, upload, base } = step;
  const { current } = plan;
  const planned = await previewStackPlan(ports.stacks, plan, stack, ports.wait);
  // A stack that takes up a kept table does not make one (the template's condition leaves it out).
  const changes =
    base.keptTable === undefined
      ? planned
      : planned.filter((c) => !(c.action === 'Add' && c.resourceType === 'AWS::DynamoDB::Table'));
  const functions = await previewFunctionCode(
    ports.functions,
    request.functionNames,
    request.artifact,
    plan.action,
  );
  const table = plan.action === 'update' || plan.action === 'none' ? current?.outputs.TableName : undefined;
  const config =
    request.config === undefined
      ? undefined
      : await previewHubConfig(configPush(step), table === undefined ? undefined : ports.configsIn(table));
  return {
    ...base,
    outcome: 'dry-run',
    ...(current === undefined ? {} : { stackStatus: current.status }),
    outputs: current?.outputs ?? {},
    code: { ...upload.summary(), functions },
    ...(config === undefined ? {} : { config }),
    ...(request.notifyEmails === undefined ? {} : { subscriptions: previewEmails(request.notifyEmails) }),
    changes,
    parameterChanges: parameterChanges(current?.parameters, stack),
    failures: [],
  };
}

async function apply(step: Step): Promise<HubDeployReport> {
  const { request, ports, stack, plan, upload, base } = step;
  if (plan.action !== 'none') await upload.ensure();
  const check = keepsTable(request.stackName);
  const result = await applyStackPlan(ports.stacks, plan, stack, ports.progress, ports.wait, check);
  const outputs = result.stack?.outputs ?? {};
  const status = result.stack === undefined ? {} : { stackStatus: result.stack.status };
  if (result.outcome === 'failed') {
    const code = { ...upload.summary(), functions: [] };
    return { ...base, outcome: 'failed', ...status, outputs, code, failures: result.failures };
  }
  const functions = await syncFunctionCode({
    functions: ports.functions,
    names: request.functionNames,
    artifact: request.artifact,
    action: plan.action,
    codeKeyChanged: plan.current?.parameters.CodeKey !== request.artifact.key,
    progress: ports.progress,
  });
  const code = { ...upload.summary(), functions };
  const mismatches = functions.filter((f) => f.status === 'mismatch');
  if (mismatches.length > 0) {
    const failures = mismatches.map((f) => codeMismatchFailure(f, request.artifact));
    return { ...base, outcome: 'failed', ...status, outputs, code, failures };
  }
  const config = request.config === undefined ? undefined : await pushTo(step, outputs);
  const subscriptions = await subscribe(step, outputs);
  const codeTouched = functions.some((f) => f.status !== 'unchanged');
  // A stack left as it was, with code put back into a function, was still updated.
  const outcome = result.outcome === 'unchanged' && codeTouched ? 'updated' : result.outcome;
  return {
    ...base,
    outcome,
    ...status,
    outputs,
    code,
    ...(config === undefined ? {} : { config }),
    ...(subscriptions === undefined ? {} : { subscriptions }),
    failures: [],
  };
}

async function subscribe(
  step: Step,
  outputs: Readonly<Record<string, string>>,
): Promise<EmailSubscription[] | undefined> {
  const addresses = step.request.notifyEmails;
  if (addresses === undefined || addresses.length === 0) return undefined;
  const topicArn = outputs.TopicArn;
  if (topicArn === undefined) throw new DeployError(`stack ${step.request.stackName} has no TopicArn output`);
  return subscribeEmails(step.ports.topics, topicArn, addresses, step.ports.progress);
}

async function pushTo(step: Step, outputs: Readonly<Record<string, string>>): Promise<HubConfigResult> {
  const table = tableOf(step.request.stackName, outputs);
  return pushHubConfig(configPush(step), step.ports.configsIn(table), table, step.ports.progress);
}

function configPush(step: Step) {
  const { request, configName } = step;
  const { text, source } = request.config!;
  return { name: configName, text, source, now: request.now };
}
