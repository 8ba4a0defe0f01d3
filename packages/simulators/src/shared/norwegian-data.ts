import { pick } from './random.js';

/** Material for realistic Norwegian companies and people (æøå included), shared by both simulators. */
export const companyWords = {
  first: [
    'Fjord',
    'Havn',
    'Bølge',
    'Nordlys',
    'Skjær',
    'Ås',
    'Bryggen',
    'Tønne',
    'Kyst',
    'Sjø',
    'Øst',
    'Vik',
    'Fyr',
    'Måke',
  ],
  second: [
    'Service',
    'Marine',
    'Bygg',
    'Transport',
    'Elektro',
    'Rør',
    'Maskin',
    'Frakt',
    'Fisk',
    'Verft',
    'Regnskap',
  ],
  form: ['AS', 'AS', 'AS', 'ASA', 'ANS', 'DA', 'ENK'],
};
export const places: ReadonlyArray<readonly [postCode: string, city: string]> = [
  ['3270', 'LARVIK'],
  ['3256', 'LARVIK'],
  ['3290', 'STAVERN'],
  ['3110', 'TØNSBERG'],
  ['3211', 'SANDEFJORD'],
  ['0150', 'OSLO'],
  ['5003', 'BERGEN'],
  ['7010', 'TRONDHEIM'],
  ['9008', 'TROMSØ'],
  ['6002', 'ÅLESUND'],
  ['3908', 'PORSGRUNN'],
  ['4006', 'STAVANGER'],
];
export const streets = [
  'Rødbølveien',
  'Havnegata',
  'Storgata',
  'Kongens gate',
  'Fjordveien',
  'Sjøgata',
  'Bryggeveien',
  'Øvre Vei',
];
export const firstNames = [
  'Iselin',
  'Ola',
  'Kari',
  'Anne Marie',
  'Per-Olav',
  'Åse',
  'Bjørn',
  'Sigrid',
  'Håkon',
  'Ingrid',
  'Lars',
  'Marte',
];
export const lastNames = [
  'Fox',
  'Nordmann',
  'Hansen',
  'Johansen',
  'Ødegård',
  'Bjørnstad',
  'Larsen',
  'van der Berg',
  'Haugen',
  'Dahl',
];

/** A valid Norwegian organization number (mod-11 check digit, weights 3 2 7 6 5 4 3 2). */
export function orgNumber(random: () => number): string {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  for (;;) {
    const digits = [random() < 0.5 ? 8 : 9, ...Array.from({ length: 7 }, () => Math.floor(random() * 10))];
    const remainder = digits.reduce((sum, digit, index) => sum + digit * (weights[index] ?? 0), 0) % 11;
    const check = remainder === 0 ? 0 : 11 - remainder;
    if (check !== 10) return [...digits, check].join('');
  }
}

export function companyName(random: () => number, serial: number): string {
  return `${pick(random, companyWords.first)} ${pick(random, companyWords.second)} ${serial} ${pick(random, companyWords.form)}`;
}

/** A Norwegian mobile number (8 digits) in the ranges assigned to mobiles: 40–41, 45–48 and 90–99. */
export function mobile(random: () => number): string {
  const prefix = pick(random, [
    '40',
    '41',
    '45',
    '46',
    '47',
    '48',
    '90',
    '91',
    '92',
    '93',
    '94',
    '95',
    '96',
    '97',
    '98',
    '99',
  ]);
  return `${prefix}${String(Math.floor(random() * 1e6)).padStart(6, '0')}`;
}

export function emailLocal(name: string): string {
  return name
    .toLowerCase()
    .replace(/æ/gu, 'ae')
    .replace(/ø/gu, 'o')
    .replace(/å/gu, 'a')
    .replace(/[^a-z0-9]+/gu, '.')
    .replace(/^\.|\.$/gu, '');
}
