export type { AccountDetails } from './account.js';
export type { HubSpotApiVersion } from './api-version.js';
export type { AssociatedRecord, PrimaryCompanyMove } from './associations.js';
export { associationTypes } from './associations.js';
export type { HubSpotClient, HubSpotClientSettings, HubSpotObjectsApi } from './client.js';
export { createHubSpotClient } from './client.js';
export type { HubSpotError, HubSpotErrorKind, ValueRefusal } from './errors.js';
export { isHubSpotError } from './errors.js';
export type {
  BatchReadOptions,
  BatchResult,
  InlineAssociation,
  ObjectPage,
  ObjectType,
  Properties,
} from './objects/objects.js';
export { mergedObjectIds } from './objects/objects.js';
export type { HubSpotObject } from './objects/schemas.js';
export type { ChangedSinceOptions } from './objects/search.js';
export { modifiedDateProperty } from './objects/search.js';
export type { EnsureReport, PropertyDefinition, PropertySpec } from './properties.js';
export { syncPropertyGroup, syncPropertySpecs } from './properties.js';
export type { HubSpotRequestInfo, HubSpotRetryPolicy } from './transport/http-transport.js';
export type { HubSpotWebhookEvent, WebhookEventType } from './webhooks/events.js';
export { parseWebhookEvents } from './webhooks/events.js';
export type { SignatureCheck, SignatureV3Input } from './webhooks/signature.js';
export { verifySignatureV3 } from './webhooks/signature.js';
