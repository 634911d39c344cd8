/**
 * The part of the Recycle Bin's SDK the tool uses, imported on first use (`import('./rbin-sdk.js')`).
 * A dynamic import of `@aws-sdk/client-rbin` itself would keep every export of the package in the
 * Lambda bundles (the bundler cannot tell which a namespace's user reads); this module names the
 * three the tool needs, so only they and what they use are bundled — and none of it is run before
 * the first read of the bin.
 */
export { GetRuleCommand, ListRulesCommand, RbinClient } from '@aws-sdk/client-rbin';
