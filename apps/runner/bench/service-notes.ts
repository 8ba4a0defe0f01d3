import type { Run } from '../src/state/state-store.js';
import {
  type Latency,
  type Limit,
  type runSummary,
  seconds,
  type splitOfLatency,
  writesOf,
} from './service-figures.js';
import type { ServedRequests } from './service-usage.js';

type Split = ReturnType<typeof splitOfLatency>;

const perSecond = (limit: Limit) => (limit.requests * 1000) / limit.windowMs;

function servedLine(served: ServedRequests): string {
  return `the simulators served ${served.hubspot} HubSpot and ${served.visma} Business NXT requests (the service's \`crm_sync_api_requests_total\` moved by ${served.serviceCounted}; Business NXT token requests are in neither)`;
}

function splitLine(split: Split, edits: string): string {
  return `${edits}, ${split.attributed} matched to the targeted run that wrote them: from the edit to that run's start (webhook delivery, the inbox's gathering, waiting for the run before) p50 ${seconds(split.waitP50)}, p95 ${seconds(split.waitP95)}; from the run's start to the value showing p50 ${seconds(split.inRunP50)}, p95 ${seconds(split.inRunP95)}`;
}

/** Generated notes on the edits right after the first cycle, whose HubSpot requests are still in the window. */
export function describeStart(figures: { runs: ReturnType<typeof runSummary>; latency: Latency }): string[] {
  const { runs, latency } = figures;
  return [
    `Right after the first cycle (its HubSpot requests still in the rolling window): the slowest of the ${latency.edits} edits took ${seconds(latency.max)}; the service ran ${runs.runs} targeted syncs, the longest ${seconds(runs.durationMax)}.`,
  ];
}

/** Generated notes on the steady phase: requests, the service's runs, where an edit's time went. */
export function describeSteady(figures: {
  served: ServedRequests;
  runs: ReturnType<typeof runSummary>;
  split: Split;
}): string[] {
  const { served, runs, split } = figures;
  return [
    `Steady phase: ${servedLine(served)}. The service ran ${runs.runs} targeted syncs (${runs.otherRuns} other runs), median ${seconds(runs.durationP50)}, longest ${seconds(runs.durationMax)}, ${seconds(runs.busyMs)} busy in all; they wrote ${runs.writes} records and made ${runs.hubspot} HubSpot and ${runs.visma} Business NXT requests.`,
    `${splitLine(split, 'Steady edits')}.`,
  ];
}

/** One run of the burst, as offsets from the burst's start. */
function runLine(run: Run, startedAt: number): string {
  const start = Date.parse(run.startedAt) - startedAt;
  const end = run.finishedAt === null ? Number.NaN : Date.parse(run.finishedAt) - startedAt;
  return `${run.mode} ${seconds(start)}–${seconds(end)}: ${writesOf(run)} written, ${run.apiCalls.hubspot ?? 0} HubSpot + ${run.apiCalls.vismaNxt ?? 0} Business NXT requests`;
}

/** Generated notes on the burst: the bound's derivation with its figures, requests, the runs one by one. */
export function describeBurst(figures: {
  served: ServedRequests;
  drain: {
    minimum: { hubspot: number; visma: number };
    bound: number;
    rolling: number;
    drainMs: number;
    storedMs: number;
  };
  sentMs: number;
  runs: readonly Run[];
  startedAt: number;
  split: Split;
  limits: { hubspot: Limit; visma: Limit };
}): string[] {
  const { served, drain, runs, limits } = figures;
  const hubspotRate = perSecond(limits.hubspot);
  const vismaRate = perSecond(limits.visma);
  return [
    `Rate-limit bound of the burst: the fewest requests a sync of these edits needs are ${drain.minimum.hubspot} on HubSpot (batch reads of 100 ids: the edited companies and the companies of the edited rows; batch updates of 100: those companies) and ${drain.minimum.visma} on Business NXT (one request holds 32 lookups of 100 associate numbers: every row read; 50 rows per mutation and 32 mutations per request: the edited companies' rows written). At the sustained rates, ${hubspotRate} per s on HubSpot and ${vismaRate} per s on Business NXT, they take ${seconds((drain.minimum.hubspot * 1000) / hubspotRate)} and ${seconds((drain.minimum.visma * 1000) / vismaRate)}: the bound is the larger, ${seconds(drain.bound)}. A rolling window would let them all leave at once (least wall time ${seconds(drain.rolling)}, not binding), so the sustained rate is the bound the ratio uses. The drain runs from the first edit sent to the last value seen.`,
    `Burst: sending the edits took ${seconds(figures.sentMs)}; the last value showed at ${seconds(drain.drainMs)} (the other system's store took it at ${seconds(drain.storedMs)}: the rest is the poll's wait, in the simulators' busy process); ${servedLine(served)}.`,
    `${splitLine(figures.split, 'Burst edits')}.`,
    `Runs from the burst's start: ${runs.map((run) => runLine(run, figures.startedAt)).join('; ') || 'none'}.`,
  ];
}
