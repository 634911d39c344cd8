/**
 * Run `worker` over `items` with at most `concurrency` in flight at once, in item order.
 * Resolves when every item is done. The worker should record its own failures: a thrown error
 * rejects the returned promise, but the other lanes still run to the end first.
 *
 * @example await runPool(deletes, 8, async (action) => { await ec2.deleteSnapshot(action.snapshotId); });
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  let next = 0;
  const errors: unknown[] = [];
  const runLane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        await worker(items[index] as T, index);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, runLane));
  if (errors.length > 0) throw errors[0];
}
