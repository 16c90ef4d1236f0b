import type { Rule } from '../context.js';
import { cellRules } from './cells.js';
import { formatRules } from './format.js';
import { identityRules } from './identities.js';
import { narrativeRules } from './narrative.js';
import { structureRules } from './structure.js';
import { t2Rules } from './t2.js';

/**
 * The rules of one report, in the order they run (../shared/spec/rules.md). Adding a
 * rule means adding it here; nothing else knows rule ids. Rules are pure: each reads the
 * context and returns findings, and none sees what another found.
 */
export const RULES: readonly Rule[] = [...cellRules, ...identityRules, ...t2Rules, ...formatRules, ...structureRules, ...narrativeRules];
