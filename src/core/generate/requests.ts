/**
 * HTTP requests: a `req-<hex>` session that flows gateway → auth → backend service(s) → gateway
 * response, with latency in the response line that matches the timestamps.
 */
import { Plan, type Activity, type InjectableKind, type PlannedLine } from './plan';
import type { Random } from './random';
import type { Level } from './types';
import type { Instance, World } from './world';

type Flow = 'product' | 'search' | 'order' | 'login' | 'download';
const FLOWS: readonly Flow[] = ['product', 'search', 'order', 'login', 'download'];
const FLOW_WEIGHTS = [0.4, 0.2, 0.13, 0.15, 0.12];

/** Status codes normal traffic never produces. */
const UNSEEN_STATUSES = [418, 451, 509, 599] as const;

export const REQUEST_KINDS: readonly InjectableKind[] = ['rare-error', 'unusual-value', 'planted-word', 'missing-step', 'out-of-order'];

function money(r: Random): string {
  return r.logNormal(45, 0.8).toFixed(2);
}

function tokenLine(req: string, user: string, scope: string, ms: number): string {
  return `${req} token for user ${user} accepted (scope=${scope}) in ${ms} ms`;
}

export function planRequest(world: World, inject?: InjectableKind): Activity {
  const r = world.rng;
  // Login requests carry no token line, so a planted word needs one of the other flows.
  let flow = r.weighted(FLOWS, FLOW_WEIGHTS);
  if (inject === 'planted-word' && flow === 'login') flow = 'product';
  const req = world.requestId();
  const plan = new Plan(req);
  const gateway = world.instance('api-gateway');
  const user = world.user();
  const client = world.clientIp();
  let status = 200;
  let bytes = r.int(300, 9000);
  let tokenStep: PlannedLine | undefined;
  let confirmStep: PlannedLine | undefined;
  let unusualStep: (() => PlannedLine) | undefined;

  const receive = (method: string, path: string) => plan.add(0, gateway, 'INFO', `${req} ${method} ${path} received from ${client}`);
  const authorise = (scope: string) => {
    const ms = r.int(1, 9);
    tokenStep = plan.add(r.int(1, 4), world.instance('auth'), 'INFO', tokenLine(req, user, scope, ms));
    plan.at += ms;
  };

  switch (flow) {
    case 'product': {
      const product = world.productId();
      receive('GET', `/api/v1/products/${product}`);
      authorise('read');
      const inventory = world.instance('inventory');
      if (r.chance(0.55)) {
        const db = world.database();
        plan.add(r.int(1, 3), inventory, 'DEBUG', `${req} cache miss for product ${product}, querying ${db}`);
        const ms = Math.max(1, Math.round(r.logNormal(9, 0.6)));
        const rows = r.int(1, 40);
        const query = plan.add(ms, inventory, 'INFO', `${req} query on ${db} returned ${rows} rows in ${ms} ms`);
        unusualStep = () => {
          query.message = `${req} query on ${db} returned ${r.int(2_000_000, 90_000_000)} rows in ${ms} ms`;
          return query;
        };
      } else {
        plan.add(r.int(1, 3), inventory, 'DEBUG', `${req} cache hit for product ${product}`);
      }
      const roll = r.next();
      status = roll < 0.03 ? 304 : roll < 0.05 ? 404 : 200;
      break;
    }
    case 'search': {
      const term = world.searchTerm();
      receive('GET', `/api/v1/search?q=${term}`);
      authorise('read');
      const ms = Math.max(2, Math.round(r.logNormal(25, 0.5)));
      plan.add(
        r.int(1, 3) + ms,
        world.instance('inventory'),
        'INFO',
        `${req} search for ${term} matched ${r.int(0, 300)} products in ${ms} ms`,
      );
      bytes = r.int(2000, 40000);
      break;
    }
    case 'order': {
      const order = world.orderId();
      const items = r.int(1, 6);
      const amount = money(r);
      const orders = world.instance('orders');
      receive('POST', '/api/v1/orders');
      authorise('write');
      plan.add(r.int(1, 4), orders, 'INFO', `${req} creating order ${order} for user ${user} with ${items} items`);
      plan.add(
        r.int(4, 20),
        world.instance('inventory'),
        'INFO',
        `${req} reserved ${items} items for order ${order} on ${world.database()}`,
      );
      const payments = world.instance('payments');
      const card = String(r.int(0, 9999)).padStart(4, '0');
      if (r.chance(0.3)) {
        plan.add(r.logNormal(900, 0.5), payments, 'DEBUG', `${req} 3-D Secure challenge passed for order ${order}`);
      }
      if (r.chance(0.03) && inject === undefined) {
        // Declined cards are part of normal life: an ERROR that is not an anomaly.
        plan.add(
          r.logNormal(180, 0.4),
          payments,
          'ERROR',
          `${req} charge for order ${order} declined by issuer (code ${r.pick([5, 51, 54])})`,
        );
        plan.add(r.int(1, 5), orders, 'WARN', `${req} order ${order} cancelled: payment declined`);
        status = 402;
      } else {
        const charge = plan.add(
          r.logNormal(180, 0.4),
          payments,
          'INFO',
          `${req} charge of ${amount} EUR authorized for order ${order} via card ending ${card}`,
        );
        unusualStep = () => {
          charge.message = `${req} charge of -${amount} EUR authorized for order ${order} via card ending ${card}`;
          return charge;
        };
        confirmStep = plan.add(r.int(2, 10), orders, 'INFO', `${req} order ${order} confirmed, ${items} items, total ${amount} EUR`);
        status = 201;
      }
      bytes = r.int(400, 1200);
      break;
    }
    case 'login': {
      receive('POST', '/api/v1/login');
      const auth = world.instance('auth');
      if (r.chance(0.08) && inject === undefined) {
        plan.add(
          r.int(20, 90),
          auth,
          'WARN',
          `${req} login failed for user ${user} from ${client}: invalid password (attempt ${r.int(1, 3)})`,
        );
        status = 401;
      } else {
        plan.add(
          r.int(20, 90),
          auth,
          'INFO',
          `${req} login succeeded for user ${user} from ${client} (mfa=${r.chance(0.4) ? 'yes' : 'no'})`,
        );
      }
      bytes = r.int(200, 600);
      break;
    }
    case 'download': {
      const path = world.filePath();
      const size = Math.round(r.logNormal(180_000, 1.2));
      const node = world.instance('storage');
      receive('GET', `/api/v1/files${path}`);
      authorise('read');
      const serve = plan.add(r.int(2, 8) + size / 50_000, node, 'INFO', `${req} serving ${path} (${size} bytes) from ${node.host}`);
      unusualStep = () => {
        serve.message = `${req} serving ${path} (-${size} bytes) from ${node.host}`;
        return serve;
      };
      bytes = size;
      break;
    }
  }

  let responseGap = r.int(1, 6);
  let unusualResponse = false;
  let errorStep: PlannedLine | undefined;
  if (inject === 'unusual-value' && (unusualStep === undefined || r.chance(0.5))) {
    unusualResponse = true;
    if (r.chance(0.5)) status = r.pick(UNSEEN_STATUSES);
    else responseGap += Math.max(plan.at, 20) * 100; // ~100x the normal latency
  } else if (inject === 'unusual-value' && unusualStep !== undefined) {
    Plan.mark(unusualStep(), 'unusual-value');
  } else if (inject === 'rare-error') {
    errorStep = plan.add(r.int(2, 30), ...rareRequestError(world, req, flow));
    status = 500;
  }
  const response = plan.add(responseGap, gateway, 'INFO', `${req} response ${status} sent in ${plan.at + responseGap} ms (${bytes} bytes)`);

  if (unusualResponse) Plan.mark(response, 'unusual-value');
  if (errorStep !== undefined) {
    Plan.mark(errorStep, 'rare-error');
    Plan.mark(response, 'rare-error');
  }
  if (inject === 'planted-word') {
    if (confirmStep !== undefined && r.chance(0.5)) {
      Plan.mark(confirmStep, 'planted-word', confirmStep.message.replace(' confirmed,', ' duplicated,'));
    } else if (tokenStep !== undefined) {
      Plan.mark(tokenStep, 'planted-word', tokenStep.message.replace(' accepted ', ' revoked '));
    }
  }
  if (inject === 'missing-step') {
    plan.lines.pop();
    Plan.mark(plan.lines[plan.lines.length - 1], 'missing-step');
  }
  if (inject === 'out-of-order') {
    // The response is logged before the step that should precede it.
    const previous = plan.lines[plan.lines.length - 2];
    Plan.swap(previous, response);
    Plan.mark(previous, 'out-of-order');
  }
  return { lines: plan.lines, injected: inject };
}

/** An error template that normal traffic never writes, fitting the request's backend. */
function rareRequestError(world: World, req: string, flow: Flow): [Instance, Level, string] {
  const r = world.rng;
  switch (flow) {
    case 'order':
      return r.chance(0.5)
        ? [
            world.instance('orders'),
            'ERROR',
            `${req} unhandled exception in OrderService.submit: java.lang.NullPointerException at OrderService.java:${r.int(180, 260)}`,
          ]
        : [
            world.instance('payments'),
            'ERROR',
            `${req} payment provider returned malformed response (HTTP 200, empty body), aborting charge`,
          ];
    case 'download': {
      const node = world.instance('storage');
      return [
        node,
        'ERROR',
        `${req} read failed on ${node.host}: disk I/O error on /dev/sd${r.pick(['b', 'c', 'd'])}: medium error, sector ${r.int(100000, 9000000)}`,
      ];
    }
    case 'login':
      return [world.instance('auth'), 'ERROR', `${req} LDAP bind to ldap-${r.int(1, 2)} failed: certificate has expired`];
    default:
      return [
        world.instance('inventory'),
        'ERROR',
        `${req} query on ${world.database()} failed: could not read block ${r.int(1000, 99999)} of relation products: Input/output error`,
      ];
  }
}
