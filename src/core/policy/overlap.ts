/**
 * Which pairs of policies may select the same volume. Two policies on one volume are allowed (each
 * keeps its own series, SPEC §4), but usually a mistake, so the parser warns. The check is
 * conservative: a pair is reported unless one dimension both constrain (the same filter name, the
 * same ASG list, the instance ids) provably has no value in common, or one policy excludes every
 * id the other selects.
 */
import { compileMatcher } from '../select.js';
import type { Warning } from '../warnings.js';
import type { Policy } from './types.js';

/** Dimension name → the value lists a policy requires on it (each list is an OR; lists AND). */
type Footprint = Map<string, string[][]>;

function addConstraint(footprint: Footprint, dimension: string, values: readonly string[] | undefined): void {
  if (values === undefined) return;
  footprint.set(dimension, [...(footprint.get(dimension) ?? []), [...values]]);
}

function footprintOf(policy: Policy): Footprint {
  const footprint: Footprint = new Map();
  const { select } = policy;
  for (const [name, values] of Object.entries(select.instances ?? {}))
    addConstraint(footprint, `instance ${name}`, values);
  addConstraint(footprint, 'instance tag:Name', select.instanceNames);
  addConstraint(footprint, 'instance instance-id', select.instanceIds);
  addConstraint(footprint, 'asg', select.asg);
  for (const [name, values] of Object.entries(select.volumes ?? {}))
    addConstraint(footprint, `volume ${name}`, values);
  return footprint;
}

const WILDCARD = /[*?]/;

/** Could one string match both EC2 patterns (`*` any run, `?` one character)? Errs towards yes. */
export function patternsMayOverlap(a: string, b: string): boolean {
  const aWild = WILDCARD.test(a);
  const bWild = WILDCARD.test(b);
  if (!aWild && !bWild) return a === b;
  // One side is a plain value: match it the way the planner will (select.ts).
  if (!aWild) return compileMatcher([b])(a);
  if (!bWild) return compileMatcher([a])(b);
  // Both have wildcards: compare the fixed text before the first and after the last wildcard.
  const prefix = (glob: string) => glob.slice(0, glob.search(WILDCARD));
  const suffix = (glob: string) => glob.slice(glob.length - [...glob].reverse().join('').search(WILDCARD));
  const [pa, pb] = [prefix(a), prefix(b)];
  const [sa, sb] = [suffix(a), suffix(b)];
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}

function listsMayOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => patternsMayOverlap(x, y)));
}

function provablyDisjoint(a: Footprint, b: Footprint): boolean {
  for (const [dimension, listsA] of a) {
    const listsB = b.get(dimension);
    if (listsB === undefined) continue;
    if (listsA.some((x) => listsB.some((y) => !listsMayOverlap(x, y)))) return true;
  }
  return false;
}

/** True when every instance or volume id `selector` names is excluded by `excluder`. */
function excludesAllIds(excluder: Policy, selector: Policy): boolean {
  const instanceIds = selector.select.instanceIds ?? selector.select.instances?.['instance-id'];
  const volumeIds = selector.select.volumes?.['volume-id'];
  const covered = (ids: readonly string[] | undefined, excluded: readonly string[]) =>
    ids?.every((id) => !WILDCARD.test(id) && excluded.includes(id)) === true;
  return (
    covered(instanceIds, excluder.select.exclude.instanceIds) ||
    covered(volumeIds, excluder.select.exclude.volumeIds)
  );
}

/** Whether two policies can select one volume (conservatively: true unless proven otherwise). */
function mayOverlap(a: Policy, b: Policy): boolean {
  if (provablyDisjoint(footprintOf(a), footprintOf(b))) return false;
  return !(excludesAllIds(a, b) || excludesAllIds(b, a));
}

/** Warnings for every pair of policies that may select the same volumes, later policy first. */
export function findOverlaps(policies: readonly Policy[]): Warning[] {
  const warnings: Warning[] = [];
  for (let later = 1; later < policies.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      if (mayOverlap(policies[later]!, policies[earlier]!)) {
        warnings.push({
          code: 'config.overlap',
          message: `policies "${policies[later]!.id}" and "${policies[earlier]!.id}" (policies[${later}] and policies[${earlier}]) may select the same volumes: each keeps its own series`,
        });
      }
    }
  }
  return warnings;
}
