/**
 * `deploy` (SPEC §11): the hub stack to this build, template and parameters; the code uploaded
 * only when its key is not in the bucket yet; each function's `CodeSha256` compared with the
 * zip's, so a deploy of the same build uploads nothing, updates nothing and says "unchanged";
 * then the config pushed to the stack's table. A dry run reads and previews, and changes nothing.
 */

import type { ConfigStore } from '../serverless/ports.js';
import { DEFAULT_CONFIG_NAME, pushConfig } from '../serverless/stored-config.js';
import {
  type CodeArtifact,
  type CodeUploader,
  codeUploader,
  type FunctionCode,
  previewFunctionCode,
  syncFunctionCode,
} from './hub-code.js';
import {
  type ArtifactStore,
  DeployError,
  type FunctionCodePort,
  type StackChange,
  type StackPort,
  type StackRequest,
} from './ports.js';
import { type ParameterChange, parameterChanges, previewStackPlan } from './stack-preview.js';
import { applyStackPlan, planStack, readStack, type StackAction, type StackPlan } from './stack-rollout.js';
import type { DeployProgress, ResourceFailure, WaitOptions } from './stack-wait.js';

export interface HubDeployRequest {
  readonly stackName: string;
  readonly templateBody: string;
  /** Every parameter's value, given what the stack has now (undefined: no stack yet). */
  readonly parametersFor: (deployed: Readonly<Record<string, string>> | undefined) => Record<string, string>;
  readonly artifact: CodeArtifact;
  /** The stack's functions, whose code is checked. */
  readonly functionNames: readonly string[];
  /** A validated config to push under the stack's `ConfigName`. */
  readonly config?: { readonly text: string; readonly source: string };
  readonly dryRun: boolean;
  readonly now: number;
}

export interface HubDeployPorts {
  readonly stacks: StackPort;
  readonly artifacts: ArtifactStore;
  readonly functions: FunctionCodePort;
  readonly configsIn: (table: string) => ConfigStore;
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
  readonly code: {
    readonly bucket: string;
    readonly key: string;
    readonly sha256: string;
    readonly bucketCreated: boolean;
    readonly uploaded: boolean;
    readonly functions: readonly FunctionCode[];
  };
  readonly config?: { readonly name: string; readonly sha256?: string; readonly pushed: boolean };
  /** `--dry-run`: what the deploy would change in the stack's resources, and in its parameters. */
  readonly changes?: readonly StackChange[];
  readonly parameterChanges?: readonly ParameterChange[];
  readonly failures: readonly ResourceFailure[];
}

/** @example const report = await deployHub(request, ports); report.outcome // 'unchanged' */
export async function deployHub(request: HubDeployRequest, ports: HubDeployPorts): Promise<HubDeployReport> {
  const current = await readStack(ports.stacks, request.stackName, ports.progress, ports.wait);
  const parameters = request.parametersFor(current?.parameters);
  const stack: StackRequest = { name: request.stackName, templateBody: request.templateBody, parameters };
  const plan = await planStack(ports.stacks, current, stack);
  const step: Step = {
    request,
    ports,
    stack,
    plan,
    upload: codeUploader(request.artifact, ports.artifacts, ports.progress),
    base: { stackName: request.stackName, action: plan.action, parameters },
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
  readonly base: Pick<HubDeployReport, 'stackName' | 'action' | 'parameters'>;
  readonly configName: string;
}

async function preview(step: Step): Promise<HubDeployReport> {
  const { request, ports, stack, plan, upload, base, configName } = step;
  const { current } = plan;
  const changes = await previewStackPlan(ports.stacks, plan, stack, ports.wait);
  const functions = await previewFunctionCode(
    ports.functions,
    request.functionNames,
    request.artifact,
    plan.action,
  );
  return {
    ...base,
    outcome: 'dry-run',
    ...(current === undefined ? {} : { stackStatus: current.status }),
    outputs: current?.outputs ?? {},
    code: { ...upload.summary(), functions },
    ...(request.config === undefined ? {} : { config: { name: configName, pushed: false } }),
    changes,
    parameterChanges: parameterChanges(current?.parameters, stack),
    failures: [],
  };
}

async function apply(step: Step): Promise<HubDeployReport> {
  const { request, ports, stack, plan, upload, base, configName } = step;
  if (plan.action !== 'none') await upload.ensure();
  const result = await applyStackPlan(ports.stacks, plan, stack, ports.progress, ports.wait);
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
    upload,
    bucket: ports.artifacts.bucket,
    action: plan.action,
    codeKeyChanged: plan.current?.parameters.CodeKey !== request.artifact.key,
    progress: ports.progress,
  });
  const config = request.config === undefined ? undefined : await push(request, configName, outputs, ports);
  const codeTouched = functions.some((f) => f.status !== 'unchanged');
  // A stack left as it was, with code put back into a function, was still updated.
  const outcome = result.outcome === 'unchanged' && codeTouched ? 'updated' : result.outcome;
  return {
    ...base,
    outcome,
    ...status,
    outputs,
    code: { ...upload.summary(), functions },
    ...(config === undefined ? {} : { config }),
    failures: [],
  };
}

async function push(
  request: HubDeployRequest,
  name: string,
  outputs: Readonly<Record<string, string>>,
  ports: HubDeployPorts,
) {
  const table = outputs.TableName;
  if (table === undefined) throw new DeployError(`stack ${request.stackName} has no TableName output`);
  const { text, source } = request.config!;
  const { stored } = await pushConfig(ports.configsIn(table), name, text, { source, now: request.now });
  ports.progress.note(`pushed ${source} to table ${table} as config "${name}"`);
  return { name, sha256: stored.sha256, pushed: true };
}
