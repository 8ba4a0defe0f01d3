import { afterEach, describe, expect, it } from 'vitest';
import { cli, startWorld, type World } from './cli-harness.js';

// `crm-sync doctor` against a Business NXT schema unlike the client's assumptions: a policy default on a column
// the schema lacks, and the UNCONFIRMED contact-person column missing. Each gets one precise FAIL line.
let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const fails = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('FAIL'));

describe('crm-sync doctor and the Business NXT schema', () => {
  it("checks the policy's create defaults and the contact person's customer column", async () => {
    world = await startWorld({
      customers: 1,
      policy: { customers: { createDefaults: { currencyNo: 1, paymentTerms: 14 } } },
    });
    await cli(world, ['setup']);
    const result = await cli(world, ['doctor']);
    expect(fails(result.stdout), result.stdout).toEqual([]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(
      'ok   policy customers.createDefaults: Business NXT has every column (currencyNo, paymentTerms) on Associate_Input',
    );
    expect(result.stdout).toMatch(
      /^ok {3}Business NXT contact person's customer column contactPersonForAssociateNo \(VISMA_CONTACT_CUSTOMER_COLUMN\)/mu,
    );
  });

  it('names a default column Business NXT does not have, and the policy key', async () => {
    world = await startWorld({
      customers: 1,
      policy: { customers: { createDefaults: { currencyNo: 1, paymentTerms: 14 } } },
      erp: { dropColumns: ['paymentTerms'] },
    });
    await cli(world, ['setup']);
    const result = await cli(world, ['doctor']);
    expect(result.code, result.stdout).not.toBe(0);
    expect(fails(result.stdout)).toEqual([
      'FAIL policy customers.createDefaults: Business NXT has no column paymentTerms on Associate (Associate_Input)',
    ]);
    expect(result.stdout).toMatch(
      /→ correct or remove paymentTerms under customers\.createDefaults in the policy file \(CRM_SYNC_CONFIG\)/u,
    );
  });

  it('names the missing contact-person column, where it must be, and the setting that overrides it', async () => {
    world = await startWorld({ customers: 1, erp: { dropColumns: ['contactPersonForAssociateNo'] } });
    await cli(world, ['setup']);
    const result = await cli(world, ['doctor']);
    expect(result.code, result.stdout).not.toBe(0);
    expect(fails(result.stdout)).toEqual([
      "FAIL Business NXT contact person's customer column contactPersonForAssociateNo (VISMA_CONTACT_CUSTOMER_COLUMN): Associate has no field contactPersonForAssociateNo; Associate_Input has no field contactPersonForAssociateNo; FilterExpression_Associate has no field contactPersonForAssociateNo",
    ]);
    expect(result.stdout).toContain(
      'set VISMA_CONTACT_CUSTOMER_COLUMN to its name (docs/OPERATION.md, "doctor")',
    );
  });

  it('checks the column VISMA_CONTACT_CUSTOMER_COLUMN names instead', async () => {
    world = await startWorld({ customers: 1 });
    world.env.VISMA_CONTACT_CUSTOMER_COLUMN = 'contactPersonFor';
    await cli(world, ['setup']);
    const result = await cli(world, ['doctor']);
    expect(fails(result.stdout)).toEqual([
      "FAIL Business NXT contact person's customer column contactPersonFor (VISMA_CONTACT_CUSTOMER_COLUMN): Associate has no field contactPersonFor; Associate_Input has no field contactPersonFor; FilterExpression_Associate has no field contactPersonFor",
    ]);
  });
});
