import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { createSplit } from '../create.ts';
import { CreateSplitBody, SplitCreated } from '../schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createSplit',
  tags: ['splits'],
  summary: 'Create expense split',
  description:
    'Splits one of the caller’s expenses (the caller paid it) among active members of a group the caller is an active member of. Shares are integer minor units of the expense’s currency and add up to its amount exactly: each is rounded down, then the leftover units go one at a time to the participants in split order, first first (100.00 / 3 gives 33.34, 33.33, 33.33). The payer’s own share is paid at creation; every other participant owes the payer their share, recorded in the group’s ledger in the same write. 400 names the field at fault (amounts or percentages that do not add up, a participant outside the group, a share of 0); 404 for an expense that is not the caller’s or a group they are not an active member of; 409 `ALREADY_SPLIT` when the expense is split already.',
  security: scoped('splits:write'),
  middleware: requireAuth,
  request: { body: jsonBody(CreateSplitBody, 'The expense, the group, the method and optionally the participants') },
  responses: {
    201: jsonContent(SplitCreated, 'The split with its shares'),
    ...errors(401, 404, 409, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) =>
    c.json({ success: true, message: 'Expense split created successfully', data: await createSplit(c.get('platform'), c.get('user'), c.req.valid('json')) } as const, 201),
  );
