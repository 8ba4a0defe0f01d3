export type { FaultKind, FaultSettings } from './shared/faults.js';
export { faultKinds } from './shared/faults.js';
export { companyName, orgNumber, places } from './shared/norwegian-data.js';
export { seededRandom } from './shared/random.js';
export type { SimulatorStats, VismaNxtSimulator, VismaNxtSimulatorOptions } from './visma-nxt/server.js';
export { startVismaNxtSimulator } from './visma-nxt/server.js';
export type { AssociateRow } from './visma-nxt/store.js';
export type { WebhookTarget } from './visma-nxt/webhooks.js';
