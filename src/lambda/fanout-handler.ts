/**
 * The fan-out's own bundle (`dist/lambda/fanout.mjs`, handler `fanout.fanOut` in the deployed zip):
 * only what the fan-out needs, so its cold start does not load the worker's code.
 */
import { createFanOut } from './fanout.js';

/** EventBridge Scheduler → one SQS message per account × region. */
export const fanOut = createFanOut();
