// The fake EC2 worker's entry: Node 20 loads a worker's entry before any `--import tsx` hook
// would apply, so this plain module registers tsx first, then loads the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./fake-ec2-worker.ts');
