import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt at an OWASP-recommended cost (N=2^14, r=8, p=5: 16 MiB, the variant that fits a
 * Worker's 128 MB memory limit, unlike N=2^17). The parameters are stored in the hash, so
 * raising them later only needs `needsRehash` at the next login. `node:crypto` scrypt is
 * native on Node and in workerd, so one hash verifies on both hosts.
 *
 * The cost is log2 of N: PASSWORD_HASH_COST (core/config.ts), never below this one in
 * production. Lower is for tests: a hash at this cost is about 0.3 s of CPU on a slow core,
 * and every sign-up and sign-in costs one.
 */
export const DEFAULT_HASH_COST = 14;
const R = 8;
const P = 5;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

interface Params {
  ln: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, { ln, r, p }: Params): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 256 * 2 ** ln * r + 2 ** 20 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost = DEFAULT_HASH_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, { ln: cost, r: R, p: P });
  return `$scrypt$ln=${cost},r=${R},p=${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

function parse(stored: string): { params: Params; salt: Buffer; key: Buffer } | null {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!m) return null;
  return {
    params: { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) },
    salt: Buffer.from(m[4]!, 'base64url'),
    key: Buffer.from(m[5]!, 'base64url'),
  };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

export function needsRehash(stored: string, cost = DEFAULT_HASH_COST): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  const { ln, r, p } = parsed.params;
  return 2 ** ln * r * p < 2 ** cost * R * P;
}

/**
 * Verified against when the email is unknown, so that a login costs one hash either way. At
 * the default cost a constant (its password was random and discarded): computing it at start
 * would cost every Worker isolate a hash. At another cost it is made once, at the first login
 * that needs it. A test keeps the constant at the default cost.
 */
const dummies = new Map<number, Promise<string>>([
  [DEFAULT_HASH_COST, Promise.resolve('$scrypt$ln=14,r=8,p=5$gR4tBYvODZ4DWu-sAddZzQ$zZenLAkSswgrVuv-hRMbSSL1Goa4GVzhnlCbdwpofL0')],
]);

export function dummyHash(cost = DEFAULT_HASH_COST): Promise<string> {
  let hash = dummies.get(cost);
  if (!hash) dummies.set(cost, (hash = hashPassword(randomBytes(SALT_LENGTH).toString('base64url'), cost)));
  return hash;
}
