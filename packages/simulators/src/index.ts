export type { HubSpotSimulator, HubSpotSimulatorOptions, HubSpotSimulatorStats } from './hubspot/server.js';
export { startHubSpotSimulator } from './hubspot/server.js';
export type { HubSpotWebhookTarget } from './hubspot/webhooks.js';
/** The app id the HubSpot simulator's API writes carry as `sourceId` in webhook events (`HUBSPOT_APP_ID`). */
export { simulatorAppId as hubSpotSimulatorAppId } from './hubspot/webhooks.js';
export type { FaultKind, FaultSettings } from './shared/faults.js';
export { faultKinds } from './shared/faults.js';
export { companyName, orgNumber, places } from './shared/norwegian-data.js';
export { seededRandom } from './shared/random.js';
export type { SimulatorStats, VismaNxtSimulator, VismaNxtSimulatorOptions } from './visma-nxt/server.js';
export { startVismaNxtSimulator } from './visma-nxt/server.js';
export type { AssociateRow } from './visma-nxt/store.js';
export type { WebhookTarget } from './visma-nxt/webhooks.js';
