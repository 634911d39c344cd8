/**
 * One target's run through the real worker handler, in process, counted for the cost model: the
 * in-process fake EC2 (each call answered after `EC2_LATENCY_MS`, as AWS answers a small call),
 * the deployment's stores in memory with every call counted as the DynamoDB units its adapter
 * would spend (each store call taking `DYNAMO_LATENCY_MS`), and the handler's stdout (JSON log
 * lines and EMF metric lines) captured and measured.
 */
import process from 'node:process';
import type { Context } from 'aws-lambda';
import type { WorkItem } from '../../src/app/serverless/ports.js';
import type { RequestHandlerLike } from '../../src/aws/http.js';
import type { Runtime } from '../../src/lambda/runtime.js';
import { createWorker } from '../../src/lambda/worker.js';
import type { MemoryDeployment } from './bench-deployment.js';
import { sqsEventOf } from './sqs-event.js';

export const EC2_LATENCY_MS = 100;
export const DYNAMO_LATENCY_MS = 10;

/** What one invocation cost, as measured. */
export interface MeasuredRun {
  readonly wallMs: number;
  /** CPU of the handler, the fake EC2's own (small) work included: an upper bound. */
  readonly cpuMs: number;
  readonly ec2Calls: Record<string, number>;
  readonly dynamoWriteUnits: number;
  readonly dynamoReadUnits: number;
  /** The run record's size as an item (its attributes' JSON, plus keys). */
  readonly storedBytes: number;
  readonly logBytes: number;
  readonly logLines: number;
  /** Metric name × dimension combinations in the EMF lines. */
  readonly metricSeries: number;
  readonly continuations: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const KB = 1024;

/** Counts DynamoDB units: a write is a unit per KB of item, a read (strongly consistent) a unit per 4 KB. */
export class UnitCounter {
  writeUnits = 0;
  readUnits = 0;
  write(item: unknown): void {
    this.writeUnits += Math.max(1, Math.ceil((JSON.stringify(item ?? {}).length + 100) / KB));
  }
  read(): void {
    this.readUnits += 1;
  }
}

/** Wraps a store: methods named in `reads` count as reads, every other as a write of its first argument. */
export function counted<T extends object>(store: T, units: UnitCounter, reads: readonly string[]): T {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (reads.includes(String(key))) units.read();
        else units.write(args[0]);
        await sleep(DYNAMO_LATENCY_MS);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The fake's handler with AWS's answer time, its calls counted per action. */
export function slowed(inner: RequestHandlerLike, calls: Record<string, number>) {
  const handler = inner as unknown as { handle(request: { body?: unknown }): Promise<unknown> };
  return new Proxy(handler, {
    get(target, key, receiver) {
      if (key !== 'handle') return Reflect.get(target, key, receiver);
      return async (request: { body?: unknown }) => {
        const body = typeof request.body === 'string' ? request.body : '';
        const action = /(?:^|&)Action=([^&]*)/.exec(body)?.[1] ?? 'Other';
        calls[action] = (calls[action] ?? 0) + 1;
        const answer = await target.handle(request);
        await sleep(EC2_LATENCY_MS);
        return answer;
      };
    },
  }) as unknown as RequestHandlerLike;
}

/** Runs `item` through the worker once and measures it; `runtime` must use `deployment` and `units`. */
export async function measureInvocation(
  runtime: Runtime,
  deployment: MemoryDeployment,
  item: WorkItem,
  counters: { units: UnitCounter; calls: Record<string, number> },
): Promise<MeasuredRun> {
  const worker = createWorker({ runtime: () => runtime, continuationDelaySeconds: 0 });
  const captured: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  }) as typeof process.stdout.write;
  const queued = deployment.queue.items.length;
  const before = {
    writes: counters.units.writeUnits,
    reads: counters.units.readUnits,
    calls: { ...counters.calls },
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    await worker(sqsEventOf([item]), {
      awsRequestId: 'cost',
      getRemainingTimeInMillis: () => 900_000,
    } as Context);
  } finally {
    process.stdout.write = write;
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const record = deployment.records.all.at(-1);
  const text = captured.join('');
  return {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    ec2Calls: Object.fromEntries(
      Object.entries(counters.calls).map(([action, n]) => [action, n - (before.calls[action] ?? 0)]),
    ),
    dynamoWriteUnits: counters.units.writeUnits - before.writes,
    dynamoReadUnits: counters.units.readUnits - before.reads,
    storedBytes: JSON.stringify(record ?? {}).length + 100,
    logBytes: Buffer.byteLength(text),
    logLines: text.split('\n').filter((l) => l.trim() !== '').length,
    metricSeries: countSeries(text),
    continuations: deployment.queue.items.length - queued,
  };
}

/** Distinct metric × dimension-value combinations in the EMF lines of `text`. */
export function countSeries(text: string): number {
  const series = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.includes('"_aws"')) continue;
    const emf = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    for (const directive of emf._aws.CloudWatchMetrics)
      for (const dims of directive.Dimensions)
        for (const metric of directive.Metrics)
          series.add(`${metric.Name}|${dims.map((d) => `${d}=${String(emf[d])}`).join(',')}`);
  }
  return series.size;
}
