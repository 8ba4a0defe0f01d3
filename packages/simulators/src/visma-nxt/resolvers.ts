import { GraphQLError, type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
import { candidateRows, matches, type PageArgs, paginate, sortRows } from './query.js';
import {
  type AssociateRow,
  type AssociateValues,
  type CompanyStore,
  columnLimits,
  type StoreChange,
} from './store.js';

type Filter = Readonly<Record<string, unknown>>;
type Order = ReadonlyArray<Record<string, 'ASC' | 'DESC'>>;

/** Per request: what the resolvers add to the response beside `data`, and what changed (for webhooks). */
export interface RequestContext {
  readonly rowErrors: GraphQLError[];
  readonly warnings: Array<{ message: string }>;
  readonly changes: Array<StoreChange & { companyNo: number }>;
  /** Who writes: the application's client id (the token's client), stored in `createdByUser`/`changedByUser`. */
  readonly user: string;
}

export interface ResolverOptions {
  readonly companies: ReadonlyMap<number, { name: string; store: CompanyStore }>;
  readonly customerNo: number;
  readonly maxPageSize: number;
}

function rowError(
  info: GraphQLResolveInfo,
  index: number,
  message: string,
  status: number,
  statusName: string,
) {
  return new GraphQLError(message, {
    path: [...responsePathAsArray(info.path), `values/${index}`],
    extensions: { data: { status, status_name: statusName } },
  });
}

/** Checks one row's values against the column widths; the message names the field, as Business NXT's do. */
function tooLong(values: AssociateValues): string | null {
  for (const [field, limit] of Object.entries(columnLimits)) {
    const value = (values as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.length > limit) {
      return `The value for field '${field}' is too long: ${value.length} characters, the column holds ${limit}.`;
    }
  }
  return null;
}

/** The given columns; `null` never reaches a row (an insert's `null` is a suggestion, handled before). */
function clean(values: Record<string, unknown>): AssociateValues {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== null),
  ) as AssociateValues;
}

/** The Int columns of `Associate_Input` whose suggestion is the next number of a series. */
const numbered = ['associateNo', 'customerNo', 'supplierNo'] as const;
const intColumns = new Set([
  'countryNo',
  'languageNo',
  'currencyNo',
  'customerPriceGroup1',
  'paymentTerms',
  'taxAndAccountingGroup',
  'contactPersonForAssociateNo',
]);

/**
 * The columns of one insert row to suggest: those flagged in `suggest` and left out (or `null`), and any numbered
 * column given as `null` (the deprecated null-to-suggest style,
 * https://docs.vismasoftware.no/businessnxtapi/endoflife/deprecatedfeatures/). Other Int columns given as `null`
 * get the column's default 0, never a stored null.
 */
function suggestedColumns(
  raw: Record<string, unknown>,
  suggest: Readonly<Record<string, boolean | null>> | null | undefined,
): { columns: Set<string>; deprecatedNull: boolean } {
  const columns = new Set<string>();
  let deprecatedNull = false;
  for (const column of numbered) {
    if (raw[column] === null) {
      columns.add(column);
      deprecatedNull = true;
    } else if (suggest?.[column] === true && raw[column] === undefined) columns.add(column);
  }
  for (const column of intColumns) if (raw[column] === null) deprecatedNull = true;
  return { columns, deprecatedNull };
}

function nextSupplierNo(store: CompanyStore): number {
  let highest = 50000;
  for (const row of store.rows.values()) highest = Math.max(highest, row.supplierNo ?? 0);
  return highest + 1;
}

function companyOf(options: ResolverOptions, no: number | null | undefined) {
  if (no === null || no === undefined)
    throw new GraphQLError('A company number (useCompany(no:)) is required.', {
      extensions: { code: 'COMPANY_REQUIRED' },
    });
  const company = options.companies.get(no);
  if (company === undefined) {
    throw new GraphQLError(`Access denied: company ${no} is not available for this application user.`, {
      extensions: { code: 'COMPANY_ACCESS_DENIED' },
    });
  }
  return company.store;
}

export function createRootValue(options: ResolverOptions) {
  const associateConnection =
    (store: CompanyStore) =>
    (
      args: PageArgs & {
        filter?: Filter | null;
        orderBy?: Order | null;
        sortOrder?: Record<string, 'ASC' | 'DESC'> | null;
      },
      context: RequestContext,
    ) => {
      if (args.sortOrder) {
        context.warnings.push({
          message:
            "The argument 'sortOrder' is deprecated and will be removed after 2027-12-31. Use 'orderBy'.",
        });
      }
      const order = args.orderBy ?? (args.sortOrder ? [args.sortOrder] : []);
      const rows = sortRows(
        candidateRows(store.rows, args.filter).filter((row) => matches(row, args.filter)),
        order,
      );
      return paginate(rows, args, options.maxPageSize);
    };

  const mutations = (store: CompanyStore, companyNo: number) => ({
    associate_create(
      args: {
        values: Record<string, unknown>[];
        insertAtRow?: Filter | null;
        insertPosition?: 'BEFORE' | 'AFTER' | null;
        suggest?: Record<string, boolean | null> | null;
      },
      context: RequestContext,
      info: GraphQLResolveInfo,
    ) {
      // insertAtRow/insertPosition are accepted; the simulator keeps associates in associateNo order regardless.
      const created: AssociateRow[] = [];
      let warned = false;
      args.values.forEach((raw, index) => {
        const values = clean(raw);
        const problem = tooLong(values);
        if (problem !== null) {
          context.rowErrors.push(rowError(info, index, problem, 2, 'ValidationFailed'));
          return;
        }
        const { columns, deprecatedNull } = suggestedColumns(raw, args.suggest);
        if (deprecatedNull && !warned) {
          warned = true;
          context.warnings.push({
            message:
              "Suggesting values with null is deprecated and will be removed after 2027-12-31. Use the 'suggest' argument.",
          });
        }
        const associateNo = columns.has('associateNo')
          ? store.nextAssociateNo()
          : (values.associateNo ?? store.nextAssociateNo());
        const customerNo = columns.has('customerNo') ? store.nextCustomerNo() : (values.customerNo ?? 0);
        const supplierNo = columns.has('supplierNo') ? nextSupplierNo(store) : (values.supplierNo ?? 0);
        if (store.rows.has(associateNo) || (customerNo > 0 && store.customerNoTaken(customerNo))) {
          context.rowErrors.push(
            rowError(
              info,
              index,
              'A record with the same primary key already exists.',
              3,
              'PrimaryKeyAssignmentFailed',
            ),
          );
          return;
        }
        const row = store.insert({
          ...values,
          associateNo,
          customerNo,
          supplierNo,
          createdByUser: context.user,
          changedByUser: context.user,
        });
        created.push(row);
        context.changes.push({ event: 'INSERT', associateNo, companyNo });
      });
      return { affectedRows: created.length, items: created.length > 0 ? created : null };
    },

    associate_update(
      args: {
        filter?: Filter | null;
        value?: Record<string, unknown> | null;
        filters?: Filter[] | null;
        values?: Record<string, unknown>[] | null;
      },
      context: RequestContext,
      info: GraphQLResolveInfo,
    ) {
      const pairs: Array<[Filter | null, Record<string, unknown>]> = args.filters
        ? args.filters.map((filter, index) => [filter, args.values?.[index] ?? {}])
        : [[args.filter ?? null, args.value ?? {}]];
      const updated: AssociateRow[] = [];
      pairs.forEach(([filter, raw], index) => {
        const values = clean(raw);
        if (Object.keys(values).length === 0) {
          context.warnings.push({ message: `Update ${index} has no values; nothing was changed.` });
          return;
        }
        if (filter === null)
          context.warnings.push({
            message: 'An update without a filter changes every row; this will become an error.',
          });
        const problem = tooLong(values);
        if (problem !== null) {
          context.rowErrors.push(rowError(info, index, problem, 2, 'ValidationFailed'));
          return;
        }
        for (const row of candidateRows(store.rows, filter).filter((candidate) =>
          matches(candidate, filter),
        )) {
          if (
            values.customerNo &&
            values.customerNo > 0 &&
            store.customerNoTaken(values.customerNo, row.associateNo)
          ) {
            context.rowErrors.push(
              rowError(
                info,
                index,
                'A record with the same primary key already exists.',
                3,
                'PrimaryKeyAssignmentFailed',
              ),
            );
            continue;
          }
          const { associateNo: _ignored, ...changes } = values;
          const after = store.update(row.associateNo, { ...changes, changedByUser: context.user });
          if (after) {
            updated.push(after);
            context.changes.push({ event: 'UPDATE', associateNo: row.associateNo, companyNo });
          }
        }
      });
      return { affectedRows: updated.length, items: updated };
    },

    associate_delete(args: { filter?: Filter | null }, context: RequestContext) {
      const doomed = candidateRows(store.rows, args.filter).filter((row) => matches(row, args.filter));
      for (const row of doomed) {
        store.delete(row.associateNo);
        context.changes.push({ event: 'DELETE', associateNo: row.associateNo, companyNo });
      }
      return { affectedRows: doomed.length, items: null };
    },
  });

  const systemCompanies = () =>
    [...options.companies.entries()].map(([no, company]) => ({
      companyNo: no,
      name: company.name,
      vismaNetCompanyId: no,
      vismaNetCustomerId: options.customerNo,
      organizationNo: null,
    }));

  /** `availableCompanies`/`availableCustomers`: no pageInfo; `customerNo` narrows to one Visma.net customer. */
  const available = <T extends { vismaNetCustomerId: number }>(
    items: T[],
    args: {
      customerNo?: number | null;
      first?: number | null;
      last?: number | null;
      orderBy?: Order | null;
      sortOrder?: Record<string, 'ASC' | 'DESC'> | null;
    },
    context: RequestContext,
  ) => {
    if (args.sortOrder)
      context.warnings.push({
        message:
          "The argument 'sortOrder' is deprecated and will be removed after 2027-12-31. Use 'orderBy'.",
      });
    const order = args.orderBy ?? (args.sortOrder ? [args.sortOrder] : []);
    const customerNo = args.customerNo;
    let rows = sortRows(
      items.filter(
        (item) => customerNo === null || customerNo === undefined || item.vismaNetCustomerId === customerNo,
      ) as unknown as AssociateRow[],
      order,
    ) as unknown as T[];
    const totalCount = rows.length;
    if (typeof args.first === 'number') rows = rows.slice(0, Math.max(0, args.first));
    if (typeof args.last === 'number') rows = rows.slice(Math.max(0, rows.length - args.last));
    return { totalCount, items: rows };
  };

  const table =
    <T>(rows: readonly T[]) =>
    (args: PageArgs & { filter?: Filter | null; orderBy?: Order | null }) =>
      paginate(
        sortRows(
          (rows as unknown as AssociateRow[]).filter((row) => matches(row, args.filter)),
          args.orderBy ?? [],
        ),
        args,
        options.maxPageSize,
      );

  return {
    useCompany: ({ no }: { no: number | null }) => ({
      associate: associateConnection(companyOf(options, no)),
      generalLedgerAccount: table(generalLedgerAccounts),
      taxCode: table(taxCodes),
    }),
    useCustomer: ({ no }: { no: number | null }) => ({
      customerNo: no,
      company: (args: PageArgs & { orderBy?: Order | null }) =>
        no === options.customerNo ? table(systemCompanies())(args) : table([])(args),
    }),
    availableCompanies: (args: Parameters<typeof available>[1], context: RequestContext) =>
      available(
        systemCompanies().map(({ companyNo: _no, ...company }) => company),
        args,
        context,
      ),
    availableCustomers: (args: Parameters<typeof available>[1], context: RequestContext) =>
      available([{ name: 'Port-Service Øst AS', vismaNetCustomerId: options.customerNo }], args, context),
    mutationUseCompany: ({ no }: { no: number | null }) => mutations(companyOf(options, no), no as number),
  };
}

/** A few accounts of the Norwegian standard chart (NS 4102), enough for the documented first queries. */
const generalLedgerAccounts = [
  { accountNo: 1000, name: 'Forskning og utvikling' },
  { accountNo: 1020, name: 'Konsesjoner' },
  { accountNo: 1500, name: 'Kundefordringer' },
  { accountNo: 1920, name: 'Bankinnskudd' },
  { accountNo: 2400, name: 'Leverandørgjeld' },
  { accountNo: 3000, name: 'Salgsinntekt, avgiftspliktig' },
];

const taxCodes = [
  { taxCode: 0, description: 'Ingen mva-behandling' },
  { taxCode: 1, description: 'Inngående mva, høy sats' },
  { taxCode: 3, description: 'Utgående mva, høy sats' },
];
