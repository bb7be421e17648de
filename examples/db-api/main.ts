import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, OrderedAppProps, WaitFor } from '../../lib';

/**
 * A database, its migration Job and an API: the API starts only once the
 * database accepts connections, the migration has completed and its TLS
 * Secret exists; the migration starts only once the database is up.
 */
export function build(app: App, props: OrderedAppProps = {}): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const ordered = new OrderedApp(chart, 'ordered', props);

  const db = ordered.add(new kplus.StatefulSet(chart, 'db', {
    containers: [{ image: 'postgres:16', portNumber: 5432, securityContext: { user: 999, group: 999 }, readiness: kplus.Probe.fromTcpSocket() }],
  }));
  const migrate = ordered.add(new kplus.Job(chart, 'migrate', {
    containers: [{ image: 'shop/migrate:1' }],
  }));
  const api = ordered.add(new kplus.Deployment(chart, 'api', {
    containers: [{ image: 'shop/api:1', portNumber: 8080 }],
  }));

  migrate.dependsOn(db); // migrate's pods wait until db accepts connections
  api.dependsOn(db);
  api.dependsOn(migrate); // api's pods wait until the Job has completed
  api.waitFor(WaitFor.secret('api-tls'), { timeout: Duration.minutes(10) });
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? `${__dirname}/dist` });
  build(app);
  app.synth();
}
