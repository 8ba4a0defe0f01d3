import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its function is the import's `default` property.
const addFormats = addFormatsModule.default;

/** Validates HTTP bodies against HubSpot's official OpenAPI documents (openapi/). For tests only. */
type Json = Record<string, unknown>;
interface Operation {
  readonly doc: Json;
  readonly operation: Json;
  readonly template: string;
}

const documents = ['companies.v3.json', 'contacts.v3.json', 'associations.v4.json', 'properties.v3.json'].map(
  (name) => JSON.parse(readFileSync(new URL(`../openapi/${name}`, import.meta.url), 'utf8')) as Json,
);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** The operation of HubSpot's official OpenAPI documents that a method and path belong to. */
function findOperation(method: string, path: string): Operation | null {
  for (const doc of documents) {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    for (const [template, operations] of Object.entries(paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/gu, '[^/]+')}$`, 'u');
      const operation = operations[method.toLowerCase()];
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
