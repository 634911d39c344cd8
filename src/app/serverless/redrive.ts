/**
 * How many times SQS delivers a work item before it moves it to the dead-letter queue (SPEC §10:
 * 3). The hub template's redrive policy, the worker's retry rule (a message is retried only while
 * another delivery is left) and the tests' stand-in queue all read this one constant, so they
 * agree by construction. Kept apart so the template imports nothing else of the worker.
 */
export const MAX_RECEIVES = 3;
