import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conflictPolicies,
  defaultSyncPolicy,
  directions,
  parseSyncPolicy,
  type SyncPolicy,
} from '../config/policy.js';
import { InMemorySystems } from '../test-support/in-memory-systems.js';
import { writeKinds } from './operations.js';
import { planSync } from './plan.js';

const orgNumbers = ['923609016', '974760673', '971526920', '923609017', '', 'NO 974 760 673 MVA'];
const names = ['Fjord AS', 'FJORD', 'Båt og Motor AS', 'Ærlig Øl ANS', 'Havn\u0007 AS', '', 'A'.repeat(90)];
const phones = ['+47 99 58 22 44', '920 99 720', '33123456', '12', '', '+46 8 123 456 78'];
const emails = ['post@fjord.no', 'POST@fjord.no', 'kari@bø.no', 'not-an-email', ''];
const cities = ['Larvik', 'LARVIK', 'Tønsberg', 'Oslo', ''];
const zips = ['3270', '0150', '150', 'x', ''];
const personNames = [
  ['Iselin', 'Fox'],
  ['Anne Marie', 'Hansen'],
  ['Ola', 'van der Berg'],
  ['', ''],
  ['Per', ''],
];

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);

const company = fc.record({
  name: pick(names),
  org_number: pick(orgNumbers),
  phone: pick(phones),
  city: pick(cities),
  zip: pick(zips),
  lifecyclestage: pick(['customer', 'lead']),
});
const associate = fc.record({
  name: pick(names),
  companyNo: pick(orgNumbers),
  phone: pick(phones),
  emailAddress: pick(emails),
  postalArea: pick(cities),
  postCode: pick(zips),
  countryNo: pick([0, 47, 46, 999]),
});
const person = fc.record({
  name: pick(personNames),
  email: pick(emails),
  phone: pick(phones),
  mobile: pick(phones),
});
const rule = fc.record({
  direction: pick(directions),
  policy: pick(conflictPolicies),
  clearOnEmpty: fc.boolean(),
});
const world = fc.record({
  companies: fc.array(fc.record({ company, contacts: fc.array(person, { maxLength: 3 }) }), { maxLength: 6 }),
  associates: fc.array(fc.record({ associate, contacts: fc.array(person, { maxLength: 3 }) }), {
    maxLength: 6,
  }),
  phoneRule: rule,
  nameRule: rule,
  emailRule: rule,
  autoLink: fc.boolean(),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function setUp(spec: World): { systems: InMemorySystems; policy: SyncPolicy } {
  const systems = new InMemorySystems();
  let contactId = 500;
  spec.companies.forEach(({ company: properties, contacts }, index) => {
    const id = String(index + 1);
    systems.addCompany(id, properties);
    for (const contact of contacts) {
      const [firstname, lastname] = contact.name;
      systems.addContact(
        String(contactId++),
        { firstname, lastname, email: contact.email, phone: contact.phone, mobilephone: contact.mobile },
        [id],
      );
    }
  });
  let associateNo = 100;
  for (const { associate: row, contacts } of spec.associates) {
    const customer = associateNo++;
    systems.addAssociate({ associateNo: customer, customerNo: customer + 10000, ...row });
    for (const contact of contacts) {
      systems.addAssociate({
        associateNo: associateNo++,
        name: contact.name.join(' '),
        emailAddress: contact.email,
        phone: contact.phone,
        mobilePhone: contact.mobile,
        contactPersonForAssociateNo: customer,
      });
    }
  }
  const parsed = parseSyncPolicy({
    customers: { fields: { phone: spec.phoneRule, name: spec.nameRule, email: spec.emailRule } },
    contacts: { fields: { phone: spec.phoneRule, name: spec.nameRule, email: spec.emailRule } },
    matching: { autoLinkCandidates: spec.autoLink },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return { systems, policy: parsed.policy };
}

const allowedErpColumns = new Set([
  'name',
  'companyNo',
  'addressLine1',
  'addressLine2',
  'postCode',
  'postalArea',
  'countryNo',
  'phone',
  'mobilePhone',
  'emailAddress',
]);

describe('planSync properties', () => {
  const writesOf = (plan: ReturnType<typeof planSync>) =>
    plan.operations.filter((operation) => writeKinds.has(operation.kind));
  const stateOnly = (plan: ReturnType<typeof planSync>) =>
    plan.operations.filter((operation) => !['skip', 'candidates', 'conflict'].includes(operation.kind));

  it('converges in one cycle under the default policy: the next plan writes nothing, the one after plans nothing', () => {
    fc.assert(
      fc.property(world, (spec) => {
        const { systems } = setUp(spec);
        const policy = defaultSyncPolicy();
        systems.apply(planSync(systems.input(policy)));
        const second = planSync(systems.input(policy));
        expect(writesOf(second)).toEqual([]);
        systems.apply(second);
        expect(stateOnly(planSync(systems.input(policy)))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never loops under any policy: writes stop within a few cycles, and a converged world plans nothing', () => {
    fc.assert(
      fc.property(world, (spec) => {
        const { systems, policy } = setUp(spec);
        // A one-way field can clear a value that held back another record's create: a short cascade, not a loop.
        let cycles = 0;
        for (
          let plan = planSync(systems.input(policy));
          writesOf(plan).length > 0;
          plan = planSync(systems.input(policy))
        ) {
          cycles += 1;
          expect(cycles).toBeLessThanOrEqual(4);
          systems.apply(plan);
        }
        systems.apply(planSync(systems.input(policy)));
        expect(stateOnly(planSync(systems.input(policy)))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never creates a record twice: every record is linked at most once', () => {
    fc.assert(
      fc.property(world, (spec) => {
        const { systems, policy } = setUp(spec);
        for (let cycle = 0; cycle < 3; cycle += 1) systems.apply(planSync(systems.input(policy)));
        for (const links of [systems.customerLinks, systems.contactLinks]) {
          const associateNos = [...links.values()].map((link) => link.associateNo);
          expect(new Set(associateNos).size).toBe(associateNos.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic and never sends ERP-owned numbers to Business NXT', () => {
    fc.assert(
      fc.property(world, (spec) => {
        const { systems, policy } = setUp(spec);
        const plan = planSync(systems.input(policy));
        expect(planSync(systems.input(policy))).toEqual(plan);
        for (const operation of plan.operations) {
          if (operation.kind === 'create-erp' || operation.kind === 'update-erp') {
            for (const column of Object.keys(operation.values)) expect(allowedErpColumns).toContain(column);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
