/**
 * UNCONFIRMED for Business NXT: Visma Business numbers countries by their telephone country code (Norway 47,
 * Sweden 46); Business NXT's `Country` table:
 * https://doc.visma.net/userdoc/businessnxt/en/Common/Base-data/country.html.
 * If a live company numbers them otherwise, this table is the only place to correct; `crm-sync doctor` compares it
 * with the company's `Country` table.
 * Every number must map to one country both ways, or a country written to Business NXT would read back as
 * another (calling code 1 is shared by the US and Canada: only the US is listed, so a Canadian customer is
 * reported as an error rather than silently turned American). country.test.ts checks this.
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
  [86, 'CN'],
  [81, 'JP'],
  [298, 'FO'],
  [299, 'GL'],
];
