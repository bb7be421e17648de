import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, OrderedAppProps } from '../../lib';

/**
 * Stopping in the reverse order of starting, as compose does:
 *
 * - every app container pauses 5 s in preStop (`drain`) so its endpoints are
 *   removed before it gets SIGTERM: with the native `sleep` action on 1.30+
 *   (this example), with `sleep` in the image on older targets;
 * - when the app is deleted or scaled down together, the queue and the
 *   database wait (up to 60 s, `orderedShutdown`) until the workers and the
 *   API that use them are gone, so those drain their connections first.
 */
export function build(app: App, props: OrderedAppProps = {}): Chart {
  const chart = new Chart(app, 'jobs', { namespace: 'jobs' });
  const ordered = new OrderedApp(chart, 'ordered', {
    kubernetesVersion: '1.30',
    drain: Duration.seconds(5),
    orderedShutdown: Duration.seconds(60),
    ...props,
  });

  const db = ordered.add(new kplus.StatefulSet(chart, 'db', {
    containers: [{ image: 'postgres:16.4', portNumber: 5432, securityContext: { user: 999, group: 999 }, readiness: kplus.Probe.fromTcpSocket() }],
  }));
  const queue = ordered.add(new kplus.StatefulSet(chart, 'queue', {
    containers: [{ image: 'rabbitmq:3.13', portNumber: 5672, securityContext: { user: 999, group: 999 }, readiness: kplus.Probe.fromTcpSocket() }],
  }));
  const api = ordered.add(new kplus.Deployment(chart, 'api', { containers: [{ image: 'jobs/api:4.2.0', portNumber: 8080 }] }));
  const worker = ordered.add(new kplus.Deployment(chart, 'worker', { containers: [{ image: 'jobs/worker:4.2.0', portNumber: 9090 }] }));

  api.dependsOn(db);
  api.dependsOn(queue);
  worker.dependsOn(queue);
  worker.dependsOn(db);
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? `${__dirname}/dist` });
  build(app);
  app.synth();
}
