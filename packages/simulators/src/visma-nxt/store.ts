/** One `Associate` row as the simulator keeps it (the columns of the schema's subset). */
export interface AssociateRow {
  associateNo: number;
  customerNo: number;
  supplierNo: number;
  name: string;
  shortName: string;
  companyNo: string;
  addressLine1: string;
  addressLine2: string;
  postCode: string;
  postalArea: string;
  countryNo: number;
  phone: string;
  mobilePhone: string;
  emailAddress: string;
  contactPersonForAssociateNo: number;
  createdTimestamp: string | null;
  changedTimestamp: string | null;
}

export type AssociateValues = Partial<Omit<AssociateRow, 'createdTimestamp' | 'changedTimestamp'>>;

const blankRow: Omit<AssociateRow, 'associateNo'> = {
  customerNo: 0,
  supplierNo: 0,
  name: '',
  shortName: '',
  companyNo: '',
  addressLine1: '',
  addressLine2: '',
  postCode: '',
  postalArea: '',
  countryNo: 0,
  phone: '',
  mobilePhone: '',
  emailAddress: '',
  contactPersonForAssociateNo: 0,
  createdTimestamp: null,
  changedTimestamp: null,
};

/** Column widths the simulator enforces (only `name` is confirmed as 80; see the mapping package's limits). */
export const columnLimits: Readonly<Record<string, number>> = {
  name: 80,
  shortName: 20,
  companyNo: 20,
  addressLine1: 80,
  addressLine2: 80,
  postCode: 12,
  postalArea: 40,
  phone: 20,
  mobilePhone: 20,
  emailAddress: 80,
};

export type StoreChange = { readonly event: 'INSERT' | 'UPDATE' | 'DELETE'; readonly associateNo: number };

/** The associates of one company, with number assignment and change timestamps. */
export class CompanyStore {
  readonly rows = new Map<number, AssociateRow>();
  constructor(private readonly clock: () => Date) {}

  /** Business NXT `DateTime` as the simulator renders it: UTC with 7 fraction digits (datetime2) and a `Z`. */
  timestamp(): string {
    return this.clock()
      .toISOString()
      .replace(/\.(\d{3})Z$/u, '.$10000Z');
  }

  // Kept as rows change, so numbering and the customer-number check cost nothing per row (large test data sets).
  private highestAssociateNo = 0;
  private highestCustomerNo = 10000;
  private readonly holders = new Map<number, Set<number>>();

  nextAssociateNo(): number {
    return this.highestAssociateNo + 1;
  }

  nextCustomerNo(): number {
    return this.highestCustomerNo + 1;
  }

  customerNoTaken(customerNo: number, except?: number): boolean {
    for (const holder of this.holders.get(customerNo) ?? []) if (holder !== except) return true;
    return false;
  }

  private track(row: AssociateRow): void {
    this.highestAssociateNo = Math.max(this.highestAssociateNo, row.associateNo);
    this.highestCustomerNo = Math.max(this.highestCustomerNo, row.customerNo);
    if (row.customerNo > 0)
      this.holders.set(row.customerNo, (this.holders.get(row.customerNo) ?? new Set()).add(row.associateNo));
  }

  private untrack(row: AssociateRow): void {
    this.holders.get(row.customerNo)?.delete(row.associateNo);
  }

  /** Inserts a row as it would come from an import (no timestamps: a "legacy" row) or from the API/a user. */
  insert(values: AssociateValues & { associateNo: number }, legacy = false): AssociateRow {
    const now = legacy ? null : this.timestamp();
    const row: AssociateRow = { ...blankRow, ...values, createdTimestamp: now, changedTimestamp: now };
    const replaced = this.rows.get(row.associateNo);
    if (replaced) this.untrack(replaced);
    this.rows.set(row.associateNo, row);
    this.track(row);
    return row;
  }

  update(associateNo: number, values: AssociateValues): AssociateRow | undefined {
    const row = this.rows.get(associateNo);
    if (row === undefined) return undefined;
    this.untrack(row);
    Object.assign(row, values, { associateNo, changedTimestamp: this.timestamp() });
    this.track(row);
    return row;
  }

  delete(associateNo: number): boolean {
    const row = this.rows.get(associateNo);
    if (row) this.untrack(row);
    return this.rows.delete(associateNo);
  }
}
