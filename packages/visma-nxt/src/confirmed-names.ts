/**
 * `Associate` columns public sources confirm, as this client reads them: `associateNo`, `customerNo`, `name` in
 * Visma's own sample (https://github.com/Visma-Software-AS-Product/BusinessNXT_API_Examples, createassociate.py);
 * `companyNo`, `addressLine1`, `postCode`, `postalArea` in a public client's query
 * (https://github.com/omelhus/VBNXT.Console, src/VBNXT.Client/Queries/GetCustomers.graphql); `createdTimestamp` and
 * `changedTimestamp` on every table
 * (https://docs.vismasoftware.no/businessnxtapi/release-notes/2024-10-09-added-createdtimestamp-and-changedtimestamp-on-all-tables/).
 * `addressLine2`, `phone` and `emailAddress` were taken as confirmed from public queries earlier and were not found
 * again in the sources above; like every name here, `checkSchema()` (`crm-sync doctor`) checks them on the live
 * schema, so a wrong one shows up there.
 */
export const confirmedAssociateFields = [
  'associateNo',
  'customerNo',
  'name',
  'companyNo',
  'addressLine1',
  'addressLine2',
  'postCode',
  'postalArea',
  'phone',
  'emailAddress',
  'createdTimestamp',
  'changedTimestamp',
] as const;
