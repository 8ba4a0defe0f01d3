// Business NXT answers of the shapes its documentation shows, for the error tests. Each says where it comes from;
// where a source gives the shape but not the words, the words are ours and say so.

const associate = (associateNo: number, name: string) => ({
  associateNo,
  customerNo: 10000 + associateNo,
  name,
});

// https://docs.vismasoftware.no/businessnxtapi/features/errors: a request without a valid token is answered 401
// with nginx's HTML page, not JSON.
export const unauthorizedHtml = `<html>
<head><title>401 Authorization Required</title></head>
<body>
<center><h1>401 Authorization Required</h1></center>
<hr><center>nginx</center>
</body>
</html>`;

// https://docs.vismasoftware.no/businessnxtapi/features/errors: an error while the query ran, a `message` beside
// `data` (the example's message).
export const executionError = {
  errors: [
    {
      message:
        'Error: Could not get authorize user using VismaNetCompanyId: 1234567. Description: External integration error. Status: 18.',
    },
  ],
  data: { availableCompanies: null },
};

// https://docs.vismasoftware.no/businessnxtapi/features/errors: a query that failed validation (a syntax error),
// with `locations` and `extensions.code` / `codes`, and no `data` (the example's query asked for `totalRows`).
export const validationError = {
  errors: [
    {
      message:
        "GraphQL.Validation.Errors.FieldsOnCorrectTypeError: Cannot query field 'totalRows' on type 'Query_UseCompany_GeneralLedgerAccount_Connection'. Did you mean 'totalCount'?",
      locations: [{ line: 4, column: 7 }],
      extensions: { code: 'FIELDS_ON_CORRECT_TYPE', codes: ['FIELDS_ON_CORRECT_TYPE'] },
    },
  ],
};

// https://community.visma.com/t5/Diskusjon/Error-Codes/td-p/582317 (a Visma engineer's example, for `order_create`;
// here for `associate_create`): a row refused for its primary key, `extensions.data.status` and `status_name`, the
// path ending in the record's index (https://docs.vismasoftware.no/businessnxtapi/release-notes/2024-01-25-update-assignment-failures-include-error-in-path/).
// With two rows sent, the second stored: `data` and `errors` both (partial success, https://docs.vismasoftware.no/businessnxtapi/features/errors).
export const duplicateKeyBesideStoredRow = {
  errors: [
    {
      message: 'A record with the same primary key already exists.',
      path: ['useCompany', 'associate_create', 'values/0'],
      extensions: { data: { status: 3, status_name: 'PrimaryKeyAssignmentFailed' } },
    },
  ],
  data: { useCompany: { associate_create: { affectedRows: 1, items: [associate(5001, 'Kunde 1 AS')] } } },
};

// https://docs.vismasoftware.no/businessnxtapi/release-notes/2025-10-17-field-level-assignment-names-in-mutation-errors/:
// the error names the field whose assignment failed. The wording is ours (UNCONFIRMED: see `namedColumn`).
export const fieldAssignmentFailed = {
  errors: [
    {
      message: "Assignment of field 'emailAddress' failed: the value is not a valid e-mail address.",
      path: ['useCompany', 'associate_create', 'values/1'],
      extensions: { data: { status: 2, status_name: 'ValidationFailed' } },
    },
  ],
  data: { useCompany: { associate_create: { affectedRows: 1, items: [associate(5000, 'Kunde 0 AS')] } } },
  extensions: { 'vbnxt-trace-id': '83bcb079fb2c8' },
};

// https://docs.vismasoftware.no/businessnxtapi/release-notes/2026-06-22-failed-updates-error-handling/: for a failed
// update, `items` holds the failed row as it was before the update. The message is ours.
export const failedUpdateWithBeforeValues = {
  errors: [
    {
      message: "Assignment of field 'customerNo' failed: the value is already in use.",
      path: ['useCompany', 'associate_update', 'values/0'],
      extensions: { data: { status: 3, status_name: 'PrimaryKeyAssignmentFailed' } },
    },
  ],
  data: {
    useCompany: {
      associate_update: {
        affectedRows: 1,
        items: [
          { associateNo: 7, customerNo: 10007, name: 'Før AS' },
          { associateNo: 8, customerNo: 10008, name: 'Etter AS' },
        ],
      },
    },
  },
};

// https://docs.vismasoftware.no/businessnxtapi/endoflife/deprecationwarning/: warnings and the trace id in the
// response's top-level `extensions` (the page's example).
export const deprecationWarning = {
  data: { availableCompanies: { totalCount: 0, items: [] } },
  extensions: {
    warnings: [
      {
        message: "The argument 'sortOrder' is deprecated and will be removed. Use 'orderBy' instead.",
        path: ['useCompany', 'generalLedgerAccount'],
      },
    ],
    'vbnxt-trace-id': '83bcb079fb2c8...',
  },
};

// The company refused before any mutation ran: the error is at `useCompany`, which is `null`, so nothing under it
// executed (https://spec.graphql.org/October2021/#sec-Handling-Field-Errors). The message is the errors page's.
export const companyRefused = {
  errors: [{ message: executionError.errors[0]?.message, path: ['useCompany'] }],
  data: { useCompany: null },
};

// An error raised by the mutation itself while it ran: its field is `null`, and the answer does not say which rows
// were applied (https://spec.graphql.org/October2021/#sec-Handling-Field-Errors). The message is ours.
export const errorWhileMutationRan = (mutation: 'associate_create' | 'associate_update') => ({
  errors: [{ message: 'Internal server error.', path: ['useCompany', mutation] }],
  data: { useCompany: { [mutation]: null } },
});
