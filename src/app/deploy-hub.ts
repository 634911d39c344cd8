/**
 * `deploy` (SPEC §11): the hub stack to this build, template and parameters; the code uploaded
 * only when its key is not in the bucket yet; each function's `CodeSha256` compared with the
 * zip's, so a deploy of the same build uploads nothing, updates nothing and says "unchanged";
 * then the config pushed to the stack's table. A dry run reads and previews, and changes nothing.
 */

import {
  type ArtifactStore,
  DeployError,
  type FunctionCodePort,
  type StackChange,
  type StackPort,
  type StackRequest,
} from './deploy-ports.js';
import type { ConfigStore } from './deployed-ports.js';
import { type ParameterChange, parameterChanges, previewStackPlan } from './stack-preview.js';
import { applyStackPlan, planStack, readStack, type StackAction } from './stack-rollout.js';
import type { DeployProgress, ResourceFailure, WaitOptions } from './stack-wait.js';
import { pushConfig } from './stored-config.js';

/** The zipped code: its key in the bucket and Lambda's digest of it. */
export interface CodeArtifact {
  readonly key: string;
  readonly zip: Uint8Array;
  /** Base64 SHA-256 of `zip`: a function running it has this `CodeSha256`. */
  readonly sha256Base64: string;
}

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

export type FunctionCodeStatus = 'unchanged' | 'created' | 'updated' | 'would-create' | 'would-update';

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
    readonly functions: readonly { readonly name: string; readonly status: FunctionCodeStatus }[];
  };
  readonly config?: { readonly name: string; readonly sha256?: string; readonly pushed: boolean };
  /** `--dry-run`: what the deploy would change in the stack's resources, and in its parameters. */
  readonly changes?: readonly StackChange[];
  readonly parameterChanges?: readonly ParameterChange[];
  readonly failures: readonly ResourceFailure[];
}

/** @example const report = await deployHub(request, ports); report.outcome // 'unchanged' */
export async function deployHub(request: HubDeployRequest, ports: HubDeployPorts): Promise<HubDeployReport> {
  const { stacks, artifacts, progress } = ports;
  const current = await readStack(stacks, request.stackName, progress, ports.wait);
  const parameters = request.parametersFor(current?.parameters);
  const stackRequest: StackRequest = {
    name: request.stackName,
    templateBody: request.templateBody,
    parameters,
  };
  const plan = await planStack(stacks, current, stackRequest);
  const codeKeyChanged = current?.parameters.CodeKey !== request.artifact.key;
  const upload = uploader(request.artifact, artifacts, progress);
  const base = { stackName: request.stackName, action: plan.action, parameters };
  const configName = parameters.ConfigName ?? 'default';

  if (request.dryRun) {
    const changes = await previewStackPlan(stacks, plan, stackRequest, ports.wait);
    const functions = await Promise.all(
      request.functionNames.map(async (name) => ({
        name,
        status: await previewCode(ports.functions, name, request.artifact, plan.action),
      })),
    );
    return {
      ...base,
      outcome: 'dry-run',
      ...(current === undefined ? {} : { stackStatus: current.status }),
      outputs: current?.outputs ?? {},
      code: { ...upload.summary(), functions },
      ...(request.config === undefined ? {} : { config: { name: configName, pushed: false } }),
      changes,
      parameterChanges: parameterChanges(current?.parameters, stackRequest),
      failures: [],
    };
  }

  if (plan.action !== 'none') await upload.ensure();
  const result = await applyStackPlan(stacks, plan, stackRequest, progress, ports.wait);
  const outputs = result.stack?.outputs ?? {};
  if (result.outcome === 'failed') {
    return {
      ...base,
      outcome: 'failed',
      ...(result.stack === undefined ? {} : { stackStatus: result.stack.status }),
      outputs,
      code: { ...upload.summary(), functions: [] },
      failures: result.failures,
    };
  }
  const functions = [];
  for (const name of request.functionNames) {
    const live = await ports.functions.codeSha256(name);
    if (live === request.artifact.sha256Base64) {
      const status = plan.action === 'create' || plan.action === 'recreate' ? 'created' : 'unchanged';
      functions.push({
        name,
        status: status === 'unchanged' && codeKeyChanged ? 'updated' : status,
      } as const);
      continue;
    }
    // Changed outside the stack (the stack's code key did not move): put this build back.
    progress.note(`function ${name} runs other code (CodeSha256 ${live ?? 'none'}): updating its code`);
    await upload.ensure();
    await ports.functions.updateCode(name, artifacts.bucket, request.artifact.key);
    functions.push({ name, status: 'updated' } as const);
  }
  const config = request.config === undefined ? undefined : await push(request, configName, outputs, ports);
  const touched = result.outcome !== 'unchanged' || functions.some((f) => f.status !== 'unchanged');
  return {
    ...base,
    outcome: touched ? (result.outcome === 'unchanged' ? 'updated' : result.outcome) : 'unchanged',
    ...(result.stack === undefined ? {} : { stackStatus: result.stack.status }),
    outputs,
    code: { ...upload.summary(), functions },
    ...(config === undefined ? {} : { config }),
    failures: [],
  };
}

/** Bucket and object, each made at most once, and only when some step needs the code there. */
function uploader(artifact: CodeArtifact, artifacts: ArtifactStore, progress: DeployProgress) {
  let bucketCreated = false;
  let uploaded = false;
  let ensured: Promise<void> | undefined;
  const ensure = async () => {
    if ((await artifacts.ensureBucket()) === 'created') {
      bucketCreated = true;
      progress.note(`created bucket ${artifacts.bucket} (public access blocked)`);
    }
    if (await artifacts.has(artifact.key)) return;
    progress.note(`uploading ${artifact.key} (${artifact.zip.length} bytes) to ${artifacts.bucket}`);
    await artifacts.put(artifact.key, artifact.zip);
    uploaded = true;
  };
  return {
    ensure: () => {
      ensured ??= ensure();
      return ensured;
    },
    summary: () => ({
      bucket: artifacts.bucket,
      key: artifact.key,
      sha256: artifact.sha256Base64,
      bucketCreated,
      uploaded,
    }),
  };
}

async function previewCode(
  functions: FunctionCodePort,
  name: string,
  artifact: CodeArtifact,
  action: StackAction,
): Promise<FunctionCodeStatus> {
  if (action === 'create' || action === 'recreate') return 'would-create';
  return (await functions.codeSha256(name)) === artifact.sha256Base64 ? 'unchanged' : 'would-update';
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
