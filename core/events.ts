import type { Logger } from './logger.ts';
import { errorFields } from './logger.ts';

/**
 * Domain events by name. Plugins add theirs by declaration merging:
 *   declare module '../../core/events.ts' { interface DomainEvents { 'expense.created': {...} } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEvents {}

export type EventName = keyof DomainEvents;
export type EventListener<K extends EventName> = (payload: DomainEvents[K]) => Promise<void> | void;

export interface EventBus {
  on<K extends EventName>(name: K, listener: EventListener<K>): void;
  /**
   * Runs every listener of `name`, called after the write has committed. A failing listener is
   * logged and does not fail the request that emitted the event: the write has already landed.
   */
  emit<K extends EventName>(name: K, payload: DomainEvents[K]): Promise<void>;
}

export function createEventBus(logger: Logger): EventBus {
  const listeners = new Map<string, EventListener<never>[]>();
  return {
    on(name, listener) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener as EventListener<never>]);
    },
    async emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          await (listener as EventListener<typeof name>)(payload);
        } catch (err) {
          logger.error('event listener failed', { event: name, ...errorFields(err) });
        }
      }
    },
  };
}
