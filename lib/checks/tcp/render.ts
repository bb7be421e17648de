import { Construct, IConstruct } from 'constructs';
import { WAITER_ENV } from '../../contract';
import { checkHost, checkPort, invalid } from '../../validation';
import type { ServiceFacts } from '../../workload';
import { CheckMode, CheckSpec, NetworkCheck } from '../check';

/**
 * TCP: every `host:port` in `WAIT_ADDRESSES` accepts a connection
 * (`check.sh`). `WaitFor.tcp` and `WaitFor.serviceReady` are this check.
 *
 * The bodies of its `WaitFor` factories: they check their arguments
 * (`lib/validation.ts`) and render the check's environment. `kind.ts` has
 * its shell, its line and its hosts.
 *
 * @internal
 */

/** `WaitFor.tcp`: a TCP connection to `host:port` succeeds. */
export function tcpCheck(host: string, port: number): CheckSpec {
  checkHost('WaitFor.tcp', 'host', host);
  checkPort('WaitFor.tcp', 'port', port);
  return {
    key: ['tcp', host, port],
    render: () => ({
      slug: `${host}-${port}`,
      description: `tcp ${host}:${port}`,
      mode: CheckMode.NETWORK,
      network: NetworkCheck.TCP,
      env: [[WAITER_ENV.ADDRESSES, `${host}:${port}`]],
    }),
  };
}

/** `WaitFor.serviceReady`: every port of the Service that `service` is or holds, as read at synth. */
export function serviceReadyCheck(service: IConstruct): CheckSpec {
  if (!Construct.isConstruct(service)) {
    throw invalid('WaitFor.serviceReady', 'service', service, 'is not a construct', 'pass the Service construct, or a construct that holds one Service');
  }
  return { key: ['service', service.node.path], render: (ctx) => serviceCheck(ctx.service(service)).render(ctx) };
}

/** `serviceReady` for a Service read at synth: a TCP connection to each of its ports, by its name (and namespace, if not the waiter's). */
export function serviceCheck(service: ServiceFacts): CheckSpec {
  return {
    key: ['service', service.object.node.path],
    render: (ctx) => {
      if (service.ports.length === 0) {
        throw new Error(`${ctx.path}: Service '${service.object.node.path}' has no ports to connect to; add a port to it, or pass check: WaitFor.podsReady(...)`);
      }
      const host = service.namespace && service.namespace !== ctx.namespace ? `${service.name}.${service.namespace}` : service.name;
      return {
        slug: ownerId(service.object),
        description: `service ${host} ports ${service.ports.join(',')}`,
        mode: CheckMode.NETWORK,
        network: NetworkCheck.TCP,
        env: [[WAITER_ENV.ADDRESSES, service.ports.map((p) => `${host}:${p}`).join(' ')]],
      };
    },
  };
}

/** The id that names a Service: a cdk8s-plus Service's own id (not 'Resource'), or its workload's for a governing 'Service'. */
function ownerId(object: IConstruct): string {
  let c: IConstruct = object;
  if (c.node.id === 'Resource' && c.node.scope) c = c.node.scope;
  if (c.node.id === 'Service' && c.node.scope) c = c.node.scope;
  return c.node.id;
}
