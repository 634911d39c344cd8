/**
 * What every step of a run's drills shares: the ports, the inventory (hosts, their devices), the
 * policies, the run's id, and two clocks — the real one for waits and the deadline, and the
 * drill clock (`now` of the run, `--now` included, moved on by the time the run has taken), which
 * dates drills and their results and measures their steps.
 */
import type { Inventory } from '../../../core/model.js';
import { DEFAULT_DRILL_TIMEOUT_MS } from '../../../core/policy/normalize-drill.js';
import type { DrillSettings, Policy } from '../../../core/policy/types.js';
import type { SsmPort } from '../../kit/ssm-port.js';
import type { VolumePort } from '../../kit/volume-port.js';
import type { DrillOutcome } from './outcomes.js';

/** A step of a drill as it happens (`ebs-snapper drill` prints them). */
export interface DrillEvent {
  readonly snapshotId: string;
  readonly volumeId?: string;
  /** `started`, `available`, `initializing`, `initialized`, `attached`, `command sent`, `detaching`, ... */
  readonly what: string;
}

export interface DrillContext {
  readonly volumes: VolumePort;
  readonly ssm: SsmPort;
  readonly inventory: Inventory;
  readonly policies: ReadonlyMap<string, Policy>;
  readonly runId: string;
  /** The drill clock, epoch ms. */
  readonly at: () => number;
  /** The real clock, epoch ms (waits, the deadline). */
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** How often a changing volume or command is looked at. */
  readonly pollMs: number;
  /** How long one look may wait on a quick step (an attach, a detach, the check's command). */
  readonly patienceMs: number;
  /** Real epoch ms: no drill starts, and no look waits, past it. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
  /** Devices handed out on each host in this run (two drills never get the same). */
  readonly devicesTaken: Map<string, Set<string>>;
  readonly onEvent?: (event: DrillEvent) => void;
}

/** The drill settings of a policy; a drill whose policy is gone or has none ends by the defaults. */
export function settingsOf(
  context: DrillContext,
  policyId: string,
): Pick<DrillSettings, 'check' | 'timeoutMs'> & Partial<DrillSettings> {
  return context.policies.get(policyId)?.drill ?? { check: 'available', timeoutMs: DEFAULT_DRILL_TIMEOUT_MS };
}

/** True when the run may not start or wait on anything more. */
export function pastDeadline(context: DrillContext, moreMs = 0): boolean {
  if (context.signal?.aborted === true) return true;
  return context.deadline !== undefined && context.clock() + moreMs >= context.deadline;
}

/** The outcome fields every drill of a run shares. */
export function outcomeBase(
  context: DrillContext,
  fields: Pick<DrillOutcome, 'policy' | 'snapshotId' | 'check'> & Partial<DrillOutcome>,
): Pick<DrillOutcome, 'policy' | 'account' | 'region' | 'snapshotId' | 'check'> & Partial<DrillOutcome> {
  return { ...fields, account: context.inventory.account, region: context.inventory.region };
}
