import { describe, expect, it } from 'vitest';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password.ts';

describe('password hashing', () => {
  it('stores scrypt with its parameters and a fresh salt', async () => {
    const a = await hashPassword('password123');
    const b = await hashPassword('password123');
    expect(a).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(needsRehash(a)).toBe(false);
    // The unknown-email stand-in costs what a real hash costs.
    const dummy = await dummyHash();
    expect(needsRehash(dummy)).toBe(false);
    expect(dummy.split('$')[2]).toBe(a.split('$')[2]);
  });

  it('hashes at a configured cost, with its unknown-email stand-in at the same cost', async () => {
    const cheap = await hashPassword('password123', 10);
    expect(cheap).toMatch(/^\$scrypt\$ln=10,r=8,p=5\$/);
    expect(await verifyPassword('password123', cheap)).toBe(true);
    expect(needsRehash(cheap, 10)).toBe(false);
    // Raised back to the default: the next sign-in rehashes it.
    expect(needsRehash(cheap)).toBe(true);
    const dummy = await dummyHash(10);
    expect(dummy.split('$')[2]).toBe('ln=10,r=8,p=5');
    expect(await dummyHash(10)).toBe(dummy);
  });

  it('verifies the right password only', async () => {
    const hash = await hashPassword('correct horse');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(await verifyPassword('correct horse', 'not-a-hash')).toBe(false);
  });

  it('verifies an older, cheaper hash and asks for a rehash', async () => {
    // Made with N=2^10, r=8, p=1 by the same format: cost can be raised without locking users out.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('old password', salt, 32, { N: 1024, r: 8, p: 1 });
    const old = `$scrypt$ln=10,r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('old password', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });
});
