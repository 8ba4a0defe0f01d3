#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startVismaNxtSimulator } from './visma-nxt/server.js';

const usage = `Usage: crm-simulators visma-nxt [--port <n>] [--seed <s>] [--customers <n>]
       crm-simulators hubspot [--port <n>] [--seed <s>] [--companies <n>]

Starts a local simulator, prints one JSON line with its URLs and credentials, and serves until stopped
(Ctrl-C or SIGTERM).`;

async function main(): Promise<number> {
  const [system, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      customers: { type: 'string', default: '0' },
      companies: { type: 'string', default: '0' },
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
  if (system !== 'visma-nxt') {
    console.error(
      `crm-simulators: unknown simulator "${system}" (available: visma-nxt; hubspot arrives with issue 4)`,
    );
    return 2;
  }
  const simulator = await startVismaNxtSimulator({ port, seed, customers: Number(values.customers) });
  console.log(
    JSON.stringify({
      tokenUrl: simulator.tokenUrl,
      graphqlUrl: simulator.graphqlUrl,
      clientId: simulator.clientId,
      clientSecret: simulator.clientSecret,
      companyNo: simulator.companyNo,
      adminUrl: simulator.adminUrl,
    }),
  );
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
