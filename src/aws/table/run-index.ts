/**
 * The run index in the table (partition `runs`, sort key `<run id>#<part>`): one item per run,
 * written once by the fan-out. A run id starts with its UTC start time, so "the runs since T" is one
 * Query by sort key, newest first. A run of 1,000 accounts × 17 regions fits one item (its targets
 * are kept per account: `{"111111111111": "eu-west-1,us-east-1"}`); a bigger one is cut into parts
 * of at most {@link MAX_PART_BYTES}, far below DynamoDB's 400 KB, each carrying the number of parts
 * so a reader knows when one is missing. Items past their `expires_at` are treated as absent.
 */
import { type DynamoDBDocumentClient, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type {
  IndexedRun,
  RunIndexEntry,
  RunIndexFailure,
  RunIndexStore,
  RunTarget,
} from '../../app/serverless/run-index.js';
import { callAws, toAwsCallError } from '../errors.js';
import { RUN_RECORD_TTL_MS, RUNS_PK, runIndexSk, TTL_ATTRIBUTE, ttlSeconds } from './keys.js';

/** The JSON of one part's targets and failures stays under this many bytes. */
export const MAX_PART_BYTES = 300_000;
/** A failure's message is cut to this many characters (AWS messages can be long). */
const MAX_MESSAGE_CHARS = 500;

/** What one item holds: targets by account (regions comma-joined) and failures. */
interface Part {
  targets: Record<string, string>;
  failures: RunIndexFailure[];
  bytes: number;
}

/** @example await createRunIndexStore(client, 'ebs-snapper-Table-X').since(Date.now() - 86_400_000) */
export function createRunIndexStore(
  client: DynamoDBDocumentClient,
  table: string,
  clock: () => number = Date.now,
): RunIndexStore {
  const query = (input: {
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, string>;
    Limit?: number;
  }) => readRuns(client, { TableName: table, ScanIndexForward: false, ...input }, clock());
  return {
    async put(entry) {
      const parts = partsOf(entry);
      const expiresAt = ttlSeconds(Date.parse(entry.startedAt) + RUN_RECORD_TTL_MS);
      for (const [index, part] of parts.entries()) {
        const item = {
          pk: RUNS_PK,
          sk: runIndexSk(entry.runId, index),
          run_id: entry.runId,
          started_at: entry.startedAt,
          source: entry.source,
          parts: parts.length,
          targets: JSON.stringify(part.targets),
          failures: JSON.stringify(part.failures),
          [TTL_ATTRIBUTE]: expiresAt,
        };
        await callAws('PutItem', () => client.send(new PutCommand({ TableName: table, Item: item })));
      }
    },
    since(since) {
      return query({
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': RUNS_PK, ':from': runIdStamp(since) },
      });
    },
    async latest() {
      const [last] = await readRuns(
        client,
        {
          TableName: table,
          ScanIndexForward: false,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': RUNS_PK },
          Limit: 1,
        },
        clock(),
        1,
      );
      return last === undefined ? undefined : this.get(last.runId);
    },
    async get(runId) {
      const [run] = await query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': RUNS_PK, ':run': `${runId}#` },
      });
      return run;
    },
  };
}

/** `20261206T210000Z`: the start of every run id of that second or later, in sort order. */
function runIdStamp(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The entry cut into parts of at most {@link MAX_PART_BYTES}; always at least one. */
export function partsOf(entry: RunIndexEntry): Part[] {
  const byAccount = new Map<string, string[]>();
  for (const { account, region } of entry.targets) {
    const regions = byAccount.get(account) ?? [];
    regions.push(region);
    byAccount.set(account, regions);
  }
  const parts: Part[] = [{ targets: {}, failures: [], bytes: 0 }];
  const room = (bytes: number): Part => {
    const last = parts.at(-1)!;
    if (last.bytes + bytes <= MAX_PART_BYTES || last.bytes === 0) return last;
    const next = { targets: {}, failures: [], bytes: 0 };
    parts.push(next);
    return next;
  };
  for (const [account, regions] of byAccount) {
    const value = [...regions].sort().join(',');
    const part = room(account.length + value.length + 8);
    part.targets[account] = value;
    part.bytes += account.length + value.length + 8;
  }
  for (const failure of entry.failures) {
    const cut = { ...failure, message: failure.message.slice(0, MAX_MESSAGE_CHARS) };
    const bytes = Buffer.byteLength(JSON.stringify(cut)) + 1;
    const part = room(bytes);
    part.failures.push(cut);
    part.bytes += bytes;
  }
  return parts;
}

/** Query the index and put each run's parts back together, in the order the Query gives them. */
async function readRuns(
  client: DynamoDBDocumentClient,
  input: Parameters<typeof paginateQuery>[1],
  now: number,
  maxRuns = Number.POSITIVE_INFINITY,
): Promise<IndexedRun[]> {
  type Parts = { first: Record<string, unknown>; parts: Record<string, unknown>[] };
  const runs = new Map<string, Parts>();
  try {
    for await (const page of paginateQuery(
      { client, ...(input.Limit ? { pageSize: input.Limit } : {}) },
      input,
    )) {
      for (const item of page.Items ?? []) {
        if (typeof item[TTL_ATTRIBUTE] === 'number' && item[TTL_ATTRIBUTE] * 1000 <= now) continue;
        const runId = String(item.run_id);
        const run: Parts = runs.get(runId) ?? { first: item, parts: [] };
        run.parts.push(item);
        runs.set(runId, run);
      }
      if (runs.size >= maxRuns) break;
    }
  } catch (error) {
    throw toAwsCallError('Query', error);
  }
  return [...runs.entries()].map(([runId, { first, parts }]) => toRun(runId, first, parts));
}

function toRun(runId: string, first: Record<string, unknown>, parts: Record<string, unknown>[]): IndexedRun {
  const targets: RunTarget[] = [];
  const failures: RunIndexFailure[] = [];
  for (const part of parts) {
    const byAccount = parseJson<Record<string, string>>(part.targets, {});
    for (const [account, regions] of Object.entries(byAccount))
      for (const region of regions.split(',').filter(Boolean)) targets.push({ account, region });
    failures.push(...parseJson<RunIndexFailure[]>(part.failures, []));
  }
  return {
    runId,
    startedAt: String(first.started_at),
    source: first.source === 'trigger' ? 'trigger' : 'schedule',
    targets,
    failures,
    complete: parts.length === Number(first.parts ?? 1),
  };
}

function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
