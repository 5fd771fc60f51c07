import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has working defaults for a development start', () => {
    const config = loadConfig({}, () => 'generated');
    expect(config).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'file:./data/expenseflow.db',
      JWT_EXPIRE: '7d',
      NODE_ENV: 'development',
      DATA_DIR: './data',
      JWT_SECRET: 'generated',
      PASSWORD_HASH_COST: 14,
    });
    expect(config.EXCHANGE_RATES_URL).toMatch(/^https:\/\/www\.ecb\.europa\.eu\/.*eurofxref-daily\.xml$/);
  });

  it('names the variable of a wrong value', () => {
    expect(() => loadConfig({ PORT: 'eighty' }, () => 's')).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_EXPIRE: 'forever' }, () => 's')).toThrow(/JWT_EXPIRE/);
    expect(() => loadConfig({ FRONTEND_URL: 'not a url' }, () => 's')).toThrow(/FRONTEND_URL/);
    expect(() => loadConfig({ EXCHANGE_RATES_URL: 'ftp://x' }, () => 's')).toThrow(/EXCHANGE_RATES_URL/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' }, () => 's')).toThrow(ConfigError);
  });

  it('requires a 32-byte JWT_SECRET in production and never generates one there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
    const secret = 'x'.repeat(32);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).JWT_SECRET).toBe(secret);
  });

  it('lowers the password hash cost only outside production', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ PASSWORD_HASH_COST: '10' }, () => 's').PASSWORD_HASH_COST).toBe(10);
    expect(() => loadConfig({ PASSWORD_HASH_COST: '9' }, () => 's')).toThrow(/PASSWORD_HASH_COST/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, PASSWORD_HASH_COST: '13' })).toThrow(/PASSWORD_HASH_COST: must be at least 14 in production/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, PASSWORD_HASH_COST: '15' }).PASSWORD_HASH_COST).toBe(15);
  });
});
