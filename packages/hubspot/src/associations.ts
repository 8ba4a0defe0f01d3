import { err, ok, type Result, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { ApiPaths } from './api-version.js';
import type { HubSpotError } from './errors.js';
import type { ObjectType } from './objects/objects.js';
import { parseBody } from './objects/parse.js';
import type { Transport } from './transport/http-transport.js';

/** HubSpot-defined association type ids (the same on 2026-09 and v4). https://developers.hubspot.com/docs/api-reference/legacy/crm/associations/associate-records/guide */
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

// A batch create or label archive answers 200 (2026-09) or 201/204/207 (v4), with the inputs that failed under `errors`.
const writeAnswer = z
  .object({
    errors: z
      .array(z.object({ message: z.string().nullish(), category: z.string().nullish() }).loose())
      .nullish(),
  })
  .loose()
  .nullish();

/** The inputs an answer says failed (its `errors`), as one error (the batch is then retried record by record by callers). */
function partialFailure(body: unknown, what: string): Result<void, HubSpotError> {
  const parsed = parseBody(writeAnswer, body, what);
  if (parsed.isErr()) return err(parsed.error);
  const errors = parsed.value?.errors ?? [];
  if (errors.length === 0) return ok(undefined);
  return err({
    kind: 'validation',
    message: `HubSpot rejected ${errors.length} input(s) of ${what}`,
    issues: errors.map((error) => `${error.category ?? 'ERROR'}: ${error.message ?? ''}`.trim()),
    retryable: false,
  });
}

/** One association of a given type id between two records (created, or its label archived). */
export interface LabelledLink {
  readonly fromId: string;
  readonly toId: string;
  readonly typeId: number;
  readonly category?: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | undefined;
}

/** A contact's new primary company, and the one it replaces (which stays associated, without the primary label). */
export interface PrimaryCompanyMove {
  readonly contactId: string;
  readonly companyId: string;
  readonly previousCompanyId: string | null;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

/**
 * Associations (`/crm/associations/2026-09`, or v4 on the legacy setting): read many records' associations in batches (1,000 per request, following per-record paging),
 * and create default or labelled ones in batches (2,000 per request).
 */
export function createAssociationsApi(transport: Transport, paths: ApiPaths) {
  /** Sends labelled associations in batches; `partialWhat` names the call when a partial answer is an error. */
  const sendLabelled = (
    path: string,
    links: readonly LabelledLink[],
    partialWhat: string | null,
  ): ResultAsync<void, HubSpotError> =>
    new ResultAsync(
      (async (): Promise<Result<void, HubSpotError>> => {
        for (const chunk of chunks(links, createLimit)) {
          const response = await transport.send({
            method: 'POST',
            path,
            safety: 'idempotent',
            json: { inputs: chunk.map(labelledInput) },
          });
          if (response.isErr()) return err(response.error);
          if (partialWhat === null) continue;
          const answered = partialFailure(response.value.body, partialWhat);
          if (answered.isErr()) return err(answered.error);
        }
        return ok(undefined);
      })(),
    );
  const api = {
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
                path: `${paths.associations(from, to)}/batch/read`,
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
              path: `${paths.associations(from, to)}/batch/associate/default`,
              safety: 'idempotent',
              json: { inputs: chunk.map((pair) => ({ from: { id: pair.fromId }, to: { id: pair.toId } })) },
            });
            if (response.isErr()) return err(response.error);
          }
          return ok(undefined);
        })(),
      );
    },

    /**
     * Removes only the given labels (type ids) between pairs (`batch/labels/archive`); the unlabelled association
     * stays, unless it is the one removed (that removes every label between the pair).
     */
    batchArchiveLabels(
      from: ObjectType,
      to: ObjectType,
      links: readonly LabelledLink[],
    ): ResultAsync<void, HubSpotError> {
      return sendLabelled(
        `${paths.associations(from, to)}/batch/labels/archive`,
        links,
        'an association label archive',
      );
    },

    /**
     * Moves contacts' primary company (association type 1, contact → company): the new primary association first,
     * then the primary label of the previous company is removed, so a contact never has none. The previous company
     * stays associated (unlabelled): a move removes no association. HubSpot allows one primary company per
     * contact; where it already demoted the previous one, the label removal changes nothing. Either step failing
     * fails the whole call (idempotent: safe to repeat).
     */
    setPrimaryCompanies(moves: readonly PrimaryCompanyMove[]): ResultAsync<void, HubSpotError> {
      return new ResultAsync(
        (async (): Promise<Result<void, HubSpotError>> => {
          for (const chunk of chunks(moves, createLimit)) {
            const created = await transport.send({
              method: 'POST',
              path: `${paths.associations('contacts', 'companies')}/batch/create`,
              safety: 'idempotent',
              json: {
                inputs: chunk.map((move) => ({
                  from: { id: move.contactId },
                  to: { id: move.companyId },
                  types: [
                    {
                      associationCategory: 'HUBSPOT_DEFINED',
                      associationTypeId: associationTypes.contactToPrimaryCompany,
                    },
                  ],
                })),
              },
            });
            if (created.isErr()) return err(created.error);
            const answered = partialFailure(created.value.body, 'a primary company association create');
            if (answered.isErr()) return err(answered.error);
          }
          const demoted = moves.flatMap((move) =>
            move.previousCompanyId === null || move.previousCompanyId === move.companyId
              ? []
              : [
                  {
                    fromId: move.contactId,
                    toId: move.previousCompanyId,
                    typeId: associationTypes.contactToPrimaryCompany,
                  },
                ],
          );
          if (demoted.length === 0) return ok(undefined);
          return api.batchArchiveLabels('contacts', 'companies', demoted);
        })(),
      );
    },

    /** Creates associations with the given type ids (e.g. 1 for a contact's primary company; it implies the default one). */
    batchCreate(
      from: ObjectType,
      to: ObjectType,
      links: readonly LabelledLink[],
    ): ResultAsync<void, HubSpotError> {
      return sendLabelled(`${paths.associations(from, to)}/batch/create`, links, null);
    },
  };
  return api;
}

/** One batch input of a labelled association (create, or archive of the label). */
function labelledInput(link: LabelledLink) {
  return {
    from: { id: link.fromId },
    to: { id: link.toId },
    types: [{ associationCategory: link.category ?? 'HUBSPOT_DEFINED', associationTypeId: link.typeId }],
  };
}
