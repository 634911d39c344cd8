/** Conditional writes of the table (leases, handoffs, run records): a refused condition is an answer. */
import { PortError } from '../../app/kit/ports.js';

/** True when DynamoDB refused a write because its condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof PortError && error.code === 'ConditionalCheckFailedException';
}
