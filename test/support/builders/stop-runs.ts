/**
 * The stop workflow's app tests in words: `stop_instance` policies, run ids as consecutive runs
 * get them, and a run of one account × region on the fake clock.
 */
import { newRunId, runTarget } from '../../../src/app/run/run.js';
import type { Config, Policy } from '../../../src/core/policy/types.js';
import { fakeClock } from '../fakes/fake-clock.js';
import type { InMemoryEc2 } from '../fakes/in-memory-ec2.js';
import { policy, type SelectInput } from './policy.js';

/** When the stop tests' runs plan. */
export const STOP_NOW = Date.parse('2026-11-29T03:00:00Z');

/** A daily `stop_instance` policy with a 60 s stop_timeout. */
export function stopPolicy(id: string, select: SelectInput, extra: Partial<Policy['snapshot']> = {}): Policy {
  return policy({
    id,
    select,
    every: '1d',
    snapshot: { stopInstance: true, stopTimeoutMs: 60_000, ...extra },
  });
}

export const configOf = (...policies: Policy[]): Config => ({
  version: 1,
  settings: { guard: {}, organization: false },
  policies,
});

/**
 * The id of a run that started `minutes` after `STOP_NOW` (negative: before), as `newRunId` makes it.
 *
 * @example runIdAt(-60) // '20261129T020000Z-800000'
 */
export const runIdAt = (minutes: number): string => newRunId(STOP_NOW + minutes * 60_000, () => 0.5);

/** Run the account × region with run id `runId`, waits on a fake clock polling every second. */
export function runStops(
  ec2: InMemoryEc2,
  config: Config,
  options: { readonly runId: string; readonly deadline?: number },
) {
  return runTarget(ec2, config, {
    now: STOP_NOW,
    ...fakeClock(STOP_NOW),
    pollMs: 1_000,
    exclusive: (_, work) => work(),
    ...options,
  });
}
