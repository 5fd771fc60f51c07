import { describe, expect, it } from 'vitest';
import { definePlugin, loadOrder, PluginError, type PluginDefinition } from './plugin.ts';

const plugin = (name: string, dependencies: string[] = []): PluginDefinition =>
  definePlugin({ name, description: name, dependencies });

const boot = (plugins: PluginDefinition[]) => {
  try {
    loadOrder(plugins);
  } catch (err) {
    return err as PluginError;
  }
  throw new Error('expected the boot to fail');
};

describe('plugin host', () => {
  it('loads every plugin after its dependencies, otherwise in manifest order', () => {
    const order = loadOrder([plugin('splits', ['groups', 'expenses']), plugin('auth'), plugin('groups', ['auth']), plugin('expenses', ['auth'])]);
    expect(order.map((p) => p.name)).toEqual(['auth', 'groups', 'expenses', 'splits']);
  });

  it('refuses two plugins with one name', () => {
    const err = boot([plugin('auth'), plugin('auth')]);
    expect(err).toBeInstanceOf(PluginError);
    expect(err.code).toBe('PLUGIN_DUPLICATE');
    expect(err.plugins).toEqual(['auth']);
  });

  it('refuses a missing dependency, naming both plugins', () => {
    const err = boot([plugin('budgets', ['expenses'])]);
    expect(err.code).toBe('PLUGIN_MISSING_DEPENDENCY');
    expect(err.plugins).toEqual(['budgets', 'expenses']);
    expect(err.message).toContain('"budgets" depends on "expenses"');
  });

  it('refuses a dependency cycle, naming the plugins in it', () => {
    const err = boot([plugin('a', ['b']), plugin('b', ['c']), plugin('c', ['a']), plugin('d')]);
    expect(err.code).toBe('PLUGIN_CYCLE');
    expect(err.plugins.sort()).toEqual(['a', 'b', 'c']);
    expect(err.message).toMatch(/a -> b -> c -> a/);
  });

  it('refuses a name that is not kebab-case (it becomes a URL prefix)', () => {
    expect(boot([plugin('My Plugin')]).code).toBe('PLUGIN_INVALID_NAME');
  });

  describe('services', () => {
    const spending = () => ({ totals: async () => [] });
    const provider = definePlugin({ name: 'expenses', description: 'x', provides: { spending } });

    it('lets a plugin use a service a dependency provides, directly or through another', () => {
      const budgets = definePlugin({ name: 'budgets', description: 'x', dependencies: ['expenses'], uses: ['spending'] });
      const reports = definePlugin({ name: 'reports', description: 'x', dependencies: ['budgets'], uses: ['spending'] });
      expect(loadOrder([reports, budgets, provider]).map((p) => p.name)).toEqual(['expenses', 'budgets', 'reports']);
    });

    it('refuses a plugin that uses a service without depending on its provider', () => {
      const err = boot([provider, definePlugin({ name: 'budgets', description: 'x', uses: ['spending'] })]);
      expect(err.code).toBe('PLUGIN_MISSING_SERVICE');
      expect(err.plugins).toEqual(['budgets', 'expenses']);
    });

    it('refuses a service no plugin provides', () => {
      const err = boot([definePlugin({ name: 'budgets', description: 'x', uses: ['spending'] })]);
      expect(err.code).toBe('PLUGIN_MISSING_SERVICE');
      expect(err.message).toContain('no plugin provides');
    });

    it('refuses two providers of one service', () => {
      const err = boot([provider, definePlugin({ name: 'ledger', description: 'x', provides: { spending } })]);
      expect(err.code).toBe('PLUGIN_DUPLICATE_SERVICE');
      expect(err.plugins).toEqual(['expenses', 'ledger']);
    });
  });
});
