/**
 * Every name of this repository that the browser walk relies on, in one place.
 *
 * Each wrapper returns its argument unchanged; it marks the name for E2eFilesTest (`make test`),
 * which finds every call in e2e/ and checks the name against the repository: dashboard uids and
 * panel titles against grafana/dashboards/, data source uids and the exemplar link label against
 * grafana/provisioning/datasources/, make targets against the Makefile, frames (Class.method)
 * against service/src/main. Rename something there and `make test` says which step would break.
 */
export const dashboard = (uid: string): string => uid;
export const panel = (title: string): string => title;
export const datasource = (uid: string): string => uid;
export const makeTarget = (name: string): string => name;
export const frame = (classAndMethod: string): string => classAndMethod;
export const linkLabel = (label: string): string => label;

export const SERVICE = 'workshop-service';
export const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
export const WALL = 'wall:wall:nanoseconds:wall:nanoseconds';

export const PROMETHEUS = datasource('prometheus');
export const TEMPO = datasource('tempo');
export const PYROSCOPE = datasource('pyroscope');

export const OVERVIEW = dashboard('workshop-overview');
export const LATENCY_PANEL = panel('Latency p95 per route  (◆ = exemplar: click for its trace)');
export const OVERVIEW_CPU_FLAME_PANEL = panel('CPU flame graph of the service, for the whole time range above');

export const IO_VS_CPU = dashboard('workshop-io-vs-cpu');
export const SLOW_TRACES_PANEL = panel('Slowest requests: /api/slow_io traces over 200 ms (click a trace id)');
export const IO_CPU_FLAME_PANEL = panel('CPU flame graph of the whole service (search for SlowIoService: hardly there)');
export const IO_WALL_FLAME_PANEL = panel('Wall-clock flame graph of SlowIoService.simulateBlockingIo spans (the wait)');

/** The title of the exemplar's data link: `urlDisplayLabel` of the Prometheus data source. */
export const EXEMPLAR_LINK = linkLabel('Open trace in Tempo');

export const INCIDENT_FRAME = frame('IncidentSimulator.burnCpuDuringIncident');
export const PRIMES_FRAME = frame('PrimeCounter.computePrimesSlow');
export const IO_FRAME = frame('SlowIoService.simulateBlockingIo');

/** The primes request's server span, named after its route by the service's filter. */
export const PRIMES_SERVER_SPAN = 'GET /api/primes';

/** The PromQL of the incident gauge (the dashboard's incident bar asks the same). */
export const INCIDENT_QUERY = `max(workshop_incident_active{service_name="${SERVICE}"})`;

/**
 * The diff link that `make upgrade` prints (scripts/stack.sh), up to its six time parameters;
 * E2eFilesTest checks that the script prints exactly this prefix.
 */
export const UPGRADE_TARGET = makeTarget('upgrade');
export const DIFF_LINK_PREFIX =
  '/a/grafana-pyroscope-app/explore?explorationType=diff-flame-graph&var-dataSource=pyroscope' +
  '&var-serviceName=workshop-service&var-profileMetricId=process_cpu:cpu:nanoseconds:cpu:nanoseconds';

/**
 * The link as `make upgrade` builds it: the 10 minutes before the switch against the time since.
 * Without an upgrade in this run, "the switch" is taken as 5 minutes ago; E2E_DIFF_URL (the line
 * `make upgrade` printed) replaces it.
 */
export function diffLink(nowMs: number): string {
  const printed = process.env.E2E_DIFF_URL;
  if (printed) {
    const url = new URL(printed);
    return url.pathname + url.search;
  }
  const switched = Math.floor(nowMs / 1000) - 300;
  const from = (switched - 600) * 1000;
  const to = switched * 1000;
  return `${DIFF_LINK_PREFIX}&from=${from}&to=now&diffFrom=${from}&diffTo=${to}&diffFrom-2=${to}&diffTo-2=now`;
}
