import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its function is the import's `default` property.
const addFormats = addFormatsModule.default;

/**
 * Validates HTTP bodies against HubSpot's official OpenAPI documents. For tests only.
 *
 * The documents are proprietary to HubSpot and not licensed for redistribution (the README of
 * https://github.com/HubSpot/HubSpot-public-api-spec-collection), so this repository keeps no copy: they are read
 * from the folder `HUBSPOT_OPENAPI_DIR` names, or else from `reference/hubspot-openapi/` in the `shared` folder
 * beside the repository's checkout, where the team's machines and CI keep them (see docs/ARCHITECTURE.md,
 * "HubSpot's API documents in tests"). Where neither exists, `hubspotDocumentsAvailable` is false and the tests
 * that need the documents skip, saying why.
 */
type Json = Record<string, unknown>;
interface Operation {
  readonly doc: Json;
  readonly operation: Json;
  readonly template: string;
}

/** The documents: the date-based version the client speaks, and the legacy v3/v4 ones the simulator also serves. */
const documentFiles = [
  '2026-09/companies.json',
  '2026-09/contacts.json',
  '2026-09/associations.json',
  '2026-09/associations-schema.json',
  '2026-09/properties.json',
  'companies.v3.json',
  'contacts.v3.json',
  'associations.v4.json',
  'properties.v3.json',
];

function repositoryRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'pnpm-workspace.yaml'))) {
    const parent = dirname(folder);
    if (parent === folder) return process.cwd();
    folder = parent;
  }
  return folder;
}

/** Where the documents are looked for. */
export const hubspotDocumentsFolder: string =
  process.env.HUBSPOT_OPENAPI_DIR ?? resolve(repositoryRoot(), '../shared/reference/hubspot-openapi');

/** Whether HubSpot's documents are on this machine (every one of them). */
export const hubspotDocumentsAvailable: boolean = documentFiles.every((name) =>
  existsSync(join(hubspotDocumentsFolder, name)),
);

/** Why document checks are skipped here, for test names. */
export const hubspotDocumentsSkipReason = `HubSpot's OpenAPI documents are not in ${hubspotDocumentsFolder} (set HUBSPOT_OPENAPI_DIR)`;

interface Document {
  readonly name: string;
  readonly doc: Json;
  /** Templates of this document, the most literal first, with the pattern each matches. */
  readonly templates: ReadonlyArray<{ template: string; pattern: RegExp }>;
}

let loaded: Document[] | null = null;

function documents(): Document[] {
  if (loaded !== null) return loaded;
  if (!hubspotDocumentsAvailable) throw new Error(hubspotDocumentsSkipReason);
  loaded = documentFiles.map((name) => {
    const doc = JSON.parse(readFileSync(join(hubspotDocumentsFolder, name), 'utf8')) as Json;
    const templates = Object.keys(doc.paths as Json)
      .sort((a, b) => (a.match(/\{/gu)?.length ?? 0) - (b.match(/\{/gu)?.length ?? 0))
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/gu, '[^/]+')}$`, 'u'),
      }));
    return { name, doc, templates };
  });
  return loaded;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/**
 * The operation of HubSpot's documents that a method and path belong to. The 2026-09 companies and contacts
 * documents share their templates (`/crm/objects/2026-09/{objectType}/…`), so the one named by the path's object
 * type is asked first.
 */
function findOperation(method: string, path: string): Operation | null {
  const type = /^\/crm\/objects\/[^/]+\/([^/]+)/u.exec(path)?.[1];
  const ordered = [...documents()].sort(
    (a, b) => Number(b.name.endsWith(`/${type}.json`)) - Number(a.name.endsWith(`/${type}.json`)),
  );
  for (const { doc, templates } of ordered) {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    for (const { template, pattern } of templates) {
      const operation = paths[template]?.[method.toLowerCase()];
      if (operation && pattern.test(path)) return { doc, operation, template };
    }
  }
  return null;
}

function validatorFor(key: string, doc: Json, schema: Json): ValidateFunction {
  const known = compiled.get(key);
  if (known) return known;
  // Relative $refs ('#/components/schemas/X') resolve against a root that carries the document's components.
  const validate = ajv.compile({ ...schema, components: doc.components });
  compiled.set(key, validate);
  return validate;
}

function describe(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((error) =>
    `${error.instancePath || '(root)'} ${error.message ?? ''}`.trim(),
  );
}

/** The documented path template a call belongs to (e.g. `/crm/objects/2026-09/{objectType}/batch/read`), or null. */
export function documentedTemplate(method: string, path: string): string | null {
  return findOperation(method, path)?.template ?? null;
}

/** Violations of the request body schema for this call; empty when it conforms (or has no body schema). */
export function validateRequest(method: string, path: string, body: unknown): string[] {
  const found = findOperation(method, path);
  if (found === null) return [`no operation ${method} ${path} in HubSpot's OpenAPI documents`];
  const schema = (
    (found.operation.requestBody as Json | undefined)?.content as Record<string, Json> | undefined
  )?.['application/json']?.schema as Json | undefined;
  if (schema === undefined)
    return body === undefined || body === '' ? [] : [`${method} ${found.template} takes no body`];
  const validate = validatorFor(`request ${method} ${found.template}`, found.doc, schema);
  return validate(body) ? [] : describe(validate).map((message) => `request ${method} ${path}: ${message}`);
}

/** Violations of the documented response schema for this status (or `default`); empty when it conforms. */
export function validateResponse(method: string, path: string, status: number, body: unknown): string[] {
  const found = findOperation(method, path);
  if (found === null) return [`no operation ${method} ${path} in HubSpot's OpenAPI documents`];
  const responses = found.operation.responses as Record<string, Json>;
  let response = responses[String(status)] ?? responses.default;
  if (response?.$ref) {
    const name = String(response.$ref).split('/').pop() ?? '';
    response = ((found.doc.components as Json).responses as Record<string, Json>)[name];
  }
  const content = response?.content as Record<string, Json> | undefined;
  const schema = (content?.['application/json'] ?? content?.['*/*'])?.schema as Json | undefined;
  // No documented body (204, or a status without content): nothing to check.
  if (schema === undefined) return [];
  const validate = validatorFor(`response ${method} ${found.template} ${status}`, found.doc, schema);
  return validate(body)
    ? []
    : describe(validate).map((message) => `response ${status} ${method} ${path}: ${message}`);
}
