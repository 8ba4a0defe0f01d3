import { z } from 'zod';
import { type ContactSyncField, contactSyncFields } from '../model/contact.js';
import { type CustomerSyncField, customerSyncFields } from '../model/customer.js';
import { customerColumnOf } from '../sources/associate.js';

export const directions = ['both', 'crm-to-erp', 'erp-to-crm', 'none'] as const;
export const conflictPolicies = ['erp-wins', 'crm-wins', 'newest-wins', 'manual'] as const;

export type Direction = (typeof directions)[number];
export type ConflictPolicy = (typeof conflictPolicies)[number];

const fieldRuleSchema = z
  .object({
    /** Which way values may flow. */
    direction: z.enum(directions),
    /** Who wins when both sides changed the field differently since the last sync. */
    policy: z.enum(conflictPolicies),
    /** Whether clearing the field on one side clears it on the other; by default a value is never lost. */
    clearOnEmpty: z.boolean(),
  })
  .strict();

export type FieldRule = z.infer<typeof fieldRuleSchema>;

const legal: FieldRule = { direction: 'both', policy: 'erp-wins', clearOnEmpty: false };
const reachability: FieldRule = { direction: 'both', policy: 'newest-wins', clearOnEmpty: false };

/**
 * docs/DESIGN.md §3: customer legal fields (name, org number, address) `erp-wins`; reachability fields
 * `newest-wins`.
 */
export const defaultCustomerFieldRules: Readonly<Record<CustomerSyncField, FieldRule>> = {
  orgNumber: legal,
  name: legal,
  addressLine1: legal,
  addressLine2: legal,
  postalCode: legal,
  city: legal,
  country: legal,
  phone: reachability,
  email: reachability,
};

export const defaultContactFieldRules: Readonly<Record<ContactSyncField, FieldRule>> = {
  name: legal,
  email: reachability,
  phone: reachability,
  mobile: reachability,
};

const fieldRuleOverrideSchema = fieldRuleSchema.partial().strict();

/** How a tie is settled for the contact–customer relation: a side wins, or a person decides. */
export const relationPolicies = ['erp-wins', 'crm-wins', 'manual'] as const;

/**
 * Which customer a contact belongs to: the HubSpot contact's primary company (association type 1) ⇄ the Business
 * NXT contact person's customer ("Kontaktpers. for"). A move on one side since the last sync follows on the other
 * as `direction` allows (`none`: the relation is not synced, a difference is left alone). When both sides moved
 * differently, or the pair was never synced together with its customer (no stored base, e.g. links made before
 * this rule existed), `policy` decides; the default `manual` never guesses: the contact is held, naming both
 * customers, until a person moves it in one system. A move to a company or customer that is not synced is always
 * held (never followed, never reverted). See docs/ARCHITECTURE.md, "Contacts and their customer".
 */
const customerRelationSchema = z
  .object({
    direction: z.enum(directions).default('both'),
    policy: z.enum(relationPolicies).default('manual'),
  })
  .strict();

export type CustomerRelationRule = z.output<typeof customerRelationSchema>;

function fieldRulesSchema<Field extends string>(
  fields: readonly [Field, ...Field[]],
  defaults: Readonly<Record<Field, FieldRule>>,
) {
  return z
    .partialRecord(z.enum(fields), fieldRuleOverrideSchema)
    .default({})
    .transform((given) => {
      const rules: Record<Field, FieldRule> = { ...defaults };
      for (const field of fields) {
        const override = given[field];
        const base = defaults[field];
        if (override === undefined) continue;
        rules[field] = {
          direction: override.direction ?? base.direction,
          policy: override.policy ?? base.policy,
          clearOnEmpty: override.clearOnEmpty ?? base.clearOnEmpty,
        };
      }
      return rules;
    });
}

const propertyName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/u, 'a HubSpot internal property name (lower case, digits and _)');

/** A value a Business NXT column default may have: text, a number or a flag (as the column's type wants). */
export type CreateDefaultValue = string | number | boolean;

/**
 * Business NXT `Associate` columns the sync owns, never a default: the keys and numbers Business NXT or the sync
 * assigns, the contact person's customer, and the utility columns of every table
 * (https://docs.vismasoftware.no/businessnxtapi/schema/mutations/inserts).
 */
const ownedColumns = new Set([
  'associateNo',
  'customerNo',
  'supplierNo',
  'contactPersonForAssociateNo',
  'createdTimestamp',
  'changedTimestamp',
  'createdByUser',
  'changedByUser',
]);

const graphQLName = /^[_A-Za-z][_0-9A-Za-z]*$/u;

/**
 * Column values for new Business NXT customers (`customers.createDefaults`): `{ "<Associate column>": value }`,
 * by the column's GraphQL name, applied to the `associate_create` values of customers the sync creates, never to
 * updates. A column the sync maps (a synced field) keeps the mapped value: it cannot have a default; nor can the
 * columns the sync owns. `crm-sync doctor` checks each column exists on `Associate_Input`.
 */
const createDefaultsSchema = z
  .record(z.string(), z.unknown())
  .default({})
  .superRefine((given, context) => {
    for (const [column, value] of Object.entries(given)) {
      const issue = (message: string) => context.addIssue({ code: 'custom', path: [column], message });
      if (!graphQLName.test(column))
        issue(`"${column}" is not a Business NXT column name (a GraphQL name: letters, digits, _)`);
      else if (ownedColumns.has(column))
        issue(`${column} is assigned by Business NXT or the sync and cannot have a default`);
      else if (customerColumnOf(column) !== undefined)
        issue(
          `${column} is written by the sync (field ${customerColumnOf(column)}): set it in HubSpot, not as a default`,
        );
      else if (
        !(
          typeof value === 'string' ||
          typeof value === 'boolean' ||
          (typeof value === 'number' && Number.isFinite(value))
        )
      )
        issue(
          `${column} must be a string, a number or true/false, got ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))}`,
        );
    }
  })
  .transform((given) => given as Readonly<Record<string, CreateDefaultValue>>);

export const syncPolicySchema = z
  .object({
    customers: z
      .object({
        fields: fieldRulesSchema(customerSyncFields, defaultCustomerFieldRules),
        /** Which HubSpot companies become Business NXT customers (besides those already linked). */
        createInErp: z
          .object({ property: propertyName, values: z.array(z.string()).min(1) })
          .strict()
          .or(z.enum(['all', 'none']))
          .default({ property: 'lifecyclestage', values: ['customer'] }),
        /** Every Business NXT customer appears in HubSpot unless this is false. */
        createInCrm: z.boolean().default(true),
        /** Business NXT column values for the customers the sync creates there (create only, never update). */
        createDefaults: createDefaultsSchema,
      })
      .strict()
      .prefault({}),
    contacts: z
      .object({
        fields: fieldRulesSchema(contactSyncFields, defaultContactFieldRules),
        /** The contact's customer (HubSpot primary company ⇄ Business NXT contact person's customer). */
        customer: customerRelationSchema.prefault({}),
        createInErp: z.boolean().default(true),
        createInCrm: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    matching: z
      .object({
        /** Link name + postal code (customers) or name (contacts) candidates without asking. Off by default. */
        autoLinkCandidates: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    hubspotProperties: z
      .object({
        erpCustomerNo: propertyName.default('visma_customer_no'),
        erpActorNo: propertyName.default('visma_actor_no'),
        orgNumber: propertyName.default('org_number'),
        companyEmail: propertyName.default('company_email'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** The validated policy, every default filled in. */
export type SyncPolicy = z.output<typeof syncPolicySchema>;
/** What a configuration file may say: every key optional. */
export type SyncPolicyInput = z.input<typeof syncPolicySchema>;
export type HubSpotPropertyNames = SyncPolicy['hubspotProperties'];

export type PolicyResult = { ok: true; policy: SyncPolicy } | { ok: false; errors: string[] };

/** Validates a policy (e.g. the JSON config file); each error names the key path and what is expected. */
export function parseSyncPolicy(input: unknown): PolicyResult {
  const parsed = syncPolicySchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, policy: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      return `${path}: ${issue.message}`;
    }),
  };
}

/** The policy with every default: what an installation without a config file runs with. */
export function defaultSyncPolicy(): SyncPolicy {
  const result = parseSyncPolicy({});
  if (!result.ok) throw new Error(`default policy is invalid: ${result.errors.join('; ')}`);
  return result.policy;
}
