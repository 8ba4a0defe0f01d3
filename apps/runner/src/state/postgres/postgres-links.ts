import type { Entity, Fingerprint } from '@port-service/mapping';
import { z } from 'zod';
import { linkRow, toLink } from '../state-rows.js';
import type { StateStore } from '../state-store.js';
import type { PostgresDatabase } from './postgres-database.js';

type LinkMethods = Pick<
  StateStore,
  | 'linksByCrmIds'
  | 'linksByAssociateNos'
  | 'allLinks'
  | 'insertLink'
  | 'mergeFingerprints'
  | 'markOrphaned'
  | 'reactivateLink'
  | 'moveLink'
  | 'oweContacts'
  | 'owedContacts'
  | 'settleOwedContacts'
>;

/**
 * Links between HubSpot records and Business NXT rows, and the contacts owed to newly linked customers, in the
 * PostgreSQL store. The primary key (entity, crm_id) and the unique index (entity, associate_no) refuse a record
 * linked twice, as on SQLite.
 */
export function postgresLinks(db: PostgresDatabase, stamp: () => string): LinkMethods {
  const linkOf = async (kind: Entity, crmId: string, lock: boolean) =>
    (
      await db.read(
        linkRow,
        `SELECT * FROM links WHERE entity = $1 AND crm_id = $2${lock ? ' FOR UPDATE' : ''}`,
        [kind, crmId],
      )
    )[0];
  return {
    async linksByCrmIds(kind: Entity, crmIds: readonly string[]) {
      if (crmIds.length === 0) return [];
      const rows = await db.read(
        linkRow,
        'SELECT * FROM links WHERE entity = $1 AND crm_id = ANY($2::text[])',
        [kind, crmIds],
      );
      return rows.map(toLink);
    },
    async linksByAssociateNos(kind: Entity, associateNos: readonly number[]) {
      if (associateNos.length === 0) return [];
      const rows = await db.read(
        linkRow,
        'SELECT * FROM links WHERE entity = $1 AND associate_no = ANY($2::bigint[])',
        [kind, associateNos],
      );
      return rows.map(toLink);
    },
    async allLinks(kind: Entity, afterCrmId: string | null, limit: number) {
      const rows = await db.read(
        linkRow,
        'SELECT * FROM links WHERE entity = $1 AND crm_id > $2 ORDER BY crm_id LIMIT $3',
        [kind, afterCrmId ?? '', limit],
      );
      return rows.map(toLink);
    },
    async insertLink(
      kind: Entity,
      link: { crmId: string; associateNo: number; fingerprints: Readonly<Record<string, Fingerprint>> },
    ) {
      await db.write(
        `INSERT INTO links (entity, crm_id, associate_no, status, status_reason, fingerprints, updated_at)
         VALUES ($1, $2, $3, 'active', NULL, $4, $5)`,
        [kind, link.crmId, link.associateNo, JSON.stringify(link.fingerprints), stamp()],
      );
    },
    async mergeFingerprints(kind: Entity, crmId: string, prints: Readonly<Record<string, Fingerprint>>) {
      // One statement, one round trip (the engine merges once per record it wrote). jsonb `||` keeps the stored
      // keys and lets the new ones win, as `{ ...stored, ...prints }`. The UPDATE locks the row: a second merge
      // into the same link waits, then applies to the row as the first left it, so neither loses the other's
      // fingerprints (https://www.postgresql.org/docs/15/transaction-iso.html#XACT-READ-COMMITTED). The text is
      // jsonb's (keys sorted, spaces after separators), which the store reads back as JSON like any other.
      const updated = await db.write(
        `UPDATE links SET fingerprints = (fingerprints::jsonb || $1::jsonb)::text, updated_at = $2
         WHERE entity = $3 AND crm_id = $4`,
        [JSON.stringify(prints), stamp(), kind, crmId],
      );
      if ((updated.rowCount ?? 0) === 0) throw new Error(`no ${kind} link for HubSpot record ${crmId}`);
    },
    async markOrphaned(kind: Entity, link: { crmId: string; associateNo: number }, reason: string) {
      await db.transaction(async () => {
        const updated = await db.write(
          "UPDATE links SET status = 'orphaned', status_reason = $1, updated_at = $2 WHERE entity = $3 AND crm_id = $4",
          [reason, stamp(), kind, link.crmId],
        );
        if ((updated.rowCount ?? 0) > 0) return;
        // A decision read back from the systems (no link yet): recorded unless the row is linked elsewhere.
        await db.write(
          `INSERT INTO links (entity, crm_id, associate_no, status, status_reason, fingerprints, updated_at)
           VALUES ($1, $2, $3, 'orphaned', $4, '{}', $5) ON CONFLICT DO NOTHING`,
          [kind, link.crmId, link.associateNo, reason, stamp()],
        );
      });
    },
    async reactivateLink(kind: Entity, crmId: string) {
      await db.write(
        "UPDATE links SET status = 'active', status_reason = NULL, updated_at = $1 WHERE entity = $2 AND crm_id = $3",
        [stamp(), kind, crmId],
      );
    },
    async moveLink(kind: Entity, fromCrmId: string, toCrmId: string) {
      await db.transaction(async () => {
        const survivor = await linkOf(kind, toCrmId, true);
        if (survivor !== undefined)
          await db.write('DELETE FROM links WHERE entity = $1 AND crm_id = $2', [kind, fromCrmId]);
        else
          await db.write('UPDATE links SET crm_id = $1, updated_at = $2 WHERE entity = $3 AND crm_id = $4', [
            toCrmId,
            stamp(),
            kind,
            fromCrmId,
          ]);
      });
    },

    async oweContacts(customer) {
      await db.write(
        `INSERT INTO owed_contacts (crm_company_id, customer_no, owed_since) VALUES ($1, $2, $3)
         ON CONFLICT (crm_company_id, customer_no) DO UPDATE SET owed_since = excluded.owed_since`,
        [customer.crmId, customer.associateNo, stamp()],
      );
    },
    async owedContacts() {
      const rows = await db.read(
        z.object({ crm_company_id: z.string(), customer_no: z.number() }),
        'SELECT crm_company_id, customer_no FROM owed_contacts ORDER BY owed_since, crm_company_id',
      );
      return rows.map((row) => ({ crmId: row.crm_company_id, associateNo: row.customer_no }));
    },
    async settleOwedContacts(customers) {
      if (customers.length === 0) return;
      await db.write(
        `DELETE FROM owed_contacts WHERE (crm_company_id, customer_no) IN
           (SELECT * FROM unnest($1::text[], $2::bigint[]))`,
        [customers.map((customer) => customer.crmId), customers.map((customer) => customer.associateNo)],
      );
    },
  };
}
