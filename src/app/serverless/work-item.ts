/**
 * The work queue's message body (SPEC §10): `{"account", "region", "run_id", "continuation"}`.
 * Anything else on the queue is refused with a reason, and never retried.
 */
import * as z from 'zod';
import { EbsSnapperError } from '../../core/errors.js';
import type { WorkItem } from './ports.js';

/** How many times a target's work may be handed on to a next invocation (SPEC §10). */
export const MAX_CONTINUATIONS = 5;

const workItemSchema = z.strictObject({
  account: z.string().regex(/^\d{12}$/),
  region: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/),
  run_id: z.string().min(1).max(100),
  continuation: z.number().int().min(0).max(MAX_CONTINUATIONS),
});

/** A message body that is not a work item. */
export class BadWorkItemError extends EbsSnapperError {}

/**
 * @example parseWorkItem('{"account":"111111111111","region":"eu-west-1","run_id":"r","continuation":0}')
 */
export function parseWorkItem(body: string): WorkItem {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new BadWorkItemError(`not a work item: the message body is not JSON`, { cause: error });
  }
  const parsed = workItemSchema.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || 'body').join(', ');
    throw new BadWorkItemError(`not a work item: ${where} missing or invalid`);
  }
  return parsed.data;
}
