import { Redis } from 'ioredis';
import type { ConnectionWatch } from './queue-connection.js';

/**
 * A connection of its own that only tells the watch when Redis goes and comes back: BullMQ's clients
 * report errors but not recoveries, and an idle worker would otherwise never say the outage is over.
 */
export function probeConnection(watch: ConnectionWatch): { close(): Promise<void> } {
  const client = new Redis({ ...watch.options(), lazyConnect: false, enableOfflineQueue: true });
  client.on('error', watch.onError);
  client.on('ready', () => watch.up());
  return {
    async close() {
      client.disconnect();
    },
  };
}
