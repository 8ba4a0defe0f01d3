import { afterEach, expect, it } from 'vitest';
import {
  type ActionWorld,
  linkedCustomer,
  reportCandidateCustomers,
  startActionWorld,
} from './action-world.js';
import { linkCandidates, previewLink } from './link-candidates.js';

// "Link these two" for a candidates pair (same name, no sure key): the link recorded as a first match would, the
// pair synced at once with its fields merged by the policy. Checked on both simulators' stores.
let world: ActionWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function candidateCustomers() {
  world = await startActionWorld({ customers: 5, companies: 3, seed: 12 });
  return { w: world, ...(await reportCandidateCustomers(world)) };
}

it('says what linking a candidate pair writes, then links and syncs it, merging fields by the policy', async () => {
  const { w, company, associateNo } = await candidateCustomers();
  const preview = await previewLink(w.dependencies, company.id, associateNo);
  expect(preview.refusal).toBeUndefined();
  expect(preview.title).toBe(`Link HubSpot company ${company.id} ↔ Business NXT customer ${associateNo}`);
  // Legal fields are Business NXT's by the default policy: its name wins.
  expect(preview.lines).toContainEqual(
    expect.stringContaining(`HubSpot company ${company.id}: name: FJORDBRIS BAKERI → Fjordbris Bakeri AS`),
  );
  expect(preview.lines).toContainEqual(
    expect.stringContaining(`HubSpot company ${company.id}: visma_actor_no → ${associateNo}`),
  );
  expect(company.properties.get('name')).toBe('FJORDBRIS BAKERI');

  const linked = await linkCandidates(w.dependencies, 'operator-kari', company.id, associateNo);
  expect(linked.kind).toBe('done');
  if (linked.kind !== 'done') return;
  expect(linked.report?.exitCode).toBe(0);
  const [link] = await w.runtime.store.linksByCrmIds('customer', [company.id]);
  expect(link).toMatchObject({ associateNo, status: 'active' });
  expect(company.properties.get('name')).toBe('Fjordbris Bakeri AS');
  expect(company.properties.get('visma_actor_no')).toBe(String(associateNo));
  expect(await w.runtime.store.errors()).toEqual([]);
  w.later();
  const next = await w.cycle(false);
  expect(next.items).toEqual([]);

  const [entry] = await w.runtime.store.auditLog({ action: 'candidates.link', limit: 5 });
  expect(entry).toMatchObject({
    actor: 'operator-kari',
    target: `customer hubspot ${company.id} visma-nxt ${associateNo}`,
    before: { link: null, held: [{ rule: 'candidates:name-and-postal-code' }] },
    after: { link: { associateNo, status: 'active' }, held: [], run: { exitCode: 0 } },
  });
});

it('refuses a pair that is not a reported candidate, or whose records are linked already', async () => {
  const { w, company, associateNo } = await candidateCustomers();
  const other = linkedCustomer(w.world, 0);
  const notPair = await linkCandidates(w.dependencies, 'cli:tester', company.id, associateNo + 1);
  expect(notPair).toEqual({
    kind: 'refused',
    message: expect.stringContaining(`hubspot ${company.id} has visma-nxt ${associateNo}`),
  });
  const taken = await linkCandidates(w.dependencies, 'cli:tester', company.id, other.row.associateNo);
  expect(taken).toEqual({
    kind: 'refused',
    message: `Business NXT customer ${other.row.associateNo} is linked already, to HubSpot company ${other.company.id}`,
  });
  expect((await linkCandidates(w.dependencies, 'cli:tester', company.id, associateNo)).kind).toBe('done');
  const again = await previewLink(w.dependencies, company.id, associateNo);
  expect(again.refusal).toBe(
    `HubSpot company ${company.id} is linked already, to Business NXT customer ${associateNo}`,
  );
  expect(await w.runtime.store.linksByCrmIds('customer', [other.company.id])).toMatchObject([
    { associateNo: other.row.associateNo },
  ]);
  expect((await w.runtime.store.auditLog({ limit: 5 })).map((entry) => entry.action)).toEqual([
    'candidates.link',
  ]);
});

it('links a contact to the same-name contact person of its customer, writing the actor number back', async () => {
  world = await startActionWorld({ customers: 5, companies: 3, seed: 12 });
  const w = world;
  expect((await w.cycle(true)).exitCode).toBe(0);
  w.later();
  const customer = linkedCustomer(w.world, 0);
  const associateNo = w.world.erp.store.nextAssociateNo();
  w.world.erp.store.insert(
    { associateNo, name: 'Kjellfrid Q. Testesen', contactPersonForAssociateNo: customer.row.associateNo },
    true,
  );
  const contact = w.world.crm.store.create('contacts', { firstname: 'Kjellfrid', lastname: 'Q. Testesen' });
  w.world.crm.store.associate('contacts', contact.id, 'companies', customer.company.id, 1);
  const report = await w.cycle(false);
  expect(report.items).toContainEqual(
    expect.objectContaining({ entity: 'contact', outcome: 'candidates', crmId: contact.id }),
  );
  w.later();
  const linked = await linkCandidates(w.dependencies, 'cli:tester', contact.id, associateNo);
  expect(linked.kind).toBe('done');
  const [link] = await w.runtime.store.linksByCrmIds('contact', [contact.id]);
  expect(link?.associateNo).toBe(associateNo);
  expect(contact.properties.get('visma_actor_no')).toBe(String(associateNo));
});
