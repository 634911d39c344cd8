/**
 * The order of calls across services, for tests that must see one step before another (a pre
 * script before CreateSnapshots, the post script after it): an emulation that notes each call it
 * is given, then answers it with the emulations it wraps, or forwards it to moto.
 *
 * SendCommand is noted with its script's kind when the comment says it (`freeze (pre)`,
 * `thaw (post)`): `SendCommand pre`, `SendCommand post`.
 */
import type { EmulatedRequest, Emulation } from './faults.js';

export interface CallOrder extends Emulation {
  /** The calls seen, in order. */
  calls(): string[];
}

/**
 * @example const order = recordCallOrder([ssm], ['CreateSnapshots', 'CreateTags', 'DeleteTags']);
 * proxy.configure({ emulations: [order] });
 */
export function recordCallOrder(inner: readonly Emulation[], forwarded: readonly string[]): CallOrder {
  const seen: string[] = [];
  const owner = (service: string, action: string) => inner.find((e) => e.answers(service, action));
  return {
    calls: () => [...seen],
    answers: (service, action) => forwarded.includes(action) || owner(service, action) !== undefined,
    async answer(request) {
      seen.push(labelOf(request));
      const emulation = owner(request.service, request.action);
      return emulation === undefined ? request.forward() : emulation.answer(request);
    },
  };
}

function labelOf(request: EmulatedRequest): string {
  if (request.action !== 'SendCommand') return request.action;
  const comment = String(request.json?.Comment ?? '');
  const kind = comment.includes('(pre)') ? ' pre' : comment.includes('(post)') ? ' post' : '';
  return `SendCommand${kind}`;
}
