import { GraphQLError, type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
import { matches, type PageArgs, paginate, sortRows } from './query.js';
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

function clean(values: Record<string, unknown>): AssociateValues {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as AssociateValues;
}

function companyOf(options: ResolverOptions, no: number) {
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
        [...store.rows.values()].filter((row) => matches(row, args.filter)),
        order,
      );
      return paginate(rows, args, options.maxPageSize);
    };

  const mutations = (store: CompanyStore, companyNo: number) => ({
    associate_create(
      args: { values: Record<string, unknown>[] },
      context: RequestContext,
      info: GraphQLResolveInfo,
    ) {
      const created: AssociateRow[] = [];
      args.values.forEach((raw, index) => {
        const values = clean(raw);
        const problem = tooLong(values);
        if (problem !== null) {
          context.rowErrors.push(rowError(info, index, problem, 2, 'ValidationFailed'));
          return;
        }
        // A field given as null asks Business NXT to suggest a value (the deprecated null-to-suggest style).
        const associateNo = values.associateNo ?? store.nextAssociateNo();
        const customerNo = raw.customerNo === null ? store.nextCustomerNo() : (values.customerNo ?? 0);
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
        const row = store.insert({ ...values, associateNo, customerNo });
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
        for (const row of [...store.rows.values()].filter((candidate) => matches(candidate, filter))) {
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
          const after = store.update(row.associateNo, changes);
          if (after) {
            updated.push(after);
            context.changes.push({ event: 'UPDATE', associateNo: row.associateNo, companyNo });
          }
        }
      });
      return { affectedRows: updated.length, items: updated };
    },

    associate_delete(args: { filter?: Filter | null }, context: RequestContext) {
      const doomed = [...store.rows.values()].filter((row) => matches(row, args.filter));
      for (const row of doomed) {
        store.delete(row.associateNo);
        context.changes.push({ event: 'DELETE', associateNo: row.associateNo, companyNo });
      }
      return { affectedRows: doomed.length, items: null };
    },
  });

  return {
    useCompany: ({ no }: { no: number }) => ({ associate: associateConnection(companyOf(options, no)) }),
    useCustomer: ({ no }: { no: number }) => ({ customerNo: no }),
    availableCompanies: () => {
      const items = [...options.companies.entries()].map(([no, company]) => ({
        name: company.name,
        vismaNetCompanyId: no,
        vismaNetCustomerId: options.customerNo,
        organizationNo: null,
      }));
      return { totalCount: items.length, items };
    },
    availableCustomers: () => ({
      totalCount: 1,
      items: [{ name: 'Port-Service Øst AS', vismaNetCustomerId: options.customerNo }],
    }),
    mutationUseCompany: ({ no }: { no: number }) => mutations(companyOf(options, no), no),
  };
}
