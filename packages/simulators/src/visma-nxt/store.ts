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
  addressLine3: string;
  addressLine4: string;
  languageNo: number;
  currencyNo: number;
  /** Customer defaults (UNCONFIRMED names, see the client's unconfirmed.ts `customerDefaultColumns`). */
  customerPriceGroup1: number;
  paymentTerms: number;
  taxAndAccountingGroup: number;
  externalId: string;
  /** Who wrote the row: an API write's application (client id), or an ERP user name. */
  createdByUser: string;
  changedByUser: string;
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
  addressLine3: '',
  addressLine4: '',
  languageNo: 0,
  currencyNo: 0,
  customerPriceGroup1: 0,
  paymentTerms: 0,
  taxAndAccountingGroup: 0,
  externalId: '',
  createdByUser: '',
  changedByUser: '',
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
  addressLine3: 80,
  addressLine4: 80,
  externalId: 80,
  postCode: 12,
  postalArea: 40,
  phone: 20,
  mobilePhone: 20,
  emailAddress: 80,
};

export type StoreChange = { readonly event: 'INSERT' | 'UPDATE' | 'DELETE'; readonly associateNo: number };

/**
 * Writes instants as Business NXT `DateTime` values: T-SQL `datetime2`, `yyyy-MM-dd HH:mm:ss[.nnnnnnn]` in the
 * server's local time with no zone (https://docs.vismasoftware.no/businessnxtapi/apireference/schema/datetime/),
 * here always with all 7 fraction digits. `timeZone` is an IANA name; daylight saving comes from `Intl`.
 */
export function createDateTimeWriter(timeZone: string): (instant: Date) => string {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (instant) => {
    const parts: Record<string, string> = {};
    for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value;
    const fraction = String(instant.getUTCMilliseconds()).padStart(3, '0');
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${fraction}0000`;
  };
}

/** The associates of one company, with number assignment and change timestamps. */
export class CompanyStore {
  readonly rows = new Map<number, AssociateRow>();
  private readonly write: (instant: Date) => string;
  /** `timeZone`: the server's zone, whose local time its `DateTime` values are in (default Europe/Oslo). */
  constructor(
    private readonly clock: () => Date,
    readonly timeZone = 'Europe/Oslo',
  ) {
    this.write = createDateTimeWriter(timeZone);
  }

  /** Business NXT `DateTime` for the clock's now: local wall time in `timeZone`, no offset, 7 fraction digits. */
  timestamp(): string {
    return this.write(this.clock());
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
