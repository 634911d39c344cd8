import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { regionProblem } from '../core/policy/regions.js';

describe("the core's region catalogue", () => {
  it('knows every region of the AWS SDK this package is built with (its partition data)', async () => {
    // Prepare: the SDK's endpoint rules list the regions of each partition; the file is not exported
    const file = join(
      import.meta.dirname,
      '../../node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js',
    );
    const { partitionsInfo } = (await import(pathToFileURL(file).href)) as {
      partitionsInfo: { partitions: { regions: Record<string, unknown> }[] };
    };

    // Act
    const sdkRegions = partitionsInfo.partitions
      .flatMap((p) => Object.keys(p.regions))
      .filter((r) => !r.endsWith('-global'));

    // Assess
    expect(sdkRegions.length).toBeGreaterThan(30);
    expect(sdkRegions.filter((r) => regionProblem(r) !== undefined)).toEqual([]);
  });
});
