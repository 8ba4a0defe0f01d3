import { z } from 'zod';

/**
 * A customer as both systems should agree on it (docs/DESIGN.md §3). Values are normalized; `null` means empty.
 * `erpCustomerNo` and `erpActorNo` are owned by Business NXT and only ever flow to HubSpot.
 */
export const canonicalCustomerSchema = z.object({
  orgNumber: z
    .string()
    .regex(/^\d{9}$/u, 'a 9-digit Norwegian organization number')
    .nullable(),
  name: z.string().min(1).nullable(),
  addressLine1: z.string().min(1).nullable(),
  addressLine2: z.string().min(1).nullable(),
  postalCode: z.string().min(1).nullable(),
  city: z.string().min(1).nullable(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/u, 'an ISO 3166-1 alpha-2 code')
    .nullable(),
  phone: z
    .string()
    .regex(/^\+\d{4,15}(;ext=\d+)?$/u, 'an E.164 phone number')
    .nullable(),
  email: z.string().email().nullable(),
  erpCustomerNo: z.number().int().positive().nullable(),
  erpActorNo: z.number().int().positive().nullable(),
});

export type CanonicalCustomer = z.infer<typeof canonicalCustomerSchema>;

/** The customer fields that sync by policy (everything but the ERP-owned numbers). */
export const customerSyncFields = [
  'orgNumber',
  'name',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'phone',
  'email',
] as const satisfies ReadonlyArray<keyof CanonicalCustomer>;

export type CustomerSyncField = (typeof customerSyncFields)[number];
