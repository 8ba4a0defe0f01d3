import { z } from 'zod';

/**
 * A contact person as both systems should agree on it (docs/DESIGN.md §3). `name` is the full name: HubSpot's first
 * and last name joined, split back deterministically. `erpActorNo` (the person's own associate number) and
 * `customerActorNo` (the associate number of the customer they belong to) are owned by Business NXT.
 */
export const canonicalContactSchema = z.object({
  name: z.string().min(1).nullable(),
  email: z.string().email().nullable(),
  phone: z
    .string()
    .regex(/^\+\d{4,15}(;ext=\d+)?$/u, 'an E.164 phone number')
    .nullable(),
  mobile: z
    .string()
    .regex(/^\+\d{4,15}(;ext=\d+)?$/u, 'an E.164 phone number')
    .nullable(),
  erpActorNo: z.number().int().positive().nullable(),
  customerActorNo: z.number().int().positive().nullable(),
});

export type CanonicalContact = z.infer<typeof canonicalContactSchema>;

/** The contact fields that sync by policy. */
export const contactSyncFields = ['name', 'email', 'phone', 'mobile'] as const satisfies ReadonlyArray<
  keyof CanonicalContact
>;

export type ContactSyncField = (typeof contactSyncFields)[number];
