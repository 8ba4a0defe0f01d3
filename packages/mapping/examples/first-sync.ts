/**
 * The planner on a small Norwegian data set: a first sync, then edits on both sides (one of them a conflict,
 * one an echo of the sync's own write), then the incremental plan. Both systems live in memory here; the
 * `crm-sync demo` command (apps/runner) does the same against the HubSpot and Business NXT simulators.
 * Run with `pnpm demo` from the repository root.
 */
import { parseSyncPolicy, planSync, type SyncOperation, type SyncPlan } from '../src/index.js';
import { InMemorySystems } from '../src/test-support/in-memory-systems.js';

const parsed = parseSyncPolicy({ contacts: { fields: { email: { policy: 'manual' } } } });
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const policy = parsed.policy;

const systems = new InMemorySystems();
// In both systems under one organization number: linked, not duplicated.
systems.addCompany('101', {
  name: 'Larvik Havn KF',
  org_number: '974 760 673',
  zip: '3263',
  city: 'Larvik',
  lifecyclestage: 'customer',
});
systems.addAssociate({
  associateNo: 1,
  customerNo: 10001,
  name: 'Larvik Havn KF',
  companyNo: '974760673',
  postCode: '3263',
  postalArea: 'LARVIK',
  countryNo: 47,
  phone: '33 16 55 00',
});
systems.addContact('201', { firstname: 'Iselin', lastname: 'Fox', email: 'Iselin@larvikhavn.no' }, ['101']);
systems.addAssociate({
  associateNo: 2,
  name: 'Iselin Fox',
  emailAddress: 'iselin@larvikhavn.no',
  mobilePhone: '920 99 720',
  contactPersonForAssociateNo: 1,
});
// Only in HubSpot: a customer (created in Business NXT) and a lead (left alone).
systems.addCompany('102', {
  name: 'Port-Service Øst AS',
  org_number: '923609016',
  address: 'Rødbølveien 22',
  zip: '3270',
  city: 'LARVIK',
  country: 'Norge',
  phone: '+47 99 58 22 44',
  lifecyclestage: 'customer',
});
systems.addContact(
  '202',
  {
    firstname: 'Anne Marie',
    lastname: 'Hansen',
    email: 'anne.marie@port-service.no',
    phone: '0047 33 12 34 56',
  },
  ['102'],
);
systems.addCompany('103', { name: 'Tønsberg Bryggeri AS', lifecyclestage: 'lead' });
// Only in Business NXT: created in HubSpot with its contact person.
systems.addAssociate({
  associateNo: 3,
  customerNo: 10002,
  name: 'Stavern Båtservice AS',
  companyNo: '971526920',
  addressLine1: 'Havnegata 4',
  postCode: '3290',
  postalArea: 'STAVERN',
  countryNo: 47,
});
systems.addAssociate({
  associateNo: 4,
  name: 'Ola van der Berg',
  emailAddress: 'ola@stavernbat.no',
  phone: '41234567',
  contactPersonForAssociateNo: 3,
});
// Bad input: reported per record, nothing else held back.
systems.addCompany('104', {
  name: 'Feil Org AS',
  org_number: '923 609 017',
  phone: '12',
  lifecyclestage: 'customer',
});
systems.addAssociate({ associateNo: 5, customerNo: 10003, name: 'Dobbel AS', companyNo: '911111128' });
systems.addAssociate({
  associateNo: 6,
  customerNo: 10004,
  name: 'Dobbel AS avd. Stavern',
  companyNo: '911111128',
});

function describe(operation: SyncOperation): string {
  const changes =
    'changes' in operation
      ? operation.changes
          .map((change) => `${change.field}: ${change.before ?? '∅'} → ${change.after ?? '∅'}`)
          .join('; ')
      : '';
  switch (operation.kind) {
    case 'skip':
      return `${operation.system} ${operation.recordId}: ${operation.reason}: ${operation.message}`;
    case 'candidates':
      return `${operation.system} ${operation.recordId}: ${operation.message} (${operation.candidates.map((candidate) => `${candidate.system} ${candidate.recordId}`).join(', ')})`;
    case 'conflict':
      return `HubSpot ${operation.crmId} ⇄ actor ${operation.associateNo}: ${operation.field}: HubSpot "${operation.crmValue}" vs Business NXT "${operation.erpValue}"`;
    case 'link':
      return `HubSpot ${operation.crmId} ⇄ actor ${operation.associateNo} by ${operation.reason}`;
    case 'write-back':
      return `HubSpot ${operation.crmId}: ${JSON.stringify(operation.properties)}`;
    case 'create-erp':
      return `from HubSpot ${operation.crmId}: ${changes}`;
    case 'create-crm':
      return `from actor ${operation.associateNo}: ${changes}`;
    case 'update-erp':
    case 'update-crm':
      return `HubSpot ${operation.crmId} ⇄ actor ${operation.associateNo}: ${changes}`;
    case 'baseline':
      return `HubSpot ${operation.crmId} ⇄ actor ${operation.associateNo}: already equal (state only)`;
    case 'orphan':
    case 'restore':
    case 'relink':
      return JSON.stringify(operation);
  }
}

function print(title: string, plan: SyncPlan): void {
  console.log(`\n${title}`);
  console.table(
    plan.operations.map((operation) => ({
      entity: operation.entity,
      operation: operation.kind,
      detail: describe(operation),
    })),
  );
  console.log('counts:', JSON.stringify(plan.counts));
}

const first = planSync(systems.input(policy));
print('Cycle 1: first sync', first);
systems.apply(first);

// Between cycles: a HubSpot user edits a phone, a Business NXT user renames a contact, both edit one email
// differently (a conflict under the `manual` policy), and one city changes case only (an echo, not a change).
const company = systems.companies.get('102');
if (company) {
  company.properties.phone = '33 12 00 00';
  company.properties.city = 'Larvik';
}
const contactRow = systems.associates.get(4);
if (contactRow) contactRow.name = 'Ola Johan van der Berg';
const contact = systems.contacts.get('201');
if (contact) contact.properties.email = 'iselin.fox@larvikhavn.no';
const fox = systems.associates.get(2);
if (fox) fox.emailAddress = 'fox@larvikhavn.no';

print('Cycle 2: incremental', planSync(systems.input(policy)));
