import { type HubSpotError, syncPropertySpecs } from '@port-service/hubspot';
import { customerDefaultColumns } from '@port-service/visma-nxt';
import { loadConfig } from '../config/config.js';
import { nodeConfigSources } from '../config/node-sources.js';
import { checkBinding } from '../engine/binding.js';
import { ConfigurationError, exitCodes, type GlobalOptions, openRuntime, type Runtime } from './runtime.js';

/** The write scopes the sync needs; doctor cannot check them without writing. */
const writeScopes = {
  objects: ['crm.objects.companies.write', 'crm.objects.contacts.write'],
  schemas: ['crm.schemas.companies.write', 'crm.schemas.contacts.write'],
} as const;

/** What to do about scopes the HubSpot credential lacks, naming each one. */
export function missingScopesFix(scopes: readonly string[]): string {
  return `the Service Key (or private app) lacks the scope(s) ${scopes.join(', ')}: add them in HubSpot under Settings → Integrations → Service Keys, then rerun doctor`;
}

/**
 * `crm-sync doctor`: checks configuration, state and the account and company it is bound to, credentials, company
 * access, HubSpot scopes and properties and the Business NXT schema, one line each: `ok` or `FAIL` with what to do.
 * HubSpot's read scopes are checked one cheap read each; its write scopes only get a `note` (checking them would
 * take a write).
 */
export async function doctorCommand(options: GlobalOptions, write: (text: string) => void): Promise<number> {
  const loaded = loadConfig(nodeConfigSources());
  if (!loaded.ok) {
    for (const problem of loaded.errors) write(`FAIL configuration: ${problem}`);
    return exitCodes.configuration;
  }
  let failed = false;
  const line = (ok: boolean, what: string, fix?: string) => {
    if (!ok) failed = true;
    write(ok ? `ok   ${what}` : `FAIL ${what}${fix ? `\n     → ${fix}` : ''}`);
  };
  const { config } = loaded;
  line(
    true,
    `configuration (HubSpot ${config.hubspot.baseUrl}, Business NXT ${config.visma.graphqlUrl}, company ${config.visma.companyNo})`,
  );
  let runtime: Runtime;
  try {
    runtime = await openRuntime(options);
  } catch (error) {
    // A configuration error names the path and what to do already.
    if (error instanceof ConfigurationError) for (const problem of error.problems) line(false, problem);
    else
      line(
        false,
        `state store ${config.statePath}: ${error instanceof Error ? error.message : String(error)}`,
        'check CRM_SYNC_STATE points at a writable place',
      );
    return exitCodes.configuration;
  }
  let misbound = false;
  try {
    line(true, `state store ${config.statePath} (fingerprint key: ${config.hashKeySource})`);
    const { hubspot, visma } = runtime.clients;

    const binding = await checkBinding(runtime, { record: false });
    if (binding.isErr()) {
      misbound = binding.error.kind === 'mismatch';
      line(
        false,
        `state binding: ${binding.error.message}`,
        binding.error.kind === 'hubspot' ? 'check HUBSPOT_ACCESS_TOKEN and HUBSPOT_BASE_URL' : undefined,
      );
    } else {
      const { current, account } = binding.value;
      line(
        true,
        `HubSpot account: portal ${current.hubspotPortalId}${account.accountType ? ` (${account.accountType}${account.uiDomain ? `, ${account.uiDomain}` : ''})` : ''}`,
      );
      line(
        true,
        binding.value.kind === 'unbound'
          ? `state binding: not bound yet: the first run records HubSpot portal ${current.hubspotPortalId} and Business NXT company ${current.vismaCompanyNo}`
          : `state binding: bound to HubSpot portal ${binding.value.binding.hubspotPortalId} and Business NXT company ${binding.value.binding.vismaCompanyNo} since ${binding.value.binding.boundAt}`,
      );
    }

    const companies = await visma.availableCompanies();
    if (companies.isErr()) {
      line(
        false,
        `Business NXT credentials: ${companies.error.message}`,
        'check VISMA_CLIENT_ID / VISMA_CLIENT_SECRET (and VISMA_TENANT_ID) and that the application is approved for the company',
      );
    } else {
      line(true, 'Business NXT credentials (token issued)');
      const company = companies.value.find((item) => item.vismaNetCompanyId === config.visma.companyNo);
      line(
        company !== undefined,
        `Business NXT company ${config.visma.companyNo}${company ? ` (${company.name})` : ' is not available to this application'}`,
        `set VISMA_COMPANY_NO to one of: ${companies.value.map((item) => `${item.vismaNetCompanyId} (${item.name})`).join(', ') || 'none: grant the application access in Visma'}`,
      );
      const defaultColumns = Object.keys(config.policy.customers.createDefaults);
      const schema = await visma.checkSchema({ createColumns: defaultColumns });
      if (schema.isErr()) line(false, `Business NXT schema check: ${schema.error.message}`);
      else {
        const { missing, contactCustomer, missingCreateColumns } = schema.value;
        line(
          missing.length === 0,
          missing.length === 0
            ? 'Business NXT schema: every field the sync uses exists'
            : `Business NXT schema: missing ${missing.join(', ')}`,
          'correct the field names in @port-service/visma-nxt src/unconfirmed.ts (or the client fieldNames option)',
        );
        // The one UNCONFIRMED link: which column of a contact person holds its customer's associate number.
        const column = contactCustomer.column;
        line(
          contactCustomer.problems.length === 0,
          contactCustomer.problems.length === 0
            ? `Business NXT contact person's customer column ${column} (VISMA_CONTACT_CUSTOMER_COLUMN): on Associate, Associate_Input and FilterExpression_Associate`
            : `Business NXT contact person's customer column ${column} (VISMA_CONTACT_CUSTOMER_COLUMN): ${contactCustomer.problems.join('; ')}`,
          `find the Associate column of a contact person that holds its customer's associate number ("Kontaktpers. for" in Visma Business) in the live schema, and set VISMA_CONTACT_CUSTOMER_COLUMN to its name (docs/OPERATION.md, "doctor")`,
        );
        if (defaultColumns.length > 0)
          line(
            missingCreateColumns.length === 0,
            missingCreateColumns.length === 0
              ? `policy customers.createDefaults: Business NXT has every column (${defaultColumns.join(', ')}) on Associate_Input`
              : missingCreateColumns
                  .map(
                    (name) =>
                      `policy customers.createDefaults: Business NXT has no column ${name} on Associate (Associate_Input)`,
                  )
                  .join('; '),
            `correct or remove ${missingCreateColumns.join(', ')} under customers.createDefaults in the policy file (CRM_SYNC_CONFIG): each key must be an Associate_Input column's GraphQL name (usual ones, UNCONFIRMED: ${Object.values(customerDefaultColumns).join(', ')})`,
          );
      }
    }

    // One cheap read per scope the sync needs: the property definitions (crm.schemas.<type>.read, read by the
    // preflight of every cycle) and a search of one record (crm.objects.<type>.read: the incremental reads,
    // lookups and associations). Write scopes cannot be checked without writing, and doctor writes nothing.
    const specs = syncPropertySpecs(config.policy.hubspotProperties);
    const scopeProblem = (error: HubSpotError, scope: string): string => {
      if (error.kind !== 'auth') return 'check HUBSPOT_BASE_URL and that HubSpot answers';
      if (error.status === 401)
        return 'check HUBSPOT_ACCESS_TOKEN: a HubSpot Service Key (or legacy private app token) that is still valid';
      // HubSpot's 403 names the scopes the call accepts; a short list is named too (a long one lists every
      // alternative HubSpot would take).
      const named = error.requiredScopes.length <= 3 ? error.requiredScopes : [];
      return missingScopesFix([...new Set([scope, ...named])]);
    };
    for (const type of ['companies', 'contacts'] as const) {
      const schemasRead = `crm.schemas.${type}.read`;
      const listed = await hubspot.properties.list(type);
      if (listed.isErr()) {
        line(
          false,
          `HubSpot ${type} property definitions (${schemasRead}): ${listed.error.message}`,
          scopeProblem(listed.error, schemasRead),
        );
      } else {
        line(true, `HubSpot ${type} property definitions (${schemasRead})`);
        const byName = new Map(listed.value.map((property) => [property.name, property]));
        const missing = specs[type].filter((spec) => !byName.has(spec.name)).map((spec) => spec.name);
        const notUnique = specs[type]
          .filter(
            (spec) => spec.hasUniqueValue && byName.has(spec.name) && !byName.get(spec.name)?.hasUniqueValue,
          )
          .map((spec) => spec.name);
        line(
          missing.length === 0 && notUnique.length === 0,
          missing.length > 0
            ? `HubSpot ${type} properties: missing ${missing.join(', ')}`
            : notUnique.length > 0
              ? `HubSpot ${type} properties: ${notUnique.join(', ')} must have unique values`
              : `HubSpot ${type} properties: all present`,
          missing.length > 0
            ? 'run `crm-sync setup`'
            : 'recreate these properties with "unique values" (HubSpot cannot change it)',
        );
      }
      const objectsRead = `crm.objects.${type}.read`;
      const searched = await hubspot[type].latestModified();
      line(
        searched.isOk(),
        `HubSpot ${type} records and search (${objectsRead})${searched.isErr() ? `: ${searched.error.message}` : ''}`,
        searched.isErr() ? scopeProblem(searched.error, objectsRead) : undefined,
      );
    }
    write(
      `note HubSpot write scopes are checked at the first write, not here (doctor writes nothing): \`crm-sync run\` needs ${writeScopes.objects.join(' and ')}, \`crm-sync setup\` ${writeScopes.schemas.join(' and ')}`,
    );
  } finally {
    await runtime.close();
  }
  // A state bound to another account or company is a configuration error, as every other command reports it.
  if (misbound) return exitCodes.configuration;
  return failed ? exitCodes.cycleFailed : exitCodes.clean;
}
