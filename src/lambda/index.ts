/**
 * The Lambda entry points (SPEC §10), package export `ebs-snapper/lambda`, bundled with
 * everything they need into `dist/lambda/index.js` for the `nodejs22.x` runtime.
 *
 * @example
 * import { fanOut, worker } from 'ebs-snapper/lambda';
 */
import { createFanOut } from './fanout.js';
import { createWorker } from './worker.js';

/** EventBridge Scheduler → one SQS message per account × region. */
export const fanOut = createFanOut();
/** SQS → lease, collect, plan, apply until the deadline, record, continue, notify. */
export const worker = createWorker();

export { createFanOut, type FanOutOptions, type FanOutResponse } from './fanout.js';
export { createWorker, DEFAULT_MARGIN_MS, type WorkerOptions } from './worker.js';
