import { companyName, orgNumber, places, seededRandom } from '@port-service/simulators';
import type { World } from '../src/e2e/cli-harness.js';

/** Seeded Norwegian customers with `perCustomer` contact persons each, unique org numbers and emails. */
export function customersData(count: number, perCustomer: number, seed: number) {
  const random = seededRandom(seed);
  const orgs = new Set<string>();
  return Array.from({ length: count }, (_, index) => {
    let org = orgNumber(random);
    while (orgs.has(org)) org = orgNumber(random);
    orgs.add(org);
    const [postCode, city] = places[index % places.length] ?? ['0150', 'OSLO'];
    return {
      name: companyName(random, index + 1),
      org,
      address: `Kaiveien ${1 + (index % 150)}`,
      postCode,
      city,
      phone: `33${String(100_000 + index).padStart(6, '0')}`,
      people: Array.from({ length: perCustomer }, (_, person) => ({
        first: `Navn${person}`,
        last: `Person${index}`,
        email: `p${person}.k${index}@kunde${index}.no`,
        mobile: `9${String(1_000_000 + index * perCustomer + person).padStart(7, '0')}`,
      })),
    };
  });
}

export type Customers = ReturnType<typeof customersData>;

type Customer = Customers[number];

/** A customer's Business NXT columns, as every bench seeds them. */
export const customerColumns = (customer: Customer) => ({
  name: customer.name,
  companyNo: customer.org,
  addressLine1: customer.address,
  postCode: customer.postCode,
  postalArea: customer.city,
  countryNo: 47,
  phone: customer.phone,
});

/** A contact person's Business NXT columns, without the customer it belongs to. */
export const personColumns = (person: Customer['people'][number]) => ({
  name: `${person.first} ${person.last}`,
  emailAddress: person.email,
  mobilePhone: person.mobile,
});

/** The data as Business NXT customers and contact persons. */
export function seedErp(world: Pick<World, 'erp'>, customers: Customers): void {
  for (const customer of customers) {
    const associateNo = world.erp.store.nextAssociateNo();
    world.erp.store.insert({
      associateNo,
      customerNo: world.erp.store.nextCustomerNo(),
      ...customerColumns(customer),
    });
    for (const person of customer.people)
      world.erp.store.insert({
        associateNo: world.erp.store.nextAssociateNo(),
        ...personColumns(person),
        contactPersonForAssociateNo: associateNo,
      });
  }
}

/** The data as HubSpot customer companies with their contacts (primary company). */
export function seedCrm(world: Pick<World, 'crm'>, customers: Customers): void {
  for (const customer of customers) {
    const company = world.crm.store.create('companies', {
      name: customer.name,
      org_number: customer.org,
      address: customer.address,
      zip: customer.postCode,
      city: customer.city,
      country: 'Norway',
      phone: `+47 ${customer.phone}`,
      lifecyclestage: 'customer',
    });
    for (const person of customer.people) {
      const contact = world.crm.store.create('contacts', {
        firstname: person.first,
        lastname: person.last,
        email: person.email,
        mobilephone: `+47 ${person.mobile}`,
      });
      world.crm.store.associate('contacts', contact.id, 'companies', company.id, 1);
    }
  }
}
