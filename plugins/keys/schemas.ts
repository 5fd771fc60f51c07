import { z } from '@hono/zod-openapi';
import { API_KEY_PREFIX } from '../../core/auth/api-keys.ts';
import { SCOPES, type Scope } from '../../core/auth/scopes.ts';
import { Instant, Integer } from '../../core/schemas.ts';

/** The most keys one user keeps: enough for every integration, few enough to list in one page. */
export const MAX_API_KEYS = 100;

const KeyId = z.string().max(64).openapi({ example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' });

export const ApiKeyIdParam = z.object({ id: KeyId.openapi({ param: { name: 'id', in: 'path' } }) });

const ScopeList = z
  .array(z.enum(SCOPES as [Scope, ...Scope[]]))
  .min(1)
  .max(SCOPES.length)
  .refine((list) => new Set(list).size === list.length, 'each scope once')
  .openapi({ description: '`<resource>:read` or `<resource>:write`; write does not include read', example: ['expenses:read', 'expenses:write'] });

const KeyName = z.string().trim().min(1).max(100).openapi({ example: 'Spreadsheet import' });

export const CreateApiKeyBody = z
  .object({
    name: KeyName,
    scopes: ScopeList,
    expiresAt: z.iso
      .datetime({ offset: true })
      .max(40)
      .optional()
      .openapi({ description: 'When the key stops working (in the future); none: it works until deleted', example: '2027-01-01T00:00:00Z' }),
  })
  .openapi('CreateApiKeyBody');

export const CreatedApiKey = z
  .object({
    _id: KeyId,
    name: KeyName,
    scopes: ScopeList,
    expiresAt: Instant.nullable(),
    key: z
      .string()
      .max(100)
      .openapi({ description: `The secret, shown this once (only its hash is kept): send it as \`Authorization: Bearer ${API_KEY_PREFIX}…\``, example: `${API_KEY_PREFIX}Xk2…` }),
  })
  .openapi('CreatedApiKey');

export const ApiKey = z
  .object({
    _id: KeyId,
    name: KeyName,
    scopes: ScopeList,
    hint: z.string().max(20).openapi({ description: 'The secret’s first characters, to tell keys apart', example: `${API_KEY_PREFIX}Xk2q…` }),
    createdAt: Instant,
    expiresAt: Instant.nullable(),
    lastUsedAt: Instant.nullable().openapi({ description: 'To the minute; null: never used' }),
  })
  .openapi('ApiKey');

export const ApiKeyList = z
  .object({
    success: z.literal(true),
    count: Integer(0, MAX_API_KEYS),
    data: z.array(ApiKey).max(MAX_API_KEYS),
  })
  .openapi('ApiKeyList');
