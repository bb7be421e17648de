import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, OrderedAppProps, TimeoutPolicy, WaitFor } from '../../lib';

/**
 * Schema migrations that must finish before the new API version serves:
 * the migration Job waits for Postgres (with its own `pg_isready` probe), the
 * API waits for the Job to complete (a failed Job fails the waiter, it does
 * not hang), and an optional cache is awaited for at most 30 seconds. The
 * Job is versioned, so each release runs its own migration; the API is
 * rolled whenever the migration changes.
 */
export function build(app: App, props: OrderedAppProps = {}): Chart {
  const chart = new Chart(app, 'billing', { namespace: 'billing' });
  const ordered = new OrderedApp(chart, 'ordered', props);

  const postgres = ordered.add(new kplus.StatefulSet(chart, 'postgres', {
    containers: [{
      image: 'postgres:16.4',
      portNumber: 5432,
      securityContext: { user: 999, group: 999 },
      readiness: kplus.Probe.fromCommand(['pg_isready', '-U', 'postgres']),
    }],
  }), { readiness: WaitFor.command('postgres:16.4', ['pg_isready', '-h', 'billing-postgres', '-U', 'postgres']) });

  const cacheDeployment = new kplus.Deployment(chart, 'cache', {
    containers: [{ image: 'redis:7.4', portNumber: 6379, securityContext: { user: 999, group: 999 }, readiness: kplus.Probe.fromTcpSocket() }],
  });
  cacheDeployment.exposeViaService({ name: 'billing-cache' });
  const cache = ordered.add(cacheDeployment);

  // Versioned: the Job's name carries a hash of its spec, so release 2.4.0's
  // migration is a new Job, and only 2.4.0's API pods wait for it.
  const migrate = ordered.add(new kplus.Job(chart, 'migrate', {
    containers: [{ image: 'billing/migrate:2.3.0', args: ['up'] }],
    backoffLimit: 2,
  }), { versioned: true });

  const api = ordered.add(new kplus.Deployment(chart, 'api', {
    replicas: 2,
    containers: [{ image: 'billing/api:2.3.0', portNumber: 8080 }],
  }));

  migrate.dependsOn(postgres, { timeout: Duration.minutes(5) });
  api.dependsOn(migrate, { restartOnChange: true });
  api.dependsOn(cache, { timeout: Duration.seconds(30), onTimeout: TimeoutPolicy.PROCEED });
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? `${__dirname}/dist` });
  build(app);
  app.synth();
}
