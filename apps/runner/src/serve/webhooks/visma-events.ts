import { parseTableChange, type TableChange, type VismaNxtError } from '@port-service/visma-nxt';
import { err, ok, type Result } from 'neverthrow';
import type { InboxEvent } from '../inbox-event.js';
import { associateKeyNames } from './unconfirmed.js';

/** What a verified `TableChange` comes to: inbox events for an `Associate` change, or another table, ignored. */
export type VismaDelivery =
  | { readonly outcome: 'accepted'; readonly events: InboxEvent[] }
  | { readonly outcome: 'ignored'; readonly table: string };

export interface VismaRefusal {
  readonly outcome: 'malformed' | 'wrong-company';
  readonly reason: string;
}

const kinds: Record<TableChange['event'], InboxEvent['kind']> = {
  INSERT: 'created',
  UPDATE: 'changed',
  DELETE: 'deleted',
};

/** The associate numbers of the changed rows, or the key that is not one. */
function associateNumbers(change: TableChange): Result<string[], string> {
  const numbers: string[] = [];
  for (const [index, key] of change.primaryKeys.entries()) {
    const value = associateKeyNames.map((name) => key[name]).find((candidate) => candidate !== undefined);
    const text = String(value ?? '').trim();
    if (!/^\d+$/u.test(text))
      return err(`primaryKeys[${index}] has no associateNo (a whole number): ${JSON.stringify(key)}`);
    numbers.push(text);
  }
  return numbers.length > 0 ? ok(numbers) : err('primaryKeys is empty: no associate is named');
}

/**
 * Turns a verified Business NXT `TableChange` notification (https://docs.vismasoftware.no/businessnxtapi/webhooks)
 * into inbox events: one per changed `Associate` row, `entity` null (a customer or a contact person: the targeted
 * sync finds out). Other tables are ignored. `companyNo` must be the bound company (`null`: none bound yet, so
 * nothing to compare with). Redeliveries keep their body and so their `timestamp`; a notification without one is
 * keyed by when it arrived, so a later change is never mistaken for a redelivery.
 */
export function vismaInboxEvents(
  rawBody: string,
  boundCompanyNo: number | null,
  receivedAt: number,
): Result<VismaDelivery, VismaRefusal> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return err({
      outcome: 'malformed',
      reason: 'the Business NXT delivery is not JSON: expected a TableChange',
    });
  }
  const parsed = parseTableChange(json);
  if (parsed.isErr())
    return err({ outcome: 'malformed', reason: `${parsed.error.message}: ${issuesOf(parsed.error)}` });
  const change = parsed.value;
  if (change.tableIdentifier !== 'Associate')
    return ok({ outcome: 'ignored', table: change.tableIdentifier });
  if (boundCompanyNo !== null && change.companyNo !== boundCompanyNo) {
    return err({
      outcome: 'wrong-company',
      reason: `the TableChange for Associate is for company ${change.companyNo}, but this service is bound to company ${boundCompanyNo}`,
    });
  }
  const numbers = associateNumbers(change);
  if (numbers.isErr())
    return err({ outcome: 'malformed', reason: `the TableChange for Associate: ${numbers.error}` });
  const sentAt = change.timestamp === null ? Number.NaN : Date.parse(change.timestamp);
  const moment = change.timestamp ?? `received-${receivedAt}`;
  const events = numbers.value.map(
    (associateNo): InboxEvent => ({
      system: 'visma-nxt',
      dedupeKey: ['visma-nxt', change.companyNo, 'Associate', associateNo, change.event, moment].join(':'),
      entity: null,
      recordId: associateNo,
      kind: kinds[change.event],
      occurredAt: Number.isFinite(sentAt) ? new Date(sentAt).toISOString() : null,
      ownEcho: false,
      related: [],
    }),
  );
  return ok({ outcome: 'accepted', events });
}

function issuesOf(error: VismaNxtError): string {
  return (error.kind === 'validation' ? error.issues.join('; ') : '') || 'no details';
}
