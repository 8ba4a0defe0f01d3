import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type HubSpotSimulator,
  startHubSpotSimulator,
  startVismaNxtSimulator,
  type VismaNxtSimulator,
} from '@port-service/simulators';

/** What the demo starts: both simulators on loopback, seeded, and the environment that points crm-sync at them. */
export interface DemoWorld {
  readonly crm: HubSpotSimulator;
  readonly erp: VismaNxtSimulator;
  readonly env: NodeJS.ProcessEnv;
  /** The HubSpot companies and ERP customers the demo edits between the two cycles. */
  readonly pairs: ReadonlyArray<{ crmId: string; associateNo: number }>;
  close(): Promise<void>;
}

// The demo's policy: customer phone numbers are settled by a person, to show a queued conflict.
const demoPolicy = { customers: { fields: { phone: { policy: 'manual' } } } };

/**
 * Seeds a realistic start: Norwegian customers only in Business NXT, companies only in HubSpot (customers and
 * leads), some customers already in both (same organization number, formatted differently), one organization
 * number on two HubSpot companies, and invalid data on both sides.
 */
export async function startDemoWorld(seed: number, customers: number): Promise<DemoWorld> {
  const erp = await startVismaNxtSimulator({ port: 0, host: '127.0.0.1', seed, customers });
  const crm = await startHubSpotSimulator({
    port: 0,
    host: '127.0.0.1',
    seed,
    companies: Math.round(customers * 0.6),
    searchLagMs: 300,
  });
  const pairs: Array<{ crmId: string; associateNo: number }> = [];
  const erpCustomers = [...erp.store.rows.values()].filter((row) => (row.customerNo ?? 0) > 0);
  // A quarter of the ERP customers already exist in HubSpot, typed by hand there.
  for (const row of erpCustomers.slice(0, Math.round(erpCustomers.length / 4))) {
    const org = String(row.companyNo ?? '');
    const company = crm.store.create('companies', {
      name: String(row.name ?? ''),
      org_number: `${org.slice(0, 3)} ${org.slice(3, 6)} ${org.slice(6)}`,
      address: String(row.addressLine1 ?? ''),
      zip: String(row.postCode ?? ''),
      city: String(row.postalArea ?? '').toLowerCase(),
      country: 'Norway',
      phone: `+47 ${String(row.phone ?? '')}`,
      lifecyclestage: 'customer',
    });
    pairs.push({ crmId: company.id, associateNo: row.associateNo });
  }
  // One organization number on two HubSpot companies: reported as candidates, never guessed.
  const shared = erpCustomers[erpCustomers.length - 1];
  if (shared) {
    for (const suffix of ['', ' (avd. Drammen)'])
      crm.store.create('companies', {
        name: `${String(shared.name ?? '')}${suffix}`,
        org_number: String(shared.companyNo ?? ''),
        lifecyclestage: 'customer',
      });
  }
  // Invalid data: a wrong check digit in HubSpot, a malformed email in Business NXT.
  crm.store.create('companies', {
    name: 'Feil Orgnr AS',
    org_number: '123456789',
    lifecyclestage: 'customer',
  });
  const customer = erpCustomers[1];
  if (customer) {
    erp.store.insert({
      associateNo: erp.store.nextAssociateNo(),
      name: 'Kari Feilpost',
      emailAddress: 'kari.feilpost@@example',
      contactPersonForAssociateNo: customer.associateNo,
    });
  }

  const dir = mkdtempSync(join(tmpdir(), 'crm-sync-demo-'));
  const policyPath = join(dir, 'policy.json');
  writeFileSync(policyPath, JSON.stringify(demoPolicy, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HUBSPOT_ACCESS_TOKEN: crm.accessToken,
    HUBSPOT_BASE_URL: crm.baseUrl,
    VISMA_CLIENT_ID: erp.clientId,
    VISMA_CLIENT_SECRET: erp.clientSecret,
    VISMA_COMPANY_NO: String(erp.companyNo),
    VISMA_TOKEN_URL: erp.tokenUrl,
    VISMA_GRAPHQL_URL: erp.graphqlUrl,
    CRM_SYNC_STATE: join(dir, 'state.db'),
    CRM_SYNC_CONFIG: policyPath,
  };
  for (const name of ['VISMA_TENANT_ID', 'CRM_SYNC_HASH_KEY', 'VISMA_CUSTOMER_NUMBER_SERIES'])
    delete env[name];
  return {
    crm,
    erp,
    env,
    pairs,
    async close() {
      await Promise.all([crm.close(), erp.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function call(url: string, method: string, body?: unknown): Promise<void> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`demo edit ${method} ${url} answered ${response.status}`);
}

/** The edits "people" make between the cycles, and what each should lead to. */
export async function editBothSides(world: DemoWorld): Promise<string[]> {
  const [conflict, erpEdit, crmEdit, echo] = world.pairs;
  const done: string[] = [];
  const crmAdmin = world.crm.adminUrl;
  const erpAdmin = world.erp.adminUrl;
  if (conflict) {
    await call(`${crmAdmin}/companies/${conflict.crmId}`, 'PATCH', { phone: '+47 33 11 11 11' });
    await call(`${erpAdmin}/associates/${conflict.associateNo}`, 'PATCH', { phone: '33222222' });
    done.push(
      `phone changed differently in HubSpot ${conflict.crmId} and Business NXT ${conflict.associateNo}: a conflict (phone is "manual" in the demo policy)`,
    );
  }
  if (erpEdit) {
    await call(`${erpAdmin}/associates/${erpEdit.associateNo}`, 'PATCH', { addressLine1: 'Strandveien 50' });
    done.push(`address changed in Business NXT ${erpEdit.associateNo}: HubSpot ${erpEdit.crmId} is updated`);
  }
  if (crmEdit) {
    await call(`${crmAdmin}/companies/${crmEdit.crmId}`, 'PATCH', { city: 'Tønsberg', zip: '3110' });
    done.push(
      `city and postal code changed in HubSpot ${crmEdit.crmId}: Business NXT ${crmEdit.associateNo} is updated`,
    );
  }
  if (echo) {
    const record = world.crm.store.records.companies.get(echo.crmId);
    await call(`${crmAdmin}/companies/${echo.crmId}`, 'PATCH', {
      name: record?.properties.get('name') ?? '',
    });
    done.push(`HubSpot ${echo.crmId} saved without a change: read as changed, nothing written (echo)`);
  }
  // A new contact at a linked company: created in Business NXT under its customer.
  if (conflict) {
    const contact = world.crm.store.create('contacts', {
      firstname: 'Nora',
      lastname: 'Nyansatt',
      email: 'nora.nyansatt@example.no',
      mobilephone: '+47 912 34 567',
    });
    world.crm.store.associate('contacts', contact.id, 'companies', conflict.crmId, 1);
    done.push(`new HubSpot contact ${contact.id} at company ${conflict.crmId}: created as a contact person`);
  }
  // HubSpot's search index lags writes: give it its moment, as a real schedule would.
  await new Promise((resolve) => setTimeout(resolve, 600));
  return done;
}
