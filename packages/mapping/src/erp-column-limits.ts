/**
 * Maximum lengths of the Business NXT `Associate` columns the sync writes. Values longer than these are
 * reported as errors, never cut. Only `name` (Text 80) is confirmed (from the column comments of the generated client
 * in https://github.com/omelhus/VBNXT.Console); the others are UNCONFIRMED estimates from Visma Business and are the
 * one place to correct.
 */
export const erpColumnLimits = {
  name: 80,
  companyNo: 20,
  addressLine1: 80,
  addressLine2: 80,
  postCode: 12,
  postalArea: 40,
  phone: 20,
  mobilePhone: 20,
  emailAddress: 80,
} as const satisfies Record<string, number>;

export type LimitedErpColumn = keyof typeof erpColumnLimits;
