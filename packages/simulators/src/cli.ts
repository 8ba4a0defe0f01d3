#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { hubspotCliOptions } from './hubspot/cli-options.js';
import { startHubSpotSimulator } from './hubspot/server.js';
import { startVismaNxtSimulator } from './visma-nxt/server.js';

const usage = `Usage: crm-simulators visma-nxt [--port <n>] [--seed <s>] [--customers <n>] [--time-zone <zone>]
       crm-simulators hubspot [--port <n>] [--seed <s>] [--companies <n>] [--portal-id <n>]
                              [--search-lag-ms <n>] [--scopes <scope,scope,...>]

Starts a local simulator, prints one JSON line with its URLs and credentials, and serves until stopped
(Ctrl-C or SIGTERM).

visma-nxt:
  --time-zone <zone>    the server's IANA time zone: DateTime values are its local time without a zone,
                        daylight saving included (default Europe/Oslo)

hubspot:
  --search-lag-ms <n>   writes reach search only after n milliseconds (default 0)
  --scopes <list>       the token's scopes, comma-separated (e.g. crm.objects.contacts.read); a call needing
                        another answers 403 MISSING_SCOPES (default: every scope)
  Both can be changed while running: POST {adminUrl}/settings {"searchLagMs": n, "scopes": [...] | null}.`;

async function main(): Promise<number> {
  const [system, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      customers: { type: 'string', default: '0' },
      companies: { type: 'string', default: '0' },
      'portal-id': { type: 'string', default: '1234567' },
      'search-lag-ms': { type: 'string', default: '0' },
      'time-zone': { type: 'string', default: 'Europe/Oslo' },
      scopes: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || system === undefined || system === '--help') {
    console.log(usage);
    return system === undefined ? 2 : 0;
  }
  const port = Number(values.port);
  const seed = Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || !Number.isInteger(seed)) {
    console.error('crm-simulators: --port and --seed take whole numbers');
    return 2;
  }
  const portalId = Number(values['portal-id']);
  if (!Number.isInteger(portalId) || portalId <= 0) {
    console.error('crm-simulators: --portal-id takes a positive whole number');
    return 2;
  }
  let simulator: { close(): Promise<void> };
  if (system === 'visma-nxt') {
    const timeZone = values['time-zone'];
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      console.error(
        `crm-simulators: --time-zone takes an IANA time zone (e.g. Europe/Oslo), got "${timeZone}"`,
      );
      return 2;
    }
    const erp = await startVismaNxtSimulator({ port, seed, customers: Number(values.customers), timeZone });
    simulator = erp;
    console.log(
      JSON.stringify({
        tokenUrl: erp.tokenUrl,
        graphqlUrl: erp.graphqlUrl,
        clientId: erp.clientId,
        clientSecret: erp.clientSecret,
        companyNo: erp.companyNo,
        adminUrl: erp.adminUrl,
      }),
    );
  } else if (system === 'hubspot') {
    const settings = hubspotCliOptions(values);
    if (typeof settings === 'string') {
      console.error(`crm-simulators: ${settings}`);
      return 2;
    }
    const crm = await startHubSpotSimulator({
      port,
      seed,
      companies: Number(values.companies),
      portalId,
      ...settings,
    });
    simulator = crm;
    console.log(
      JSON.stringify({
        baseUrl: crm.baseUrl,
        accessToken: crm.accessToken,
        portalId: crm.portalId,
        adminUrl: crm.adminUrl,
      }),
    );
  } else {
    console.error(`crm-simulators: unknown simulator "${system}" (available: visma-nxt, hubspot)`);
    return 2;
  }

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await simulator.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`crm-simulators: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
