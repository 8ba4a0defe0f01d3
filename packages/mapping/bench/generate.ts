import type { AssociateInput, HubSpotObjectInput } from '../dist/index.js';

/** mulberry32: a tiny seeded PRNG, so every benchmark run plans exactly the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const first = [
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
];
const second = [
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
];
const places: ReadonlyArray<readonly [string, string]> = [
  ['3270', 'LARVIK'],
  ['3256', 'LARVIK'],
  ['3110', 'TØNSBERG'],
  ['3211', 'SANDEFJORD'],
  ['0150', 'OSLO'],
  ['5003', 'BERGEN'],
  ['7010', 'TRONDHEIM'],
  ['9008', 'TROMSØ'],
  ['6002', 'ÅLESUND'],
  ['3908', 'PORSGRUNN'],
];

function orgNumber(random: () => number): string {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  for (;;) {
    const digits = [9, ...Array.from({ length: 7 }, () => Math.floor(random() * 10))];
    const remainder = digits.reduce((sum, digit, index) => sum + digit * (weights[index] ?? 0), 0) % 11;
    const check = remainder === 0 ? 0 : 11 - remainder;
    if (check !== 10) return [...digits, check].join('');
  }
}

export interface Pair {
  readonly company: HubSpotObjectInput;
  readonly associate: AssociateInput;
}

/** A linked customer as both systems hold it after a sync: the same values, each in its own format. */
export function generatePair(random: () => number, index: number): Pair {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const name = `${pick(first)} ${pick(second)} ${index} AS`;
  const org = orgNumber(random);
  const [postCode, city] = pick(places);
  const phone = `+479${String(Math.floor(random() * 1e7)).padStart(7, '0')}`;
  const email = `post${index}@${pick(first)
    .toLowerCase()
    .replace(/[^a-z]/g, 'x')}.no`;
  const street = `${pick(first)}veien ${1 + Math.floor(random() * 120)}`;
  const associateNo = 10_000 + index;
  return {
    company: {
      id: String(1_000_000 + index),
      updatedAt: '2026-11-01T08:00:00.000Z',
      properties: {
        name,
        org_number: org,
        address: street,
        zip: postCode,
        city: city.charAt(0) + city.slice(1).toLowerCase(),
        country: 'Norway',
        phone,
        company_email: email,
        visma_customer_no: String(50_000 + index),
        visma_actor_no: String(associateNo),
      },
    },
    associate: {
      associateNo,
      customerNo: 50_000 + index,
      name,
      companyNo: org,
      addressLine1: street,
      postCode,
      postalArea: city,
      countryNo: 47,
      phone,
      emailAddress: email,
      changedTimestamp: '2026-11-01T09:00:00',
    },
  };
}
