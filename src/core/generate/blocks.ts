/**
 * Storage block replication, modelled on HDFS: the metadata node allocates a `blk_<id>`, each
 * replica's data node receives it, acknowledges it and is registered; a scanner may verify it later.
 */
import { Plan, type Activity, type InjectableKind } from './plan';
import type { Instance, World } from './world';

export const BLOCK_KINDS: readonly InjectableKind[] = ['rare-error', 'unusual-value', 'planted-word'];

const FULL_BLOCK = 67108864;

export function planBlock(world: World, inject?: InjectableKind): Activity {
  const r = world.rng;
  const block = world.blockId();
  const plan = new Plan(block);
  const namenode = world.namenode;
  const nodes = world.instances.storage;
  const replicaCount = r.chance(0.7) ? 3 : 2;
  const first = r.int(0, nodes.length - 1);
  const replicas: Instance[] = [];
  for (let i = 0; i < replicaCount; i++) replicas.push(nodes[(first + i * 2) % nodes.length]);
  const size = r.chance(0.75) ? FULL_BLOCK : r.int(4096, FULL_BLOCK);
  const writer = r.chance(0.5) ? replicas[0].ip : `10.250.${r.int(1, 20)}.${r.int(2, 250)}`;

  plan.add(
    0,
    namenode,
    'INFO',
    `BLOCK* NameSystem.allocateBlock: /user/root/warehouse/part-${String(r.int(0, 99999)).padStart(5, '0')}. ${block}`,
    'dfs.FSNamesystem',
  );
  for (const node of replicas) {
    plan.add(
      r.int(5, 60),
      node,
      'INFO',
      `Receiving block ${block} src: /${writer}:${r.int(32768, 60999)} dest: /${node.ip}:50010`,
      'dfs.DataNode$DataXceiver',
    );
  }
  plan.at += Math.round(size / 60_000 + r.int(50, 400)); // transfer time grows with size
  // A rare error replaces one replica's acknowledgement: that replica is never registered.
  const failedReplica = inject === 'rare-error' ? r.int(0, replicaCount - 1) : -1;
  const negativeReplica = inject === 'unusual-value' ? r.int(0, replicaCount - 1) : -1;
  for (let i = replicaCount - 1; i >= 0; i--) {
    const node = replicas[i];
    if (i === failedReplica) {
      const error = r.chance(0.5)
        ? `checksum mismatch in ${block} from /${writer} at offset ${r.int(1, 1023) * 65536}, marking replica corrupt`
        : `DataXceiver error processing WRITE_BLOCK for ${block}: disk I/O error on /dev/sd${r.pick(['b', 'c'])}: medium error`;
      Plan.mark(plan.add(r.int(1, 30), node, 'ERROR', error, 'dfs.DataNode'), 'rare-error');
      continue;
    }
    const received = plan.add(
      r.int(1, 30),
      node,
      'INFO',
      `Received block ${block} of size ${size} from /${writer}`,
      'dfs.DataNode$PacketResponder',
    );
    if (i === negativeReplica) {
      received.message = `Received block ${block} of size -${size} from /${writer}`;
      Plan.mark(received, 'unusual-value');
    }
    plan.add(r.int(0, 3), node, 'INFO', `PacketResponder ${i} for block ${block} terminating`, 'dfs.DataNode$PacketResponder');
    plan.add(
      r.int(1, 15),
      namenode,
      'INFO',
      `BLOCK* NameSystem.addStoredBlock: blockMap updated: ${node.ip}:50010 is added to ${block} size ${size}`,
      'dfs.FSNamesystem',
    );
  }
  if (inject === 'planted-word' || r.chance(0.35)) {
    const scanner = r.pick(replicas);
    const verified = plan.add(r.int(2_000, 120_000), scanner, 'INFO', `Verification succeeded for ${block}`, 'dfs.DataBlockScanner');
    if (inject === 'planted-word') Plan.mark(verified, 'planted-word', `Verification bypassed for ${block}`);
  }
  return { lines: plan.lines, injected: inject };
}
