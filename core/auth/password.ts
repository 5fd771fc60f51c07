import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt at an OWASP-recommended cost (N=2^14, r=8, p=5: 16 MiB, the variant that fits a
 * Worker's 128 MB memory limit, unlike N=2^17). The parameters are stored in the hash, so
 * raising them later only needs `needsRehash` at the next login. `node:crypto` scrypt is
 * native on Node and in workerd, so one hash verifies on both hosts.
 */
const CURRENT = { ln: 14, r: 8, p: 5 } as const;
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

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, CURRENT);
  const { ln, r, p } = CURRENT;
  return `$scrypt$ln=${ln},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
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

export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return true;
  const { ln, r, p } = parsed.params;
  return 2 ** ln * r * p < 2 ** CURRENT.ln * CURRENT.r * CURRENT.p;
}

/**
 * Verified against when the email is unknown, so that a login costs one hash either way.
 * A constant of the current cost (its password was random and discarded): computing it at
 * start would cost every Worker isolate a hash. A test keeps it at the current cost.
 */
export const DUMMY_HASH = '$scrypt$ln=14,r=8,p=5$gR4tBYvODZ4DWu-sAddZzQ$zZenLAkSswgrVuv-hRMbSSL1Goa4GVzhnlCbdwpofL0';
