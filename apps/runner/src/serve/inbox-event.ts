/** The inbox's event, as the webhook receivers produce it (defined with the state store that keeps it). */
export type { InboxEvent } from '../state/state-store.js';
