import type { LinkState } from '../plan/context.js';
import type { CustomerRef, SyncOperation, SyncPlan } from '../plan/operations.js';
import type { PlanInput } from '../plan/plan.js';
import type { AssociateInput } from '../sources/associate.js';
import type { HubSpotContactInput, HubSpotObjectInput } from '../sources/hubspot.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Properties = Record<string, string | null | undefined>;
type Company = Mutable<HubSpotObjectInput> & { properties: Properties };
type Contact = Mutable<HubSpotContactInput> & { properties: Properties };
type Associate = Mutable<AssociateInput>;
type Link = Mutable<LinkState> & { fingerprints: Record<string, string> };

/**
 * Both systems and the link store in memory, applying a plan the way the runner will: enough to test that
 * plans converge (plan → apply → plan writes nothing). Test support only; not part of the package.
 */
export class InMemorySystems {
  readonly companies = new Map<string, Company>();
  readonly contacts = new Map<string, Contact>();
  readonly associates = new Map<number, Associate>();
  readonly customerLinks = new Map<string, Link>();
  readonly contactLinks = new Map<string, Link>();
  private nextCrmId = 1000;
  private nextAssociateNo = 5000;
  private nextCustomerNo = 20000;

  addCompany(id: string, properties: Properties): void {
    this.companies.set(id, { id, properties: { ...properties } });
  }

  addContact(id: string, properties: Properties, companyIds: string[]): void {
    this.contacts.set(id, { id, properties: { ...properties }, companyIds });
  }

  addAssociate(row: AssociateInput): void {
    this.associates.set(row.associateNo, { ...row });
  }

  input(policy: PlanInput['policy'], extra: Partial<PlanInput> = {}): PlanInput {
    const associates = [...this.associates.values()];
    return {
      hubspot: { companies: [...this.companies.values()], contacts: [...this.contacts.values()] },
      erp: {
        customers: associates.filter((row) => (row.customerNo ?? 0) > 0),
        contactPersons: associates.filter((row) => (row.contactPersonForAssociateNo ?? 0) > 0),
      },
      links: { customers: [...this.customerLinks.values()], contacts: [...this.contactLinks.values()] },
      policy,
      fingerprintKey: 'test-key-0123456789',
      ...extra,
    };
  }

  apply(plan: SyncPlan): void {
    const created = new Map<string, { crmId: string; associateNo: number }>();
    const resolve = (ref: CustomerRef | undefined) => {
      if (ref === undefined) throw new Error('contact without customer');
      if (ref.kind === 'linked') return ref;
      const made = created.get(ref.operationId);
      if (made === undefined)
        throw new Error(`operation ${ref.operationId} not applied before its dependant`);
      return made;
    };
    for (const operation of plan.operations) this.applyOne(operation, created, resolve);
  }

  private linksFor(entity: SyncOperation['entity']): Map<string, Link> {
    return entity === 'customer' ? this.customerLinks : this.contactLinks;
  }

  private applyOne(
    operation: SyncOperation,
    created: Map<string, { crmId: string; associateNo: number }>,
    resolve: (ref: CustomerRef | undefined) => { crmId: string; associateNo: number },
  ): void {
    const links = this.linksFor(operation.entity);
    const record = (crmId: string) =>
      operation.entity === 'customer' ? this.companies.get(crmId) : this.contacts.get(crmId);
    switch (operation.kind) {
      case 'create-erp': {
        const associateNo = this.nextAssociateNo++;
        const row: Associate = { associateNo, ...operation.values };
        if (operation.entity === 'customer') row.customerNo = this.nextCustomerNo++;
        else row.contactPersonForAssociateNo = resolve(operation.customer).associateNo;
        this.associates.set(associateNo, row);
        links.set(operation.crmId, {
          crmId: operation.crmId,
          associateNo,
          fingerprints: { ...operation.fingerprints, ...operation.relationFingerprints },
        });
        const target = record(operation.crmId);
        if (target) {
          target.properties.visma_actor_no = String(associateNo);
          if (row.customerNo) target.properties.visma_customer_no = String(row.customerNo);
        }
        created.set(operation.id, { crmId: operation.crmId, associateNo });
        return;
      }
      case 'create-crm': {
        const crmId = String(this.nextCrmId++);
        if (operation.entity === 'customer') this.addCompany(crmId, operation.properties);
        else this.addContact(crmId, operation.properties, [resolve(operation.customer).crmId]);
        links.set(crmId, {
          crmId,
          associateNo: operation.associateNo,
          fingerprints: { ...operation.fingerprints, ...operation.relationFingerprints },
        });
        created.set(operation.id, { crmId, associateNo: operation.associateNo });
        return;
      }
      case 'update-erp': {
        const row = this.associates.get(operation.associateNo);
        if (row) Object.assign(row, operation.values);
        Object.assign(links.get(operation.crmId)?.fingerprints ?? {}, operation.fingerprints);
        return;
      }
      case 'update-crm':
      case 'write-back': {
        Object.assign(record(operation.crmId)?.properties ?? {}, operation.properties);
        if (operation.kind === 'update-crm') {
          Object.assign(links.get(operation.crmId)?.fingerprints ?? {}, operation.fingerprints);
          const contact = this.contacts.get(operation.crmId);
          if (operation.primaryCompany && contact) {
            // The new primary company; the previous one stays associated (HubSpot allows one primary).
            const { crmId } = operation.primaryCompany;
            contact.primaryCompanyId = crmId;
            contact.companyIds = [...new Set([...(contact.companyIds ?? []), crmId])];
          }
        }
        return;
      }
      case 'link':
        links.set(operation.crmId, {
          crmId: operation.crmId,
          associateNo: operation.associateNo,
          fingerprints: {},
        });
        return;
      case 'baseline':
        Object.assign(links.get(operation.crmId)?.fingerprints ?? {}, operation.fingerprints);
        return;
      case 'relink': {
        const link = links.get(operation.fromCrmId);
        links.delete(operation.fromCrmId);
        if (link && !links.has(operation.toCrmId))
          links.set(operation.toCrmId, { ...link, crmId: operation.toCrmId });
        return;
      }
      case 'orphan': {
        const link = links.get(operation.crmId);
        if (link) link.status = 'orphaned';
        return;
      }
      case 'conflict':
      case 'skip':
      case 'candidates':
        return;
    }
  }
}
