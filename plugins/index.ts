import type { PluginDefinition } from '../core/plugin.ts';
import analytics from './analytics/index.ts';
import audit from './audit/index.ts';
import auth from './auth/index.ts';
import budgets from './budgets/index.ts';
import currency from './currency/index.ts';
import dev from './dev/index.ts';
import events from './events/index.ts';
import expenses from './expenses/index.ts';
import goals from './goals/index.ts';
import groups from './groups/index.ts';
import keys from './keys/index.ts';
import notifications from './notifications/index.ts';
import receipts from './receipts/index.ts';
import recurring from './recurring/index.ts';
import splits from './splits/index.ts';
import sync from './sync/index.ts';
import webhooks from './webhooks/index.ts';

/** The plugin manifest: the one list of plugins. Load order comes from their dependencies. */
export const plugins: readonly PluginDefinition[] = [auth, currency, expenses, budgets, goals, groups, splits, analytics, notifications, receipts, recurring, sync, keys, audit, events, webhooks, dev];
