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
import type { CompanyStore } from './store.js';

/**
 * Adds `customers` seeded customers, each with 0–3 contact persons, as rows imported before October 2024 (no
 * created/changed timestamps, as in a real company's old data).
 */
export function generateAssociates(store: CompanyStore, customers: number, seed: number): void {
  const random = seededRandom(seed * 7919 + store.rows.size);
  for (let index = 0; index < customers; index += 1) {
    const associateNo = store.nextAssociateNo();
    const serial = associateNo;
    const [postCode, city] = pick(random, places);
    const name = companyName(random, serial);
    const domain = `${emailLocal(name.split(' ')[0] ?? 'firma')}${serial}.no`;
    store.insert(
      {
        associateNo,
        customerNo: store.nextCustomerNo(),
        name,
        shortName: name.slice(0, 20),
        companyNo: orgNumber(random),
        addressLine1: `${pick(random, streets)} ${1 + Math.floor(random() * 120)}`,
        postCode,
        postalArea: city,
        countryNo: 47,
        phone: `33${String(Math.floor(random() * 1e6)).padStart(6, '0')}`,
        emailAddress: `post@${domain}`,
      },
      true,
    );
    const people = Math.floor(random() * 4);
    for (let person = 0; person < people; person += 1) {
      const fullName = `${pick(random, firstNames)} ${pick(random, lastNames)}`;
      store.insert(
        {
          associateNo: store.nextAssociateNo(),
          name: fullName,
          emailAddress: `${emailLocal(fullName)}@${domain}`,
          mobilePhone: mobile(random),
          contactPersonForAssociateNo: associateNo,
        },
        true,
      );
    }
  }
}
