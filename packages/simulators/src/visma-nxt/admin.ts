import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FaultSettings, faultKinds } from '../shared/faults.js';
import { parseJson, readBody, sendJson } from '../shared/http.js';
import { generateAssociates } from './generator.js';
import type { SimulatorStats } from './server.js';
import type { AssociateValues, CompanyStore } from './store.js';
import type { createWebhookSender } from './webhooks.js';

interface AdminContext {
  readonly store: CompanyStore;
  readonly stats: SimulatorStats;
  readonly faults: { set(settings: FaultSettings): void; readonly settings: FaultSettings };
  readonly webhooks: ReturnType<typeof createWebhookSender>;
  readonly seed: number;
  readonly companyNo: number;
}

/**
 * Test-only routes (not part of Business NXT): read and edit associates "as a user in the ERP" (timestamps
 * move, webhooks fire), seed more data, change faults, add webhook targets, read request statistics.
 */
export async function handleAdmin(
  request: IncomingMessage,
  response: ServerResponse,
  context: AdminContext,
): Promise<void> {
  const { store } = context;
  const path = (request.url ?? '').split('?')[0] ?? '';
  const body =
    request.method === 'GET' || request.method === 'DELETE' ? undefined : parseJson(await readBody(request));
  const json = body?.ok ? (body.value as Record<string, unknown>) : {};
  const match = /^\/admin\/associates\/(\d+)$/u.exec(path);
  // Edits here stand for a person working in the ERP, so the row names an ERP user, not the application.
  const erpUser = typeof json.user === 'string' ? json.user : 'ERP-USER';
  const notify = (event: 'INSERT' | 'UPDATE' | 'DELETE', associateNo: number) =>
    context.webhooks.notify({
      event,
      associateNo,
      companyNo: context.companyNo,
      timestamp: new Date().toISOString(),
    });

  if (path === '/admin/associates' && request.method === 'GET')
    return sendJson(response, 200, [...store.rows.values()]);
  if (path === '/admin/associates' && request.method === 'POST') {
    const associateNo = typeof json.associateNo === 'number' ? json.associateNo : store.nextAssociateNo();
    if (store.rows.has(associateNo))
      return sendJson(response, 409, { error: `associate ${associateNo} exists` });
    const { user: _user, legacy: _legacy, ...values } = json;
    const row = store.insert(
      { ...(values as AssociateValues), associateNo, createdByUser: erpUser, changedByUser: erpUser },
      json.legacy === true,
    );
    notify('INSERT', associateNo);
    return sendJson(response, 201, row);
  }
  // Many rows edited at once "as a user in the ERP" (`[{associateNo, ...values}]`, every number checked first).
  // Business NXT's docs describe one notification per changed row
  // (https://docs.vismasoftware.no/businessnxtapi/webhooks): each row gets its own, none are batched.
  if (path === '/admin/associates' && request.method === 'PATCH') {
    const edits = body?.ok && Array.isArray(body.value) ? (body.value as unknown[]) : null;
    if (edits === null)
      return sendJson(response, 400, { error: 'a list of {associateNo, ...values} is required' });
    const missing = edits.findIndex(
      (edit) => !store.rows.has(Number((edit as { associateNo?: unknown } | null)?.associateNo)),
    );
    if (missing >= 0)
      return sendJson(response, 404, { error: `edit ${missing}: no associate with that associateNo` });
    for (const edit of edits as Array<AssociateValues & { associateNo: number; user?: unknown }>) {
      const { associateNo, user: _user, ...values } = edit;
      store.update(Number(associateNo), { ...values, changedByUser: erpUser });
      notify('UPDATE', Number(associateNo));
    }
    return sendJson(response, 200, { updated: edits.length });
  }
  if (match) {
    const associateNo = Number(match[1]);
    if (request.method === 'GET') {
      const row = store.rows.get(associateNo);
      return row ? sendJson(response, 200, row) : sendJson(response, 404, { error: 'not found' });
    }
    if (request.method === 'PATCH') {
      const { associateNo: _ignored, user: _user, ...values } = json as AssociateValues & { user?: unknown };
      const row = store.update(associateNo, { ...values, changedByUser: erpUser });
      if (row === undefined) return sendJson(response, 404, { error: 'not found' });
      notify('UPDATE', associateNo);
      return sendJson(response, 200, row);
    }
    if (request.method === 'DELETE') {
      if (!store.delete(associateNo)) return sendJson(response, 404, { error: 'not found' });
      notify('DELETE', associateNo);
      response.writeHead(204).end();
      return;
    }
  }
  if (path === '/admin/seed' && request.method === 'POST') {
    generateAssociates(store, Number(json.customers ?? 0), Number(json.seed ?? context.seed));
    return sendJson(response, 200, { associates: store.rows.size });
  }
  if (path === '/admin/stats' && request.method === 'GET') {
    return sendJson(response, 200, { ...context.stats, webhooks: context.webhooks.delivered });
  }
  if (path === '/admin/faults' && request.method === 'PUT') {
    const kinds = Array.isArray(json.kinds)
      ? json.kinds.filter((kind) => (faultKinds as readonly unknown[]).includes(kind))
      : undefined;
    context.faults.set({
      rate: Number(json.rate ?? 0),
      kinds,
      timeoutMs: typeof json.timeoutMs === 'number' ? json.timeoutMs : undefined,
    });
    return sendJson(response, 200, context.faults.settings);
  }
  if (path === '/admin/webhooks' && request.method === 'POST') {
    if (typeof json.url !== 'string' || typeof json.secret !== 'string')
      return sendJson(response, 400, { error: 'url and secret are required' });
    context.webhooks.add({ url: json.url, secret: json.secret });
    return sendJson(response, 201, { url: json.url });
  }
  sendJson(response, 404, { error: 'not_found', path });
}
