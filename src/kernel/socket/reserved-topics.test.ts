import { describe, expect, it } from 'vitest';
import { isKernelReservedTopic } from './reserved-topics.js';

describe('reserved topics', () => {
  it('keeps kernel answers and feeds out of clients’ hands', () => {
    for (const t of [
      'astrid.v1.admin.response.agent.list',
      'astrid.v1.response.status',
      'astrid.v1.audit.entry',
      'client.v1.connect',
      'astrid.v1.capsules_loaded',
    ]) {
      expect(isKernelReservedTopic(t)).toBe(true);
    }
    for (const t of ['astrid.v1.admin.agent.list', 'astrid.v1.request.status', 'user.v1.prompt'])
      expect(isKernelReservedTopic(t)).toBe(false);
  });
});
