import type { Command } from 'commander';
import type { Streams } from '../../io/output.js';
import { registerPolicySet } from './set.js';
import { registerPolicyStale } from './stale.js';

export function registerPolicy(program: Command, streams: Streams) {
  const policy = program.command('policy').description('versions of the privacy statement; consents given under an older one');
  registerPolicySet(policy, streams);
  registerPolicyStale(policy, streams);
}
