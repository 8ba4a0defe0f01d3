import { companyName, orgNumber, places } from '@port-service/simulators';
import type { AssociateInput, HubSpotObjectInput } from '../dist/index.js';

export { seededRandom } from '@port-service/simulators';

export interface Pair {
  readonly company: HubSpotObjectInput;
  readonly associate: AssociateInput;
}

/** A linked customer as both systems hold it after a sync: the same values, each in its own format. */
export function generatePair(random: () => number, index: number): Pair {
  const name = companyName(random, index);
  const org = orgNumber(random);
  const [postCode, city] = places[Math.floor(random() * places.length)] ?? ['3270', 'LARVIK'];
  const phone = `+479${String(Math.floor(random() * 1e7)).padStart(7, '0')}`;
  const email = `post${index}@firma${index}.no`;
  const street = `Havnegata ${1 + Math.floor(random() * 120)}`;
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
