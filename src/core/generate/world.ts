/**
 * The simulated platform: service instances (hosts, pids, ips) and the pools of users, clients,
 * products and ids that messages draw their parameters from. Built once per log from its seed.
 */
import { Random, hex8, mix32 } from './random';
import type { ServiceName } from './types';

export interface Instance {
  service: ServiceName;
  host: string;
  pid: number;
  ip: string;
}

const HOSTS: Record<ServiceName, readonly string[]> = {
  'api-gateway': ['web-01', 'web-02', 'web-03'],
  auth: ['auth-01', 'auth-02'],
  orders: ['orders-01', 'orders-02'],
  payments: ['pay-01'],
  inventory: ['inv-01', 'inv-02'],
  storage: ['dn-01', 'dn-02', 'dn-03', 'dn-04', 'dn-05', 'dn-06'],
  scheduler: ['sched-01'],
};

/** Java-style logger names for the HDFS (Loghub) layout, which names a class, not a service. */
export const HDFS_COMPONENTS: Record<ServiceName, string> = {
  'api-gateway': 'web.ApiGateway',
  auth: 'auth.TokenService',
  orders: 'shop.OrderService',
  payments: 'shop.PaymentService',
  inventory: 'shop.InventoryService',
  storage: 'dfs.DataNode',
  scheduler: 'sched.JobScheduler',
};

export const DATABASES = ['db-1', 'db-2', 'db-3', 'db-4'] as const;
export const WORKERS = ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'worker-6'] as const;
const SEARCH_TERMS = [
  'usb-c',
  'headphones',
  'desk+lamp',
  'coffee',
  'running+shoes',
  'backpack',
  'monitor',
  'keyboard',
  'yoga+mat',
  'kettle',
  'charger',
  'notebook',
  'webcam',
  'router',
  'water+bottle',
] as const;
const FILE_DIRS = ['invoices', 'avatars', 'exports', 'images/products', 'receipts'] as const;
const FILE_EXTS = ['pdf', 'png', 'csv', 'jpg', 'pdf'] as const;

const USER_COUNT = 6000;
const CLIENT_COUNT = 2500;

export class World {
  readonly rng: Random;
  readonly instances: Record<ServiceName, Instance[]>;
  /** The storage metadata node (HDFS NameNode): logs block allocation and replica bookkeeping. */
  readonly namenode: Instance;
  private readonly clients: string[];
  private readonly idSalt: number;
  private requestCount = 0;
  private blockCount = 0;
  private jobNumber: number;
  private orderNumber: number;

  constructor(rng: Random) {
    this.rng = rng;
    this.idSalt = rng.uint32();
    this.jobNumber = rng.int(10000, 40000);
    this.orderNumber = rng.int(100000, 500000);
    const instances = {} as Record<ServiceName, Instance[]>;
    let subnet = 1;
    for (const service of Object.keys(HOSTS) as ServiceName[]) {
      // Storage nodes sit on an HDFS-like 10.251.x.x network; the rest on 10.0.<n>.x.
      instances[service] = HOSTS[service].map((host) => ({
        service,
        host,
        pid: rng.int(900, 32000),
        ip: service === 'storage' ? `10.251.${rng.int(30, 120)}.${rng.int(2, 250)}` : `10.0.${subnet}.${rng.int(2, 250)}`,
      }));
      subnet++;
    }
    this.instances = instances;
    this.namenode = { service: 'storage', host: 'nn-01', pid: rng.int(900, 32000), ip: `10.250.${rng.int(1, 20)}.${rng.int(2, 250)}` };
    this.clients = [];
    for (let i = 0; i < CLIENT_COUNT; i++) {
      this.clients.push(`${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`);
    }
  }

  instance(service: ServiceName): Instance {
    return this.rng.pick(this.instances[service]);
  }

  /** A user id; low ids are much more active than high ones, as on a real site. */
  user(): string {
    const r = this.rng.next();
    return `u-${10000 + Math.floor(USER_COUNT * r * r * r)}`;
  }

  clientIp(): string {
    const r = this.rng.next();
    return this.clients[Math.floor(CLIENT_COUNT * r * r)];
  }

  /** Unique within a log: a bijective mix of a counter, so ids never collide. */
  requestId(): string {
    this.requestCount++;
    return `req-${hex8(mix32(this.requestCount + this.idSalt))}`;
  }

  /** HDFS-style signed 64-bit block id, unique within a log. */
  blockId(): string {
    this.blockCount++;
    const high = BigInt(mix32(this.blockCount ^ this.idSalt));
    const low = BigInt(this.rng.uint32());
    return `blk_${BigInt.asIntN(64, (high << 32n) | low).toString()}`;
  }

  jobId(): string {
    this.jobNumber += this.rng.int(1, 3);
    return `job-${this.jobNumber}`;
  }

  orderId(): string {
    this.orderNumber += this.rng.int(1, 4);
    return `ord-${this.orderNumber}`;
  }

  productId(): number {
    const r = this.rng.next();
    return 1000 + Math.floor(9000 * r * r);
  }

  database(): string {
    return this.rng.pick(DATABASES);
  }

  worker(): string {
    return this.rng.pick(WORKERS);
  }

  searchTerm(): string {
    return this.rng.pick(SEARCH_TERMS);
  }

  filePath(): string {
    const i = this.rng.int(0, FILE_DIRS.length - 1);
    return `/${FILE_DIRS[i]}/${hex8(this.rng.uint32()).slice(0, 6)}.${FILE_EXTS[i]}`;
  }
}
