import type { ObjectType, PropertyDefinition } from './properties.js';

/**
 * One refused value, as HubSpot reports it: the property, a code and a message
 * (https://developers.hubspot.com/docs/api-reference/error-handling). HubSpot puts the list of them in the message
 * (`Property values were not valid: [{"isValid":false,"message":…,"error":CODE,"name":property}]`) and in
 * `errors[]` (`{message, code, context: {propertyName: [property]}}`), as answers quoted in public issues show.
 */
export interface ValueProblem {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  /** More context for `errors[].context` (e.g. which portal rule refused it). */
  readonly context?: Readonly<Record<string, string[]>>;
}

/**
 * A validation rule configured by the portal's admins (HubSpot: Settings → Properties → validation rules, also
 * https://developers.hubspot.com/docs/api-reference/latest/crm/property-validations/guide). From 2026-09 HubSpot
 * enforces them on every CRM create and update; the simulator knows two kinds.
 */
export interface PortalValidationRule {
  readonly property: string;
  /** The property must have a value on create, and cannot be cleared (`""`) on update. */
  readonly required?: boolean | undefined;
  /** A regular expression (JavaScript syntax, unanchored unless anchored) each written non-empty value must match. */
  readonly pattern?: string | undefined;
  /** The message of a refusal; a default one names the property and the rule. */
  readonly message?: string | undefined;
}

export type PortalValidationRules = Partial<Record<ObjectType, readonly PortalValidationRule[]>>;

// Codes of refused portal rules. HubSpot does not document the code a refused portal validation rule answers with:
// UNCONFIRMED, both. The category (VALIDATION_ERROR) and the body's shape are HubSpot's documented ones.
const requiredCode = 'REQUIRED_PROPERTY';
const formatCode = 'INVALID_FORMAT';

// HubSpot checks an email's format (RFC 2822, no quotes in the local part, a known top-level domain), not whether
// it exists (https://community.hubspot.com/t5/APIs-Integrations/contacts-integration-invalid-e-mails/td-p/833439).
// The simulator checks the shape and a top-level domain of letters, not the list of known ones.
const emailShape = /^[^\s@"(),:;<>[\]\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,63}$/u;
// HubSpot refuses exponents too ("1.4210854715202004e-14 was not a valid number", code INVALID_INTEGER).
const numberShape = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/u;

function emailLike(definition: PropertyDefinition): boolean {
  return definition.name === 'email' || definition.fieldType === 'email';
}

/**
 * Values that do not fit their property's definition (unknown and read-only properties are the store's to refuse).
 * `""` clears a value and is always accepted.
 */
export function invalidValues(
  definitions: ReadonlyMap<string, PropertyDefinition>,
  properties: Readonly<Record<string, string>>,
): ValueProblem[] {
  const problems: ValueProblem[] = [];
  for (const [name, value] of Object.entries(properties)) {
    const definition = definitions.get(name);
    if (definition === undefined || value === '') continue;
    if (emailLike(definition) && !emailShape.test(value)) {
      problems.push({ name, code: 'INVALID_EMAIL', message: `Email address ${value} is invalid` });
    } else if (definition.type === 'number' && !numberShape.test(value)) {
      // INVALID_INTEGER is the code HubSpot answered for a `number` property's value in a public issue
      // (Atlas-Authority/marketing-automation#206) and among the VALIDATION_ERROR codes listed from
      // https://developers.hubspot.com/docs/api-reference/error-handling; that plain text gets the same code (and not
      // e.g. INVALID_DECIMAL) is UNCONFIRMED.
      problems.push({ name, code: 'INVALID_INTEGER', message: `${value} was not a valid number.` });
    } else if (definition.type === 'enumeration' && definition.options !== undefined) {
      const allowed = new Set(definition.options.map((option) => option.value));
      // Multiple checkboxes take `;`-separated values; a leading `;` appends:
      // https://developers.hubspot.com/docs/api-reference/legacy/crm/properties/guide
      const values = definition.fieldType === 'checkbox' ? value.split(';').filter((v) => v !== '') : [value];
      const wrong = values.find((one) => !allowed.has(one));
      if (wrong !== undefined) {
        problems.push({
          name,
          code: 'INVALID_OPTION',
          message: `${wrong} was not one of the allowed options: [${[...allowed].join(', ')}]`,
        });
      }
    }
  }
  return problems;
}

/**
 * Values the portal's own validation rules refuse. Applied to the date-based API (2026-09) only: HubSpot
 * announced the enforcement with that version; whether v3 enforces them too is not documented.
 */
export function portalRuleProblems(
  rules: readonly PortalValidationRule[],
  properties: Readonly<Record<string, string>>,
  creating: boolean,
): ValueProblem[] {
  const problems: ValueProblem[] = [];
  for (const rule of rules) {
    const value = properties[rule.property];
    const missing = creating ? value === undefined || value === '' : value === '';
    if (rule.required && missing) {
      problems.push({
        name: rule.property,
        code: requiredCode,
        message: rule.message ?? `Property "${rule.property}" is required by this account's validation rules`,
        context: { rule: ['required'] },
      });
    } else if (
      rule.pattern !== undefined &&
      value !== undefined &&
      value !== '' &&
      !new RegExp(rule.pattern, 'u').test(value)
    ) {
      problems.push({
        name: rule.property,
        code: formatCode,
        message:
          rule.message ??
          `${value} does not match the validation rule of property "${rule.property}" (${rule.pattern})`,
        context: { rule: ['pattern'], pattern: [rule.pattern] },
      });
    }
  }
  return problems;
}

/** Reads admin input as rules: a list per object type, each with a property name and a valid pattern if any. */
export function parseRules(input: unknown): PortalValidationRules | string {
  if (typeof input !== 'object' || input === null) return 'Expected {companies?: [...], contacts?: [...]}';
  const rules: Partial<Record<ObjectType, PortalValidationRule[]>> = {};
  for (const [type, list] of Object.entries(input)) {
    if (type !== 'companies' && type !== 'contacts') return `Unknown object type "${type}"`;
    if (!Array.isArray(list)) return `${type}: expected a list of rules`;
    const parsed: PortalValidationRule[] = [];
    for (const entry of list as unknown[]) {
      const rule = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      if (typeof rule.property !== 'string' || rule.property === '')
        return `${type}: every rule needs a property`;
      if (rule.pattern !== undefined) {
        if (typeof rule.pattern !== 'string') return `${type}.${rule.property}: pattern must be a string`;
        try {
          new RegExp(rule.pattern, 'u');
        } catch {
          return `${type}.${rule.property}: pattern is not a valid regular expression`;
        }
      }
      parsed.push({
        property: rule.property,
        required: rule.required === true,
        pattern: typeof rule.pattern === 'string' ? rule.pattern : undefined,
        message: typeof rule.message === 'string' ? rule.message : undefined,
      });
    }
    rules[type] = parsed;
  }
  return rules;
}

/** HubSpot's message and `errors` for refused values (the rest of the body is the usual error's). */
export function validationFailure(problems: readonly ValueProblem[]): {
  message: string;
  errors: Array<{ message: string; code: string; context: Record<string, string[]> }>;
} {
  const results = problems.map((problem) => ({
    isValid: false,
    message: problem.message,
    error: problem.code,
    name: problem.name,
  }));
  return {
    message: `Property values were not valid: ${JSON.stringify(results)}`,
    errors: problems.map((problem) => ({
      message: problem.message,
      code: problem.code,
      context: { propertyName: [problem.name], ...problem.context },
    })),
  };
}
