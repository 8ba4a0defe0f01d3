import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { HubSpotError } from './errors.js';
import type { ObjectType } from './objects/objects.js';
import { parseBody } from './objects/parse.js';
import type { Transport } from './transport/http-transport.js';

/** HubSpot-defined association type ids (associations v4). https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide */
export const associationTypes = {
  contactToCompany: 279,
  companyToContact: 280,
  /** The contact's primary company. */
  contactToPrimaryCompany: 1,
  companyToPrimaryContact: 2,
} as const;

export interface AssociatedRecord {
  readonly toObjectId: string;
  readonly typeIds: readonly number[];
}

const readResponse = z.object({
  results: z.array(
    z.object({
      from: z.object({ id: z.string() }),
      to: z.array(
        z.object({
          toObjectId: z.union([z.string(), z.number()]),
          associationTypes: z.array(
            z.object({ category: z.string().nullish(), typeId: z.number(), label: z.string().nullish() }),
          ),
        }),
      ),
      paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
    }),
  ),
  errors: z
    .array(
      z.object({
        category: z.string().nullish(),
        message: z.string().nullish(),
        context: z.record(z.string(), z.array(z.string())).nullish(),
      }),
    )
    .nullish(),
});

const readLimit = 1000;
const createLimit = 2000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

/**
 * Associations v4: read many records' associations in batches (1,000 per request, following per-record paging),
 * and create default or labelled ones in batches (2,000 per request).
 */
export function createAssociationsApi(transport: Transport, pathPrefix: string) {
  const v4 = pathPrefix.replace(/\/v3$/u, '/v4');
  return {
    /** For each `from` id, the records of `to` type it is associated with, and with which type ids. */
    batchRead(
      from: ObjectType,
      to: ObjectType,
      ids: readonly string[],
    ): ResultAsync<Map<string, AssociatedRecord[]>, HubSpotError> {
      return new ResultAsync(
        (async (): Promise<Result<Map<string, AssociatedRecord[]>, HubSpotError>> => {
          const found = new Map<string, AssociatedRecord[]>();
          let pending = [...new Set(ids)].map((id) => ({ id, after: undefined as string | undefined }));
          while (pending.length > 0) {
            const next: typeof pending = [];
            for (const chunk of chunks(pending, readLimit)) {
              const response = await transport.send({
                method: 'POST',
                path: `${v4}/associations/${from}/${to}/batch/read`,
                safety: 'read',
                json: {
                  inputs: chunk.map((input) =>
                    input.after ? { id: input.id, after: input.after } : { id: input.id },
                  ),
                },
              });
              if (response.isErr()) return err(response.error);
              const body = parseBody(readResponse, response.value.body, 'association batch read');
              if (body.isErr()) return err(body.error);
              for (const result of body.value.results) {
                const list = found.get(result.from.id) ?? [];
                list.push(
                  ...result.to.map((entry) => ({
                    toObjectId: String(entry.toObjectId),
                    typeIds: entry.associationTypes.map((type) => type.typeId),
                  })),
                );
                found.set(result.from.id, list);
                if (result.paging?.next) next.push({ id: result.from.id, after: result.paging.next.after });
              }
            }
            pending = next;
          }
          for (const id of ids) if (!found.has(id)) found.set(id, []);
          return ok(found);
        })(),
      );
    },

    /** Creates the default (unlabelled) association for each pair. */
    batchAssociateDefault(
      from: ObjectType,
      to: ObjectType,
      pairs: ReadonlyArray<{ fromId: string; toId: string }>,
    ): ResultAsync<void, HubSpotError> {
      return new ResultAsync(
        (async (): Promise<Result<void, HubSpotError>> => {
          for (const chunk of chunks(pairs, createLimit)) {
            const response = await transport.send({
              method: 'POST',
              path: `${v4}/associations/${from}/${to}/batch/associate/default`,
              safety: 'idempotent',
              json: { inputs: chunk.map((pair) => ({ from: { id: pair.fromId }, to: { id: pair.toId } })) },
            });
            if (response.isErr()) return err(response.error);
          }
          return ok(undefined);
        })(),
      );
    },

    /** Creates associations with the given type ids (e.g. 1 for a contact's primary company; it implies the default one). */
    batchCreate(
      from: ObjectType,
      to: ObjectType,
      links: ReadonlyArray<{
        fromId: string;
        toId: string;
        typeId: number;
        category?: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
      }>,
    ): ResultAsync<void, HubSpotError> {
      return new ResultAsync(
        (async (): Promise<Result<void, HubSpotError>> => {
          for (const chunk of chunks(links, createLimit)) {
            const response = await transport.send({
              method: 'POST',
              path: `${v4}/associations/${from}/${to}/batch/create`,
              safety: 'idempotent',
              json: {
                inputs: chunk.map((link) => ({
                  from: { id: link.fromId },
                  to: { id: link.toId },
                  types: [
                    {
                      associationCategory: link.category ?? 'HUBSPOT_DEFINED',
                      associationTypeId: link.typeId,
                    },
                  ],
                })),
              },
            });
            if (response.isErr()) return err(response.error);
          }
          return ok(undefined);
        })(),
      );
    },
  };
}
