export type {
  ConflictPolicy,
  CustomerRelationRule,
  Direction,
  FieldRule,
  HubSpotPropertyNames,
  PolicyResult,
  SyncPolicy,
  SyncPolicyInput,
} from './config/policy.js';
export {
  conflictPolicies,
  defaultContactFieldRules,
  defaultCustomerFieldRules,
  defaultSyncPolicy,
  directions,
  parseSyncPolicy,
  syncPolicySchema,
} from './config/policy.js';
export { erpColumnLimits } from './erp-column-limits.js';
export type { FieldIssue, Normalized } from './issues.js';
export type {
  ContactMatcher,
  ContactMatcherInput,
  MatchableContact,
  MatchablePerson,
} from './match/contact-matcher.js';
export { createContactMatcher } from './match/contact-matcher.js';
export type {
  CustomerMatcher,
  CustomerMatcherInput,
  MatchableCompany,
  MatchableCustomer,
} from './match/customer-matcher.js';
export { createCustomerMatcher, customerCandidateKey } from './match/customer-matcher.js';
export type { Match } from './match/match.js';
export { companyNameKey, personNameKey } from './match/name-key.js';
export { compareKey } from './merge/compare-key.js';
export type { LinkedRecords } from './merge/field-times.js';
export { mayNeedFieldTimes, newestWinsProperties } from './merge/field-times.js';
export type { Fingerprint, Fingerprinter } from './merge/fingerprint.js';
export { createFingerprinter } from './merge/fingerprint.js';
export type { FieldDecision, FieldMergeInput, MergeReason } from './merge/merge-field.js';
export { mergeField } from './merge/merge-field.js';
export { createTimestampReader } from './merge/timestamps.js';
export type { CanonicalContact, ContactSyncField } from './model/contact.js';
export { canonicalContactSchema, contactSyncFields } from './model/contact.js';
export type { CanonicalCustomer, CustomerSyncField } from './model/customer.js';
export { canonicalCustomerSchema, customerSyncFields } from './model/customer.js';
export {
  countryDisplayName,
  normalizeCountryName,
  normalizeVismaCountryNo,
  vismaCountryNoFor,
} from './normalize/country.js';
export { normalizeEmail } from './normalize/email.js';
export { normalizeOrgNumber } from './normalize/org-number.js';
export { joinPersonName, normalizePersonName, splitPersonName } from './normalize/person-name.js';
export { normalizePhone } from './normalize/phone.js';
export { cityKey, normalizeCity, normalizePostalCode } from './normalize/postal.js';
export { normalizeText } from './normalize/text.js';
export type { LinkState, RecordPair } from './plan/context.js';
export { mergedActorNumbers } from './plan/link-decisions.js';
export { recordFingerprintField } from './plan/merge-pair.js';
export type {
  BaselineOperation,
  Candidate,
  CandidatesOperation,
  ConflictOperation,
  CreateCrmOperation,
  CreateErpOperation,
  CustomerRef,
  Entity,
  FieldChange,
  FingerprintUpdate,
  LinkOperation,
  LinkReason,
  OperationKind,
  OrphanOperation,
  RelinkOperation,
  RestoreOperation,
  SkipOperation,
  SkipReason,
  SyncOperation,
  SyncPlan,
  System,
  UpdateCrmOperation,
  UpdateErpOperation,
  WriteBackOperation,
} from './plan/operations.js';
export { writeKinds } from './plan/operations.js';
export type { PlanInput } from './plan/plan.js';
export { planSync } from './plan/plan.js';
export type { AssociateInput, AssociateValues } from './sources/associate.js';
export {
  associateToContact,
  associateToCustomer,
  contactToAssociateValues,
  customerToAssociateValues,
} from './sources/associate.js';
export type { Mapped } from './sources/collect.js';
export type { HubSpotContactInput, HubSpotObjectInput, HubSpotPropertyChange } from './sources/hubspot.js';
export {
  companyPropertyNames,
  contactCompanyId,
  contactToHubSpotProperties,
  customerToHubSpotProperties,
  erpNumbersToHubSpotProperties,
  hubSpotCompanyToCustomer,
  hubSpotContactToContact,
  hubSpotFieldProperties,
} from './sources/hubspot.js';
