import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, OrderedAppProps } from '../../lib';

/**
 * An app container that needs its proxy and its local cache up first.
 *
 * For Kubernetes 1.29+ (`kubernetesVersion: '1.29'`, the default here) the
 * proxy and cache become native sidecars: init containers with
 * `restartPolicy: Always` and a startup probe, so the app starts only once
 * both are ready, and they stop after it. Synthesized for 1.27 or 1.28, they
 * go first among the containers, each holding the next one with a postStart
 * hook until it is ready.
 */
export function build(app: App, props: OrderedAppProps = {}): Chart {
  const chart = new Chart(app, 'edge', { namespace: 'edge' });
  const ordered = new OrderedApp(chart, 'ordered', { kubernetesVersion: '1.29', ...props });

  ordered.add(new kplus.Deployment(chart, 'web', {
    containers: [
      { name: 'app', image: 'edge/web:3.1.0', portNumber: 8080 },
      {
        name: 'proxy',
        image: 'envoyproxy/envoy:v1.31.2',
        portNumber: 10000,
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 9901 }),
        securityContext: { user: 101, group: 101 },
      },
      { name: 'cache', image: 'memcached:1.6.29', portNumber: 11211, securityContext: { user: 11211, group: 11211 } },
    ],
  }), { sidecars: ['proxy', 'cache'] });
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? `${__dirname}/dist` });
  build(app);
  app.synth();
}
