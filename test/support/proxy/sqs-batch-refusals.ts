/**
 * SQS refusing some entries of a SendMessageBatch and taking the others (moto takes every entry):
 * the entries `refuse` picks are kept from moto and answered in `Failed` (`InternalError`, not the
 * sender's fault, as SQS answers a transient refusal); the rest go on to moto, and its answer
 * carries them in `Successful` as usual. At most `times` refusals in all (every one when omitted).
 */
import type { EmulatedAnswer, EmulatedRequest, Emulation } from './faults.js';

interface BatchEntry {
  readonly Id: string;
  readonly MessageBody: string;
}

export interface BatchRefusals extends Emulation {
  /** Entries refused so far. */
  readonly refused: () => number;
}

/** @example refusedBatchEntries((body) => body.includes('"eu-west-1"'), 2) */
export function refusedBatchEntries(
  refuse: (messageBody: string) => boolean,
  times = Infinity,
): BatchRefusals {
  let refused = 0;
  return {
    refused: () => refused,
    answers: (service, action) => service === 'sqs' && action === 'SendMessageBatch',
    async answer(request: EmulatedRequest): Promise<EmulatedAnswer | undefined> {
      const input = request.json as { Entries?: BatchEntry[] } | undefined;
      const entries = input?.Entries ?? [];
      const refusedNow: BatchEntry[] = [];
      for (const entry of entries) {
        if (refused >= times || !refuse(entry.MessageBody)) continue;
        refused += 1;
        refusedNow.push(entry);
      }
      if (refusedNow.length === 0) return undefined;
      const kept = entries.filter((entry) => !refusedNow.includes(entry));
      let answer: { Successful?: unknown[]; Failed?: unknown[] } = { Successful: [], Failed: [] };
      let headers: Record<string, string | string[]> = { 'content-type': 'application/x-amz-json-1.0' };
      if (kept.length > 0) {
        const moto = await request.forward(Buffer.from(JSON.stringify({ ...input, Entries: kept })));
        if (moto.status !== 200) return moto;
        answer = JSON.parse(moto.body.toString('utf8'));
        headers = moto.headers;
      }
      const failed = refusedNow.map((entry) => ({
        Id: entry.Id,
        Code: 'InternalError',
        Message: 'The request processing has failed because of an unknown error.',
        SenderFault: false,
      }));
      const body = Buffer.from(JSON.stringify({ ...answer, Failed: [...(answer.Failed ?? []), ...failed] }));
      return { status: 200, headers: { ...headers, 'content-length': String(body.length) }, body };
    },
  };
}
