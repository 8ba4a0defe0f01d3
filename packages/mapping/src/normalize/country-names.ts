/**
 * Countries Port-Service's customers are in or near, by ISO 3166-1 alpha-2, with the names people type in
 * Norwegian (bokmål and nynorsk), English and the country's own language, and the alpha-3 code.
 * `displayName` is what the sync writes to HubSpot's free-text `country` property.
 * https://www.iso.org/iso-3166-country-codes.html
 */
export const countries: ReadonlyArray<{
  readonly alpha2: string;
  readonly alpha3: string;
  readonly displayName: string;
  readonly names: readonly string[];
}> = [
  { alpha2: 'NO', alpha3: 'NOR', displayName: 'Norway', names: ['Norge', 'Noreg', 'Norway', 'Norwegen'] },
  { alpha2: 'SE', alpha3: 'SWE', displayName: 'Sweden', names: ['Sverige', 'Sweden', 'Schweden'] },
  { alpha2: 'DK', alpha3: 'DNK', displayName: 'Denmark', names: ['Danmark', 'Denmark', 'Dänemark'] },
  { alpha2: 'FI', alpha3: 'FIN', displayName: 'Finland', names: ['Finland', 'Suomi', 'Finnland'] },
  { alpha2: 'IS', alpha3: 'ISL', displayName: 'Iceland', names: ['Island', 'Iceland', 'Ísland'] },
  { alpha2: 'DE', alpha3: 'DEU', displayName: 'Germany', names: ['Tyskland', 'Germany', 'Deutschland'] },
  {
    alpha2: 'GB',
    alpha3: 'GBR',
    displayName: 'United Kingdom',
    names: ['Storbritannia', 'United Kingdom', 'UK', 'Great Britain', 'England', 'Scotland'],
  },
  { alpha2: 'IE', alpha3: 'IRL', displayName: 'Ireland', names: ['Irland', 'Ireland', 'Éire'] },
  {
    alpha2: 'NL',
    alpha3: 'NLD',
    displayName: 'Netherlands',
    names: ['Nederland', 'Netherlands', 'The Netherlands', 'Holland'],
  },
  { alpha2: 'BE', alpha3: 'BEL', displayName: 'Belgium', names: ['Belgia', 'Belgium', 'België', 'Belgique'] },
  { alpha2: 'FR', alpha3: 'FRA', displayName: 'France', names: ['Frankrike', 'France'] },
  { alpha2: 'ES', alpha3: 'ESP', displayName: 'Spain', names: ['Spania', 'Spain', 'España'] },
  { alpha2: 'PT', alpha3: 'PRT', displayName: 'Portugal', names: ['Portugal'] },
  { alpha2: 'IT', alpha3: 'ITA', displayName: 'Italy', names: ['Italia', 'Italy'] },
  {
    alpha2: 'CH',
    alpha3: 'CHE',
    displayName: 'Switzerland',
    names: ['Sveits', 'Switzerland', 'Schweiz', 'Suisse'],
  },
  { alpha2: 'AT', alpha3: 'AUT', displayName: 'Austria', names: ['Østerrike', 'Austria', 'Österreich'] },
  { alpha2: 'PL', alpha3: 'POL', displayName: 'Poland', names: ['Polen', 'Poland', 'Polska'] },
  { alpha2: 'EE', alpha3: 'EST', displayName: 'Estonia', names: ['Estland', 'Estonia', 'Eesti'] },
  { alpha2: 'LV', alpha3: 'LVA', displayName: 'Latvia', names: ['Latvia', 'Latvija'] },
  { alpha2: 'LT', alpha3: 'LTU', displayName: 'Lithuania', names: ['Litauen', 'Lithuania', 'Lietuva'] },
  {
    alpha2: 'CZ',
    alpha3: 'CZE',
    displayName: 'Czechia',
    names: ['Tsjekkia', 'Czechia', 'Czech Republic', 'Česko'],
  },
  { alpha2: 'HU', alpha3: 'HUN', displayName: 'Hungary', names: ['Ungarn', 'Hungary', 'Magyarország'] },
  { alpha2: 'GR', alpha3: 'GRC', displayName: 'Greece', names: ['Hellas', 'Greece', 'Ellada'] },
  {
    alpha2: 'US',
    alpha3: 'USA',
    displayName: 'United States',
    names: ['USA', 'United States', 'United States of America', 'De forente stater', 'Amerika'],
  },
  { alpha2: 'CA', alpha3: 'CAN', displayName: 'Canada', names: ['Canada'] },
  { alpha2: 'CN', alpha3: 'CHN', displayName: 'China', names: ['Kina', 'China'] },
  { alpha2: 'JP', alpha3: 'JPN', displayName: 'Japan', names: ['Japan'] },
  {
    alpha2: 'FO',
    alpha3: 'FRO',
    displayName: 'Faroe Islands',
    names: ['Færøyene', 'Faroe Islands', 'Føroyar'],
  },
  { alpha2: 'GL', alpha3: 'GRL', displayName: 'Greenland', names: ['Grønland', 'Greenland'] },
];
