export type { Associate, AssociateValues } from './associates/associate.js';
export type { AssociatePage, PagesOptions } from './associates/read.js';
export type { AssociateUpdate, CustomerNumbering, RowResult } from './associates/write.js';
export type { VismaNxtClientSettings } from './client.js';
export { createVismaNxtClient } from './client.js';
export type {
  AssociateLookup,
  VismaNxtAssociatesApi,
  VismaNxtClient,
  VismaNxtContactPersonsApi,
  VismaNxtCustomersApi,
} from './client-api.js';
export type { AvailableCompany } from './companies.js';
export type { DateTimeCodec } from './datetime.js';
export { createDateTimeCodec } from './datetime.js';
export type { GraphQLErrorEntry, VismaNxtError, VismaNxtErrorKind } from './errors.js';
export { isVismaNxtError } from './errors.js';
export type { SchemaCheck, SchemaCheckOptions } from './schema-check.js';
export type { VismaNxtRequestInfo } from './transport/graphql-transport.js';
export type { VismaNxtRetryPolicy } from './transport/retry-policy.js';
export type { FieldNames } from './unconfirmed.js';
export {
  customerDefaultColumns,
  defaultFieldNames,
  defaultTimeZone,
  isServiceUser,
  toDateTimeFilterValue,
} from './unconfirmed.js';
export type { TableChange } from './webhooks/table-change.js';
export { parseTableChange } from './webhooks/table-change.js';
export { signatureHeader, verifyWebhook } from './webhooks/verify.js';
