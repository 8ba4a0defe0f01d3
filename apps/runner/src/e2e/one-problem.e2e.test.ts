import { afterEach, expect, it } from 'vitest';
import { cli, startWorld, type World } from './cli-harness.js';

// One failed cycle is one problem (docs/DESIGN.md §5): a cause that is the system's (a wrong company number, a revoked
// token, properties not set up) fails the cycle once with the fix, and is never copied into every record's status.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const heldCount = async (w: World) => {
  const status = JSON.parse((await cli(w, ['status', '--json'])).stdout) as { errors: unknown[] };
  return status.errors.length;
};

it('a wrong company number on a new state is one configuration error, and the state is not bound to it', async () => {
  world = await startWorld({ customers: 8, companies: 4, seed: 41 });
  const wrong = { ...world, env: { ...world.env, VISMA_COMPANY_NO: '999' } };
  const result = await cli(wrong, ['run']);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('Business NXT company 999 (VISMA_COMPANY_NO) is not available');
  expect(result.stderr).toContain(String(world.erp.companyNo));
  // The right number works at once: nothing was bound to the wrong one, and no record was marked.
  expect(await heldCount(world)).toBe(0);
  expect((await cli(world, ['setup'])).code).toBe(0);
  expect((await cli(world, ['run'])).code).not.toBe(2);
});

it('properties not set up are one failure naming them and the fix, not one write error per record', async () => {
  world = await startWorld({ customers: 8, companies: 4, seed: 42 });
  const result = await cli(world, ['run']);
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/HubSpot has no property .*visma_actor_no.*crm-sync setup/u);
  expect(await heldCount(world)).toBe(0);
  expect(world.erp.store.rows.size).toBeGreaterThan(0);
  expect(world.crm.store.records.companies.size).toBe(4);
});

it('a token revoked between cycles is one failure, and the records it could not reach are not marked', async () => {
  world = await startWorld({ customers: 8, companies: 4, seed: 43 });
  expect((await cli(world, ['setup'])).code).toBe(0);
  await cli(world, ['run']);
  const before = await heldCount(world);
  world.crm.rotateToken('revoked');
  const row = [...world.erp.store.rows.values()].find((candidate) => candidate.customerNo > 0);
  if (row !== undefined) world.erp.store.update(row.associateNo, { phone: '+4790000001' });
  const result = await cli(world, ['run']);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('Authentication credentials not found');
  expect(await heldCount(world)).toBe(before);
});
