import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OrderedApp, OrderedAppProps } from '../../lib';

/**
 * Docker's example-voting-app, written the way its compose file reads:
 *
 * ```yaml
 * vote:   { depends_on: { redis: { condition: service_healthy } } }
 * worker: { depends_on: { redis: { condition: service_healthy }, db: { condition: service_healthy } } }
 * result: { depends_on: { db: { condition: service_healthy } } }
 * ```
 *
 * `service_healthy` becomes "a TCP connection to the Service succeeds": a
 * Service routes only to pods whose readiness probe (compose's healthcheck)
 * passes.
 */
export function build(app: App, props: OrderedAppProps = {}): Chart {
  const chart = new Chart(app, 'voting', { namespace: 'voting' });
  const ordered = new OrderedApp(chart, 'ordered', props);

  const redisDeployment = new kplus.Deployment(chart, 'redis', {
    containers: [{
      image: 'redis:7.4-alpine',
      portNumber: 6379,
      securityContext: { user: 999, group: 999 },
      readiness: kplus.Probe.fromCommand(['redis-cli', 'ping']),
    }],
  });
  redisDeployment.exposeViaService({ name: 'redis' });
  const redis = ordered.add(redisDeployment);

  const db = ordered.add(new kplus.StatefulSet(chart, 'db', {
    containers: [{
      image: 'postgres:16.4-alpine',
      portNumber: 5432,
      securityContext: { user: 70, group: 70 },
      readiness: kplus.Probe.fromCommand(['pg_isready', '-U', 'postgres']),
    }],
  }));

  const voteDeployment = new kplus.Deployment(chart, 'vote', {
    containers: [{ image: 'dockersamples/examplevotingapp_vote:v1', portNumber: 80, readiness: kplus.Probe.fromHttpGet('/') }],
  });
  voteDeployment.exposeViaService({ name: 'vote' });
  const vote = ordered.add(voteDeployment);

  const resultDeployment = new kplus.Deployment(chart, 'result', {
    containers: [{ image: 'dockersamples/examplevotingapp_result:v1', portNumber: 80 }],
  });
  resultDeployment.exposeViaService({ name: 'result' });
  const result = ordered.add(resultDeployment);

  const worker = ordered.add(new kplus.Deployment(chart, 'worker', {
    containers: [{ image: 'dockersamples/examplevotingapp_worker:v1' }],
  }));

  vote.dependsOn(redis);
  worker.dependsOn(redis);
  worker.dependsOn(db);
  result.dependsOn(db);
  return chart;
}

if (require.main === module) {
  const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? `${__dirname}/dist` });
  build(app);
  app.synth();
}
