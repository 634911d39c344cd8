/**
 * The worker's own bundle (`dist/lambda/worker.mjs`, handler `worker.worker` in the deployed zip):
 * only what the worker needs, so its cold start does not load the fan-out's code.
 */
import { createWorker } from './worker.js';

/** SQS → lease, collect, plan, apply until the deadline, record, continue, notify. */
export const worker = createWorker();
