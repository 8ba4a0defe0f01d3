import { afterEach, expect, it, vi } from 'vitest';
import type { StoredLink } from '../state/state-store.js';
import { type ScheduledWorld, startScheduledWorld } from '../test-support/scheduled-world.js';
import { historyBatchSize } from './slices.js';

// `newest-wins` per field, end to end on the simulators' own stores: HubSpot's side of a field is the time its
// property got its current value (property history), not the record's last change, so a later edit of another
// HubSpot field does not decide which email wins. The history is read only for pairs changed on both sides.
let scheduled: ScheduledWorld | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await scheduled?.close();
  scheduled = undefined;
});

async function synced(customers: number) {
  scheduled = await startScheduledWorld({ customers, companies: 0, seed: 41 });
  expect((await scheduled.cycle(true)).exitCode).toBe(0);
  scheduled.later();
  expect((await scheduled.cycle(false)).exitCode).toBe(0);
  scheduled.later();
  return scheduled;
}

async function linkedContacts(world: ScheduledWorld, count: number): Promise<StoredLink[]> {
  const links = (await world.runtime.store.allLinks('contact', null, 1000)).filter(
    (link) => link.status === 'active',
  );
  expect(links.length).toBeGreaterThanOrEqual(count);
  return links.slice(0, count);
}

/** An edit in HubSpot's UI (a person), on the simulator's clock. */
function editInHubSpot(world: ScheduledWorld, crmId: string, properties: Record<string, string>) {
  const record = world.world.crm.store.records.contacts.get(crmId);
  if (record === undefined) throw new Error(`no contact ${crmId}`);
  world.world.crm.store.update(record, properties);
}

/** The HubSpot batch reads that asked for history of the newest-wins properties, with their sizes. */
function historyReads(world: ScheduledWorld) {
  const api = world.runtime.clients.hubspot.contacts;
  const batchRead = api.batchRead;
  const sizes: number[] = [];
  vi.spyOn(api, 'batchRead').mockImplementation((ids, options) => {
    if (options.propertiesWithHistory?.includes('email')) sizes.push(ids.length);
    return batchRead(ids, options);
  });
  return sizes;
}

it("HubSpot email at 10:00, Business NXT email at 10:10, HubSpot phone at 10:20: Business NXT's email wins", async () => {
  const world = await synced(6);
  const [link] = await linkedContacts(world, 1);
  if (link === undefined) throw new Error('no linked contact');
  const reads = historyReads(world);
  editInHubSpot(world, link.crmId, { email: 'hubspot.edit@example.no' }); // "10:00"
  world.later();
  world.world.erp.store.update(link.associateNo, { emailAddress: 'erp.edit@example.no' }); // "10:10"
  world.later();
  editInHubSpot(world, link.crmId, { phone: '+47 33 12 34 56' }); // "10:20": the record's updatedAt
  world.later();

  const report = await world.cycle(false);
  expect(report.exitCode).toBe(0);
  const contact = world.world.crm.store.records.contacts.get(link.crmId);
  const person = world.world.erp.store.rows.get(link.associateNo);
  expect(contact?.properties.get('email')).toBe('erp.edit@example.no');
  expect(person?.emailAddress).toBe('erp.edit@example.no');
  // The phone, changed in HubSpot only, follows as before.
  expect(person?.phone).toBe('+4733123456');
  // One extra request: the one pair changed on both sides, read again with history.
  expect(reads).toEqual([1]);

  world.later();
  const echo = await world.cycle(false);
  expect(echo.entities.contact.applied['update-erp'] ?? 0).toBe(0);
  expect(echo.entities.contact.applied['update-crm'] ?? 0).toBe(0);
});

it('reads history only for pairs changed on both sides, 50 records per request', async () => {
  const world = await synced(50);
  const links = await linkedContacts(world, 60);
  const reads = historyReads(world);

  // Only HubSpot changed: no history read at all.
  for (const [index, link] of links.entries())
    editInHubSpot(world, link.crmId, { email: `only.hubspot.${index}@example.no` });
  world.later();
  expect((await world.cycle(false)).exitCode).toBe(0);
  expect(reads).toEqual([]);
  world.later();
  await world.cycle(false);
  world.later();

  // Both sides changed for 60 pairs: 60 records re-read with history, in 2 requests of at most 50.
  for (const [index, link] of links.entries())
    editInHubSpot(world, link.crmId, { email: `both.hubspot.${index}@example.no` });
  world.later();
  for (const [index, link] of links.entries())
    world.world.erp.store.update(link.associateNo, { emailAddress: `both.erp.${index}@example.no` });
  world.later();
  expect((await world.cycle(false)).exitCode).toBe(0);
  expect(reads).toEqual([historyBatchSize, 60 - historyBatchSize]);
  // Business NXT's edits are the newer ones here.
  for (const [index, link] of links.entries())
    expect(world.world.crm.store.records.contacts.get(link.crmId)?.properties.get('email')).toBe(
      `both.erp.${index}@example.no`,
    );
});
