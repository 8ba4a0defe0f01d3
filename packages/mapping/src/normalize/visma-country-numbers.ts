/**
 * UNCONFIRMED for Business NXT: Visma Business numbers countries by their telephone country code (Norway 47,
 * Sweden 46). See ../shared/reference/visma-business-nxt.md §9. If a live company numbers them otherwise, this
 * table is the only place to correct; `crm-sync doctor` compares it with the company's `Country` table.
 * Where a calling code is shared (1: US and Canada), the first listed wins when reading.
 */
export const vismaCountryNumbers: ReadonlyArray<readonly [countryNo: number, alpha2: string]> = [
  [47, 'NO'],
  [46, 'SE'],
  [45, 'DK'],
  [358, 'FI'],
  [354, 'IS'],
  [49, 'DE'],
  [44, 'GB'],
  [353, 'IE'],
  [31, 'NL'],
  [32, 'BE'],
  [33, 'FR'],
  [34, 'ES'],
  [351, 'PT'],
  [39, 'IT'],
  [41, 'CH'],
  [43, 'AT'],
  [48, 'PL'],
  [372, 'EE'],
  [371, 'LV'],
  [370, 'LT'],
  [420, 'CZ'],
  [36, 'HU'],
  [30, 'GR'],
  [1, 'US'],
  [1, 'CA'],
  [86, 'CN'],
  [81, 'JP'],
  [298, 'FO'],
  [299, 'GL'],
];
