/**
 * `deploy member` (SPEC §11): the member stack — the role the hub's functions assume — in each
 * account given, all at once. One account that cannot be reached or whose stack fails is one
 * failed result; the others go on.
 */
import { errorInfoOf } from '../kit/classify-error.js';
import type { StackChange, StackPort, StackRequest } from './ports.js';
import { previewStackPlan } from './stack-preview.js';
import { applyStackPlan, planStack, readStack, type StackAction } from './stack-rollout.js';
import type { DeployProgress, ResourceFailure, WaitOptions } from './stack-wait.js';

/** One account to put the member stack in. */
export interface MemberTarget {
  /** The role ARN given, or `default credentials`. */
  readonly label: string;
  readonly stacks: StackPort;
  /** The account the target's credentials are in (the first call: an AssumeRole refusal shows here). */
  account(): Promise<string>;
}

export interface MemberDeployReport {
  readonly label: string;
  readonly account?: string;
  readonly action?: StackAction;
  readonly outcome: 'created' | 'recreated' | 'updated' | 'unchanged' | 'failed' | 'dry-run';
  readonly stackStatus?: string;
  readonly roleArn?: string;
  readonly changes?: readonly StackChange[];
  readonly failures: readonly ResourceFailure[];
  /** Why the account could not be worked on at all. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** @example const reports = await deployMembers(targets, request, false, progress); */
export async function deployMembers(
  targets: readonly MemberTarget[],
  request: StackRequest,
  dryRun: boolean,
  progress: DeployProgress,
  wait: WaitOptions = {},
): Promise<MemberDeployReport[]> {
  const settled = await Promise.allSettled(
    targets.map((target) => deployMember(target, request, dryRun, progress, wait)),
  );
  return settled.map((outcome, index) => {
    if (outcome.status === 'fulfilled') return outcome.value;
    const { code, message } = errorInfoOf(outcome.reason);
    return { label: targets[index]!.label, outcome: 'failed', failures: [], error: { code, message } };
  });
}

async function deployMember(
  target: MemberTarget,
  request: StackRequest,
  dryRun: boolean,
  progress: DeployProgress,
  wait: WaitOptions,
): Promise<MemberDeployReport> {
  const account = await target.account();
  const prefixed: DeployProgress = {
    note: (text) => progress.note(`${account}: ${text}`),
    event: (event, stackName) => progress.event(event, `${account}/${stackName}`),
  };
  const current = await readStack(target.stacks, request.name, prefixed, wait);
  const plan = await planStack(target.stacks, current, request);
  const base = { label: target.label, account, action: plan.action };
  if (dryRun) {
    const changes = await previewStackPlan(target.stacks, plan, request, wait);
    return { ...base, outcome: 'dry-run', ...status(current), changes, failures: [] };
  }
  const result = await applyStackPlan(target.stacks, plan, request, prefixed, wait);
  const roleArn = result.stack?.outputs.RoleArn;
  return {
    ...base,
    outcome: result.outcome,
    ...status(result.stack),
    ...(roleArn === undefined ? {} : { roleArn }),
    failures: result.failures,
  };
}

const status = (stack: { status: string } | undefined) =>
  stack === undefined ? {} : { stackStatus: stack.status };
