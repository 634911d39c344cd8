import { describe, expect, it } from 'vitest';
import checkedIn from '../../../schema/ebs-snapper.schema.json' with { type: 'json' };
import { configJsonSchema, configJsonSchemaText } from './json-schema.js';

describe('configJsonSchema', () => {
  it('matches the checked-in schema/ebs-snapper.schema.json (run `npx tsx scripts/gen-schema.ts` to refresh it)', () => {
    // Prepare
    const generated = JSON.parse(configJsonSchemaText());

    // Act / Assess
    expect(checkedIn, 'schema/ebs-snapper.schema.json is stale: run `npx tsx scripts/gen-schema.ts`').toEqual(
      generated,
    );
  });

  it('is draft 2020-12 and strict about unknown keys', () => {
    // Prepare / Act
    const schema = configJsonSchema() as {
      $schema: string;
      additionalProperties: boolean;
      required: string[];
      properties: { policies: { items: { additionalProperties: boolean; required: string[] } } };
    };

    // Assess
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['version', 'policies']);
    expect(schema.properties.policies.items.additionalProperties).toBe(false);
    expect(schema.properties.policies.items.required).toEqual(['id', 'select', 'schedule', 'retention']);
  });

  it('leaves keys with defaults optional (input view)', () => {
    // Prepare / Act
    const schema = configJsonSchema() as {
      properties: {
        policies: { items: { properties: { snapshot: { required?: string[]; default?: unknown } } } };
      };
    };

    // Assess
    const snapshot = schema.properties.policies.items.properties.snapshot;
    expect(snapshot.required).toBeUndefined();
    expect(snapshot.default).toEqual({});
  });
});
