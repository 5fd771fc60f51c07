import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Config } from './config.ts';
import type { DomainEvents, EventName } from './events.ts';
import type { JobDefinition } from './jobs.ts';
import type { AppEnv, Platform } from './platform.ts';
import type { RetentionRule } from './retention.ts';
import type { ServiceName, Services } from './services.ts';

export type PluginApp = OpenAPIHono<AppEnv>;

export type PluginListeners = {
  [K in EventName]?: (payload: DomainEvents[K], platform: Platform) => Promise<void> | void;
};

export interface PluginDefinition {
  /** Unique, kebab-case; the route prefix is /api/<name> and the OpenAPI tag is the name. */
  name: string;
  /** One sentence: the OpenAPI tag's description. */
  description: string;
  /** Plugins that must load first; checked at boot. */
  dependencies?: readonly string[];
  /** Drizzle tables this plugin owns (migrations are generated from them). */
  tables?: Readonly<Record<string, unknown>>;
  routes?: (app: PluginApp) => void;
  jobs?: readonly JobDefinition[];
  /** What the retention job may delete from this plugin's tables (core/retention.ts). */
  retention?: readonly RetentionRule[];
  on?: PluginListeners;
  /** Services this plugin offers to the plugins that depend on it (contracts in core/services.ts). */
  provides?: { [K in ServiceName]?: (platform: Platform) => Services[K] };
  /** Services this plugin calls; each must be provided by one of its dependencies (checked at boot). */
  uses?: readonly ServiceName[];
  /**
   * Whether the app loads it under this configuration (default: always). A plugin left out has
   * no routes, jobs or listeners at all: its paths answer 404 like any unknown path.
   */
  enabled?: (config: Config) => boolean;
}

export function definePlugin<const P extends PluginDefinition>(plugin: P): P {
  return plugin;
}

export type PluginErrorCode =
  | 'PLUGIN_INVALID_NAME'
  | 'PLUGIN_DUPLICATE'
  | 'PLUGIN_MISSING_DEPENDENCY'
  | 'PLUGIN_CYCLE'
  | 'PLUGIN_DUPLICATE_SERVICE'
  | 'PLUGIN_MISSING_SERVICE';

export class PluginError extends Error {
  override name = 'PluginError';
  readonly code: PluginErrorCode;
  readonly plugins: string[];

  constructor(code: PluginErrorCode, plugins: string[], message: string) {
    super(`${code}: ${message}`);
    this.code = code;
    this.plugins = plugins;
  }
}

/**
 * Checks the manifest and returns the plugins in load order: every plugin after its
 * dependencies, otherwise in manifest order. Throws a coded PluginError naming the plugins.
 */
export function loadOrder(plugins: readonly PluginDefinition[]): PluginDefinition[] {
  const byName = new Map<string, PluginDefinition>();
  for (const p of plugins) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(p.name)) {
      throw new PluginError('PLUGIN_INVALID_NAME', [p.name], `plugin name "${p.name}" is not kebab-case`);
    }
    if (byName.has(p.name)) throw new PluginError('PLUGIN_DUPLICATE', [p.name], `two plugins are named "${p.name}"`);
    byName.set(p.name, p);
  }
  for (const p of plugins) {
    for (const dep of p.dependencies ?? []) {
      if (!byName.has(dep)) {
        throw new PluginError('PLUGIN_MISSING_DEPENDENCY', [p.name, dep], `plugin "${p.name}" depends on "${dep}", which is not in the manifest`);
      }
    }
  }

  const ordered: PluginDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: PluginDefinition, path: string[]) => {
    if (state.get(p.name) === 'done') return;
    if (state.get(p.name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(p.name)), p.name];
      throw new PluginError('PLUGIN_CYCLE', cycle.slice(0, -1), `dependency cycle: ${cycle.join(' -> ')}`);
    }
    state.set(p.name, 'visiting');
    for (const dep of p.dependencies ?? []) visit(byName.get(dep)!, [...path, p.name]);
    state.set(p.name, 'done');
    ordered.push(p);
  };
  for (const p of plugins) visit(p, []);
  checkServices(byName);
  return ordered;
}

/** Each service has one provider, and a plugin uses only services its dependencies (direct or not) provide. */
function checkServices(byName: Map<string, PluginDefinition>) {
  const providerOf = new Map<ServiceName, string>();
  for (const p of byName.values()) {
    for (const service of Object.keys(p.provides ?? {}) as ServiceName[]) {
      const other = providerOf.get(service);
      if (other) throw new PluginError('PLUGIN_DUPLICATE_SERVICE', [other, p.name], `plugins "${other}" and "${p.name}" both provide "${service}"`);
      providerOf.set(service, p.name);
    }
  }
  const reachable = (p: PluginDefinition, seen = new Set<string>()): Set<string> => {
    for (const dep of p.dependencies ?? []) if (!seen.has(dep)) reachable(byName.get(dep)!, seen.add(dep));
    return seen;
  };
  for (const p of byName.values()) {
    for (const service of p.uses ?? []) {
      const provider = providerOf.get(service);
      if (!provider || !reachable(p).has(provider)) {
        throw new PluginError(
          'PLUGIN_MISSING_SERVICE',
          [p.name, provider ?? service],
          provider ? `plugin "${p.name}" uses "${service}" from "${provider}" but does not depend on it` : `plugin "${p.name}" uses "${service}", which no plugin provides`,
        );
      }
    }
  }
}
