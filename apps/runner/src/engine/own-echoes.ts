import {
  type AssociateInput,
  associateToContact,
  associateToCustomer,
  compareKey,
  contactSyncFields,
  createFingerprinter,
  customerSyncFields,
  type Entity,
  type Fingerprinter,
  type SyncPolicy,
} from '@port-service/mapping';
import { isServiceUser } from '@port-service/visma-nxt';
import type { StoredLink } from '../state/state-store.js';
import type { EntityRun } from './entity-run.js';

/** What tells the sync's own writes apart when they come back from Business NXT as changed rows. */
export interface OwnEchoContext {
  readonly entity: Entity;
  /** The sync's Business NXT user: its service application's client id (`VISMA_CLIENT_ID`). */
  readonly clientId: string;
  readonly policy: SyncPolicy;
  /** Keyed with the installation's secret, as the planner's (`planSync`'s `fingerprintKey`). */
  readonly fingerprint: Fingerprinter;
  /** `system:id` of records with an open error (held, failed): they always go the normal way. */
  readonly openErrors: ReadonlySet<string>;
}

/** The context of one entity's passes: its client id, policy, fingerprint key and open errors. */
export function ownEchoContextOf(run: EntityRun): OwnEchoContext {
  const { config } = run.cycle.dependencies;
  return {
    entity: run.entity,
    clientId: config.visma.clientId,
    policy: config.policy,
    fingerprint: createFingerprinter(config.hashKey),
    openErrors: run.erroredKeys,
  };
}

// Where a contact link keeps its customer's print (the planner's `customerRelationField`, plan-contacts.ts).
const customerRelationField = 'customer';

/**
 * Whether every synced field of the row has the print its link recorded, computed as the planner computes the
 * Business NXT side (the row mapped and normalized, each value's compare key, keyed per field), and for a contact
 * person its customer too. A row with a field the mapping rejects never matches.
 */
function matchesRecordedPrints(row: AssociateInput, link: StoredLink, context: OwnEchoContext): boolean {
  const { policy, fingerprint } = context;
  const recorded = link.fingerprints;
  const same = (field: string, value: string | null) =>
    recorded[field] !== undefined && fingerprint(field, compareKey(field, value)) === recorded[field];
  if (context.entity === 'customer') {
    const { record, issues } = associateToCustomer(row);
    if (issues.length > 0) return false;
    return customerSyncFields.every(
      (field) => policy.customers.fields[field].direction === 'none' || same(field, record[field]),
    );
  }
  const { record, issues } = associateToContact(row);
  if (issues.length > 0) return false;
  const fields = contactSyncFields.every(
    (field) => policy.contacts.fields[field].direction === 'none' || same(field, record[field]),
  );
  const parent = record.customerActorNo;
  const customer =
    policy.contacts.customer.direction === 'none' ||
    parent === null ||
    same(customerRelationField, String(parent));
  return fields && customer;
}

/**
 * Whether a Business NXT row read as changed is the sync's own write coming back (its echo), so planning it
 * would plan nothing: the row's last change was made by this application (`changedByUser`), it has an active
 * link, neither of its records has an open error, and every synced field still has the value the link recorded.
 * The fingerprints are the backstop: a row this application changed whose values differ from what it recorded
 * (a partial write, an ERP trigger, a person's edit between the sync's read and write) is not an echo, and a row
 * anyone else changed never is, even with the same values. What HubSpot changed meanwhile is read by HubSpot's own
 * pass, from its own watermark.
 */
export function isOwnErpEcho(
  row: AssociateInput,
  link: StoredLink | undefined,
  context: OwnEchoContext,
): boolean {
  if (link === undefined || link.status !== 'active' || link.associateNo !== row.associateNo) return false;
  // Business NXT names this application as the row's last writer (`isServiceUser`, UNCONFIRMED on case).
  if (!isServiceUser(row.changedByUser, context.clientId)) return false;
  if (
    context.openErrors.has(`visma-nxt:${row.associateNo}`) ||
    context.openErrors.has(`hubspot:${link.crmId}`)
  )
    return false;
  return matchesRecordedPrints(row, link, context);
}

/** Rows and their links with the sync's own echoes set apart (see `isOwnErpEcho`); no context, none are. */
export function setOwnEchoesApart(
  rows: readonly AssociateInput[],
  links: readonly StoredLink[],
  context: OwnEchoContext | undefined,
): { rows: AssociateInput[]; links: StoredLink[]; echoes: number[] } {
  if (context === undefined) return { rows: [...rows], links: [...links], echoes: [] };
  // A row with more than one link (an orphaned one beside it) goes the normal way.
  const byNo = new Map<number, StoredLink | undefined>();
  for (const link of links) byNo.set(link.associateNo, byNo.has(link.associateNo) ? undefined : link);
  const echoes = new Set<number>();
  for (const row of rows)
    if (isOwnErpEcho(row, byNo.get(row.associateNo), context)) echoes.add(row.associateNo);
  return {
    rows: rows.filter((row) => !echoes.has(row.associateNo)),
    links: links.filter((link) => !echoes.has(link.associateNo)),
    echoes: [...echoes],
  };
}
