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

  nextAssociateNo(): number {
    let highest = 0;
    for (const no of this.rows.keys()) highest = Math.max(highest, no);
    return highest + 1;
  }

  nextCustomerNo(): number {
    let highest = 10000;
    for (const row of this.rows.values()) highest = Math.max(highest, row.customerNo);
    return highest + 1;
  }

  customerNoTaken(customerNo: number, except?: number): boolean {
    for (const row of this.rows.values())
      if (row.customerNo === customerNo && row.associateNo !== except) return true;
    return false;
  }

  /** Inserts a row as it would come from an import (no timestamps: a "legacy" row) or from the API/a user. */
  insert(values: AssociateValues & { associateNo: number }, legacy = false): AssociateRow {
    const now = legacy ? null : this.timestamp();
    const row: AssociateRow = { ...blankRow, ...values, createdTimestamp: now, changedTimestamp: now };
    this.rows.set(row.associateNo, row);
    return row;
  }

  update(associateNo: number, values: AssociateValues): AssociateRow | undefined {
    const row = this.rows.get(associateNo);
    if (row === undefined) return undefined;
    Object.assign(row, values, { associateNo, changedTimestamp: this.timestamp() });
    return row;
  }

  delete(associateNo: number): boolean {
    return this.rows.delete(associateNo);
  }
}
