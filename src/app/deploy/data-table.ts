/**
 * Configs and run history are data, not stack resources to lose. The hub's table is kept when its
 * stack goes (`DeletionPolicy: Retain`, deletion protection), a stack made anew under the same
 * name takes it up again instead of starting an empty one, and no update may replace it.
 */
import { DeployError, type KeptTablePort, type StackChange } from './ports.js';
import type { UpdateCheck } from './stack-rollout.js';
import type { DeployProgress } from './stack-wait.js';

const TABLE_TYPE = 'AWS::DynamoDB::Table';
/** `Conditional`: CloudFormation cannot tell before it runs; the data is not worth the bet. */
const REPLACES = new Set(['True', 'Conditional']);

/**
 * The table an earlier stack of this name left behind, for a stack about to be made; undefined
 * when there is none. More than one is a question for a person, not a guess.
 *
 * @example const kept = await findKeptTable(port, 'ebs-snapper', progress); // 'ebs-snapper-Table-1A2B3C'
 */
export async function findKeptTable(
  port: KeptTablePort,
  stackName: string,
  progress: DeployProgress,
): Promise<string | undefined> {
  const kept = await port.find(stackName);
  if (kept.length > 1) {
    const names = kept.map((t) => t.name).join(', ');
    throw new DeployError(
      `${kept.length} tables are marked as the data table of stack ${stackName}: ${names}. ` +
        'Keep the one whose configs and run history you want, delete the others ' +
        '(turn their deletion protection off first), then deploy again',
    );
  }
  const table = kept[0]?.name;
  if (table !== undefined) progress.note(`using the table kept from an earlier stack: ${table}`);
  return table;
}

/**
 * Refuses an update that would replace a table of the stack: CloudFormation would make a new,
 * empty table, point the functions at it and leave the configs and run history behind.
 *
 * @example applyStackPlan(port, plan, request, progress, wait, keepsTable('ebs-snapper'))
 */
export function keepsTable(stackName: string): UpdateCheck {
  return (changes: readonly StackChange[]) => {
    const replaced = changes.find(
      (c) => c.resourceType === TABLE_TYPE && c.action === 'Modify' && REPLACES.has(c.replacement ?? ''),
    );
    if (replaced === undefined) return undefined;
    const table = replaced.physicalId ?? replaced.logicalId;
    return (
      `stack ${stackName}: this update would replace the table ${table} (replacement: ${replaced.replacement}): ` +
      'a new, empty table, with the configs and run history left behind in the old one ' +
      '(a deploy never changes what makes a table new: look for a change made to the stack by hand)'
    );
  };
}
