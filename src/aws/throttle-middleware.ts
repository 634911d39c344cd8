/**
 * Puts a {@link ThrottleRegistry} into an SDK client's middleware stack.
 *
 * The middleware sits in `finalizeRequest` right after the SDK's `retryMiddleware`, so EVERY
 * attempt — the first and each SDK retry, and each page a paginator asks for — takes a token
 * from the bucket of its action, as EC2 counts them. It runs before request signing, so a long
 * wait never sends a stale signature.
 */
import type { FinalizeRequestMiddleware, MiddlewareStack } from '@smithy/types';
import { abortable } from './http.js';
import type { ThrottleRegistry } from './throttle.js';

export const THROTTLE_MIDDLEWARE_NAME = 'ebsSnapperThrottle';

/** Any SDK v3 client. */
export interface HasMiddlewareStack<I extends object, O extends object> {
  readonly middlewareStack: MiddlewareStack<I, O>;
}

/** The API action of a command: `DescribeSnapshotsCommand` → `DescribeSnapshots`. */
export function actionOfCommand(commandName: string | undefined): string {
  if (!commandName) return 'Unknown';
  return commandName.endsWith('Command') ? commandName.slice(0, -'Command'.length) : commandName;
}

/**
 * Throttles every request `client` sends through the buckets of `scope`. Applying it again
 * replaces the earlier middleware (same name), so it is safe to call once per port.
 *
 * @example
 * applyThrottle(clients.ec2, registry, { account: '123456789012', region: 'us-east-1' });
 */
export function applyThrottle<I extends object, O extends object>(
  client: HasMiddlewareStack<I, O>,
  registry: ThrottleRegistry,
  scope: { readonly account: string; readonly region: string; readonly signal?: AbortSignal },
): void {
  const middleware: FinalizeRequestMiddleware<I, O> = (next, context) => async (args) => {
    // A wait for a token ends when the run must end, like a call in flight.
    await abortable(
      registry.take(scope.account, scope.region, actionOfCommand(context.commandName)),
      scope.signal,
    );
    return next(args);
  };
  client.middlewareStack.addRelativeTo(middleware, {
    name: THROTTLE_MIDDLEWARE_NAME,
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    override: true,
  });
}
