import type { ObjectType } from './properties.js';
import type { HubSpotRecord } from './store.js';

export interface SearchFilter {
  readonly propertyName: string;
  readonly operator: string;
  readonly value?: string | number | boolean | null;
  readonly highValue?: string | number | null;
  readonly values?: ReadonlyArray<string | number> | null;
}

const datePattern = /^\d{4}-\d{2}-\d{2}T/u;

/** A property value as search compares it: numbers and dates as numbers (epoch ms), text without case. */
function comparable(record: HubSpotRecord, property: string): string | number | undefined {
  const raw = property === 'hs_object_id' ? record.id : record.properties.get(property);
  if (raw === undefined) return undefined;
  if (datePattern.test(raw)) return Date.parse(raw);
  if (/^-?\d+(\.\d+)?$/u.test(raw)) return Number(raw);
  return raw.toLowerCase();
}

function operand(value: unknown): string | number {
  const text = String(value);
  if (/^-?\d+(\.\d+)?$/u.test(text)) return Number(text);
  if (datePattern.test(text)) return Date.parse(text);
  return text.toLowerCase();
}

/** One filter, with the operators of https://developers.hubspot.com/docs/api-reference/search/guide */
export function matchesFilter(record: HubSpotRecord, filter: SearchFilter): boolean {
  const value = comparable(record, filter.propertyName);
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return value !== undefined;
    case 'NOT_HAS_PROPERTY':
      return value === undefined;
    case 'IN':
      return value !== undefined && (filter.values ?? []).map(operand).includes(value);
    case 'NOT_IN':
      return value === undefined || !(filter.values ?? []).map(operand).includes(value);
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const pattern = new RegExp(
        `^${String(filter.value ?? '')
          .toLowerCase()
          .replace(/[.+?^${}()|[\]\\]/gu, '\\$&')
          .replace(/\*/gu, '.*')}$`,
        'u',
      );
      const tokens = String(value ?? '').split(/[\s@.,;]+/u);
      const found =
        value !== undefined && (pattern.test(String(value)) || tokens.some((token) => pattern.test(token)));
      return filter.operator === 'CONTAINS_TOKEN' ? found : !found;
    }
  }
  if (value === undefined) return filter.operator === 'NEQ';
  const target = operand(filter.value);
  switch (filter.operator) {
    case 'EQ':
      return value === target;
    case 'NEQ':
      return value !== target;
    case 'LT':
      return value < target;
    case 'LTE':
      return value <= target;
    case 'GT':
      return value > target;
    case 'GTE':
      return value >= target;
    case 'BETWEEN':
      return value >= target && value <= operand(filter.highValue);
    default:
      return false;
  }
}

/** The one sort HubSpot applies: `"prop"` / `"-prop"` strings or `{ propertyName, direction }` objects. */
export function sortSpec(sorts: unknown): { property: string; descending: boolean } | null {
  const [first] = Array.isArray(sorts) ? sorts : [];
  if (typeof first === 'string')
    return first.startsWith('-')
      ? { property: first.slice(1), descending: true }
      : { property: first, descending: false };
  if (typeof first === 'object' && first !== null && 'propertyName' in first) {
    const spec = first as { propertyName: string; direction?: string };
    return { property: spec.propertyName, descending: spec.direction === 'DESCENDING' };
  }
  return null;
}

export function compareBy(property: string, descending: boolean) {
  return (a: HubSpotRecord, b: HubSpotRecord): number => {
    const left = comparable(a, property);
    const right = comparable(b, property);
    const order =
      left === right
        ? Number(a.id) - Number(b.id)
        : left === undefined
          ? 1
          : right === undefined
            ? -1
            : left < right
              ? -1
              : 1;
    return descending ? -order : order;
  };
}

/**
 * The properties a search `query` looks in ("Search default searchable properties",
 * https://developers.hubspot.com/docs/api-reference/search/guide).
 */
const searchable: Record<ObjectType, readonly string[]> = {
  companies: ['name', 'domain', 'website', 'phone'],
  contacts: [
    'firstname',
    'lastname',
    'email',
    'phone',
    'mobilephone',
    'company',
    'fax',
    'hs_additional_emails',
  ],
};

/**
 * HubSpot's free-text `query` (https://developers.hubspot.com/docs/api-reference/search/guide): every word of it,
 * without case, must begin a word of one of the default searchable properties (`kari` finds `Kari`, `example.no`
 * finds `kari@example.no`). HubSpot's own tokenizer is not documented; this is a token prefix match.
 */
export function matchesQuery(record: HubSpotRecord, query: string): boolean {
  const words = query
    .toLowerCase()
    .split(/\s+/u)
    .filter((word) => word !== '');
  if (words.length === 0) return true;
  const starts: string[] = [];
  for (const name of searchable[record.type]) {
    const value = record.properties.get(name)?.toLowerCase();
    if (value === undefined) continue;
    // The rest of the value from the start of each of its words: a word matches at any word boundary.
    for (const word of value.matchAll(/[\p{L}\p{N}]+/gu)) starts.push(value.slice(word.index));
    starts.push(value);
  }
  return words.every((word) => starts.some((start) => start.startsWith(word)));
}
