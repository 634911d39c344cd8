/**
 * Warnings are data, like reasons: a dotted code that code can test, and a message for people.
 * `config.*` come from reading a policy file, `plan.*` from planning one account × region, `run.*`
 * from running it (crash recovery's look at the stop workflow's instance tags), `report.*` from a
 * report or forecast of one.
 */

export const WARNING_CODES = [
  // policy file
  'config.overlap',
  'config.ignored',
  'config.retention',
  'config.consistency',
  'config.drill',
  'config.lock-compliance',
  'config.vault-unlocked',
  // plan
  'plan.duplicate-policy',
  'plan.selection',
  'plan.selects-nothing',
  'plan.schedule',
  'plan.unknown-policy',
  'plan.overlap',
  'plan.guard',
  'plan.deletes-held',
  'plan.copies-held',
  'plan.recent-creates',
  'plan.locks-held',
  'plan.vaults-held',
  'plan.shares-held',
  'plan.recycle-bin-unknown',
  // run
  'run.stop-tag-foreign',
  'run.stop-tag-live',
  'run.freeze-tag-foreign',
  'run.freeze-tag-live',
  'run.freeze-policy-unknown',
  // restore drills
  'drill.volume-foreign',
  'drill.volume-live',
  'drill.no-host',
  // report and forecast
  'report.sizes-unknown',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface Warning {
  readonly code: WarningCode;
  readonly message: string;
}

/** @example warning('plan.selects-nothing', 'policy web: selects no volume') */
export const warning = (code: WarningCode, message: string): Warning => ({ code, message });
