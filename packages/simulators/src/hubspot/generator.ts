import {
  companyName,
  emailLocal,
  firstNames,
  lastNames,
  mobile,
  orgNumber,
  places,
  streets,
} from '../shared/norwegian-data.js';
import { pick, seededRandom } from '../shared/random.js';
import type { HubSpotStore } from './store.js';

/** Adds seeded Norwegian companies (some customers, some leads), each with 0–3 contacts associated (primary). */
export function generateCompanies(store: HubSpotStore, companies: number, seed: number): void {
  const random = seededRandom(seed * 104_729 + store.records.companies.size);
  if (companies > 0 && !store.properties.companies.has('org_number')) {
    store.properties.companies.set('org_number', {
      name: 'org_number',
      label: 'Organization number',
      type: 'string',
      fieldType: 'text',
      groupName: 'companyinformation',
      description: 'Norwegian organization number',
      hasUniqueValue: false,
      hubspotDefined: false,
      readOnly: false,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });
  }
  for (let index = 0; index < companies; index += 1) {
    const serial = store.records.companies.size + 1;
    const [zip, city] = pick(random, places);
    const name = companyName(random, serial);
    const domain = `${emailLocal(name.split(' ')[0] ?? 'firma')}${serial}.no`;
    const company = store.create('companies', {
      name,
      domain,
      org_number: orgNumber(random),
      address: `${pick(random, streets)} ${1 + Math.floor(random() * 120)}`,
      zip,
      city: city.charAt(0) + city.slice(1).toLowerCase(),
      country: pick(random, ['Norway', 'Norge', 'NO']),
      phone: `+47 33 ${String(Math.floor(random() * 1e6)).padStart(6, '0')}`,
      lifecyclestage: random() < 0.7 ? 'customer' : 'lead',
    });
    const people = Math.floor(random() * 4);
    for (let person = 0; person < people; person += 1) {
      const first = pick(random, firstNames);
      const last = pick(random, lastNames);
      const contact = store.create('contacts', {
        firstname: first,
        lastname: last,
        email: `${emailLocal(`${first} ${last}`)}.${serial}${person}@${domain}`,
        mobilephone: `+47 ${mobile(random)}`,
      });
      store.associate('contacts', contact.id, 'companies', company.id, 1);
    }
  }
}
