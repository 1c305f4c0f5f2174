import { Counter, Gauge, type Registry } from 'prom-client';
import {
  type PrincipalClass,
  type PrincipalKey,
  principalClass,
} from '../core/ids/principal-key.js';

/** Live figures of one route, read at scrape time. */
export interface RouteGaugeSample {
  readonly capsuleLabel: string;
  readonly activePrincipals: number;
  readonly bytesInUse: number;
}

/**
 * The bus's Prometheus series. Hot-path counts are plain additions into maps
 * and are copied into prom-client at scrape time (`collect`), so publishing
 * never pays for label hashing. Labels are bounded: event kinds and subscriber
 * labels are fixed sets, capsule labels are installed capsule names, and
 * principals appear only as their class, never raw.
 */
export class BusMetrics {
  private readonly published = new Map<string, number>();
  private readonly lagged = new Map<string, number>();
  private readonly evictions = new Map<string, number>();
  private readonly starved = new Map<string, number>();

  constructor(registry: Registry, routes: () => Iterable<RouteGaugeSample>) {
    const registers = [registry];
    const exportCounts = (
      counter: Counter<string>,
      counts: Map<string, number>,
      names: readonly string[],
    ) => {
      counter.reset();
      for (const [key, n] of counts) {
        const values = key.split('\u0000');
        const labels: Record<string, string> = {};
        names.forEach((name, i) => {
          labels[name] = values[i] as string;
        });
        counter.inc(labels, n);
      }
    };
    const published = this.published;
    const lagged = this.lagged;
    const evictions = this.evictions;
    const starved = this.starved;
    new Counter({
      name: 'astrid_bus_events_published_total',
      help: 'Events published on the bus, by event kind.',
      labelNames: ['event_kind'],
      registers,
      collect() {
        exportCounts(this, published, ['event_kind']);
      },
    });
    new Counter({
      name: 'astrid_bus_receiver_lagged_total',
      help: 'Events a broadcast receiver missed because it fell behind the ring.',
      labelNames: ['subscriber'],
      registers,
      collect() {
        exportCounts(this, lagged, ['subscriber']);
      },
    });
    new Counter({
      name: 'astrid_capsule_route_byte_evictions_total',
      help: 'Messages a routed subscription evicted or refused to stay within its budgets.',
      labelNames: ['capsule', 'principal_class'],
      registers,
      collect() {
        exportCounts(this, evictions, ['capsule', 'principal_class']);
      },
    });
    new Counter({
      name: 'astrid_capsule_route_quantum_starved_total',
      help: 'DRR visits where a principal queue could not send its head within its deficit.',
      labelNames: ['capsule', 'principal_class'],
      registers,
      collect() {
        exportCounts(this, starved, ['capsule', 'principal_class']);
      },
    });
    const sum = (pick: (s: RouteGaugeSample) => number) => {
      const totals = new Map<string, number>();
      for (const s of routes())
        totals.set(s.capsuleLabel, (totals.get(s.capsuleLabel) ?? 0) + pick(s));
      return totals;
    };
    new Gauge({
      name: 'astrid_capsule_route_active_principals',
      help: 'Principals with messages queued on routed subscriptions, by capsule.',
      labelNames: ['capsule'],
      registers,
      collect() {
        this.reset();
        for (const [capsule, n] of sum((s) => s.activePrincipals)) this.set({ capsule }, n);
      },
    });
    new Gauge({
      name: 'astrid_capsule_route_budget_bytes_in_use',
      help: 'Bytes queued on routed subscriptions, by capsule.',
      labelNames: ['capsule'],
      registers,
      collect() {
        this.reset();
        for (const [capsule, n] of sum((s) => s.bytesInUse)) this.set({ capsule }, n);
      },
    });
  }

  eventPublished(kind: string): void {
    this.published.set(kind, (this.published.get(kind) ?? 0) + 1);
  }

  receiverLagged(subscriber: string, n: number): void {
    this.lagged.set(subscriber, (this.lagged.get(subscriber) ?? 0) + n);
  }

  routeEviction(capsule: string, principal: PrincipalKey): void {
    bump(this.evictions, capsule, principalClass(principal));
  }

  routeStarved(capsule: string, principal: PrincipalKey): void {
    bump(this.starved, capsule, principalClass(principal));
  }
}

function bump(counts: Map<string, number>, capsule: string, cls: PrincipalClass): void {
  const key = `${capsule}\u0000${cls}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
