/**
 * The one DynamoDB table's layout (SPEC §10): string keys `pk` and `sk`, TTL attribute
 * `expires_at` (epoch seconds). Six kinds of item share it:
 *
 * | item           | pk                            | sk                             | expires_at                      |
 * |----------------|-------------------------------|--------------------------------|---------------------------------|
 * | config         | `config`                      | the config's name              | —                               |
 * | lease          | `lease`                       | `<account>-<region>`           | when the lease ends             |
 * | run record     | `run#<run id>`                | `<account>/<region>#<cont.>`   | 90 days after the run           |
 * | handoff        | `handoff#<run id>`            | `<account>/<region>#<cont.>`   | 2 days after the claim          |
 * | run's deletes  | `deleted#<run id>`            | `<acct>/<region>#<cont.>#<start>#<part>` | 90 days after the run |
 * | recent creates | `recent#<account>-<region>`   | `<run id>#<writer>#<part>`     | an hour after its newest create |
 * | run index      | `runs`                        | `<run id>#<part>`              | 90 days after the run           |
 * | fan-out marks  | `fanout#<run id>`             | `<first account>..<last>`      | 2 days after the claim          |
 *
 * Configs share one partition so `config list` is one Query; a run's records share one, so a
 * run is read back with one Query; an account × region's recent creates share one, so a run reads
 * them with one Query (several items, since a run of thousands of creates outgrows one item). A
 * handoff marks a continuation as sent (its own continuation number): not a record, so in a
 * partition of its own. The run index has one item per run (more when its targets outgrow one
 * item) in one partition, its sort key the run id, which starts with the run's UTC start time: the
 * runs since a time are one Query by sort key, and `status` needs no scan of the records.
 */

export const CONFIG_PK = 'config';
export const LEASE_PK = 'lease';
export const runPk = (runId: string): string => `run#${runId}`;
export const handoffPk = (runId: string): string => `handoff#${runId}`;
/** The partition of a run's deleted snapshot ids (`undo`, SPEC §14): apart from the records, in parts. */
export const deletedPk = (runId: string): string => `deleted#${runId}`;
export const runSk = (account: string, region: string, continuation: number): string =>
  `${account}/${region}#${String(continuation).padStart(2, '0')}`;

/** The partition of the run index: one item per run (and part), sorted by run id = start time. */
export const RUNS_PK = 'runs';
/** A run index item's sort key: `<run id>#<part>`, parts numbered from 0. */
export const runIndexSk = (runId: string, part: number): string =>
  `${runId}#${String(part).padStart(3, '0')}`;

/** The partition of a run's fan-out marks: what each chunk of its targets had queued (SPEC §16). */
export const fanOutPk = (runId: string): string => `fanout#${runId}`;

/** The partition of an account × region's recent creates (`key` as the lease's: `<account>-<region>`). */
export const recentPk = (key: string): string => `recent#${key}`;

/** Run records are kept this long. */
export const RUN_RECORD_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** Handoffs are kept this long: longer than a work item stays in the queue (a day). */
export const HANDOFF_TTL_MS = 2 * 24 * 60 * 60 * 1000;

/** Epoch ms → the epoch seconds DynamoDB's TTL reads. */
export const ttlSeconds = (epochMs: number): number => Math.ceil(epochMs / 1000);

/** The TTL attribute (epoch seconds) of leases, run records, the run index and recent creates. */
export const TTL_ATTRIBUTE = 'expires_at';

/** The key schema, as the hub template and the tests' tables create it. */
export const TABLE_KEY_SCHEMA = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
} as const;
