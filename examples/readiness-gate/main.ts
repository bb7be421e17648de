import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, OrderedAppProps, WaitFor } from '../../lib';

/**
 * Readiness that follows dependencies for the pod's whole life:
 *
 * - the API starts after the database and stays Ready only while the
 *   database answers: if the database goes away, the API's pods leave their
 *   Service's endpoints instead of failing requests or restarting;
 * - the database is not Ready (so nothing reaches it through its Service)
 *   until its seed Job has completed. The seed Job reaches the database
 *   through a second Service that publishes not-ready addresses, so it does
 *   not wait for the readiness it is meant to open: no deadlock.
 */
export function build(app: App, props: OrderedAppProps = {}): Chart {
  const chart = new Chart(app, 'store', { namespace: 'store' });
  const ordered = new OrderedApp(chart, 'ordered', props);

  const dbSet = new kplus.StatefulSet(chart, 'db', {
    containers: [{ image: 'postgres:16.4', portNumber: 5432, securityContext: { user: 999, group: 999 }, readiness: kplus.Probe.fromTcpSocket() }],
  });
  const seedAccess = new kplus.Service(chart, 'db-seed', { ports: [{ port: 5432 }], clusterIP: 'None' });
  seedAccess.select(dbSet);
  // cdk8s-plus-27 has no option for this field of the 1.27 Service schema.
  ApiObject.of(seedAccess).addJsonPatch(JsonPatch.add('/spec/publishNotReadyAddresses', true));

  const db = ordered.add(dbSet);
  const seed = ordered.add(new kplus.Job(chart, 'seed', { containers: [{ image: 'store/seed:1.0.0' }] }));
  const api = ordered.add(new kplus.Deployment(chart, 'api', {
    replicas: 3,
    containers: [{ image: 'store/api:1.0.0', portNumber: 8080 }],
  }));

  db.gateReadinessOn(seed); // db is Ready only once seed has completed
  seed.waitFor(WaitFor.tcp(seedAccess.name, 5432)); // seed waits for the port, not for readiness
  api.dependsOn(db, { gateReadiness: true }); // api starts after db, and is Ready only while db is
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? `${__dirname}/dist` });
  build(app);
  app.synth();
}
