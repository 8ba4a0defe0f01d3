import type { StateStore } from '../state/state-store.js';
import type { ConsoleService } from './console-service.js';

/** What every console page's routes read: the state, the service when there is one, the clock. */
export interface PageOptions {
  readonly store: StateStore;
  readonly service?: ConsoleService | undefined;
  readonly now: () => Date;
}
