import type { AstridEvent } from '../../../../events/astrid-event.js';
import type { IpcMessage } from '../../../../events/ipc-message.js';
import type { InstanceState } from './instance-state.js';

/**
 * Publishes a question and waits for its answer: the reply topic is
 * subscribed before the question goes out (so a fast answer is not missed),
 * replies that `accept` refuses are logged and ignored, and the wait ends
 * with null at the deadline or when the capsule unloads.
 */
export async function askAndWait(
  state: InstanceState,
  replyTopic: string,
  question: AstridEvent,
  timeoutMs: number,
  accept: (reply: IpcMessage) => Promise<boolean>,
  privileged = false,
): Promise<IpcMessage | null> {
  const host = state.host;
  const sub = host.bus.subscribeRouted({
    capsuleUuid: host.sessionUuid,
    pattern: replyTopic,
    capsuleLabel: host.capsuleId,
    label: 'capsule_host',
    ...(privileged ? { privileged: true } : {}),
  });
  try {
    host.bus.publish(question);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || host.cancel.aborted) return null;
      let reply: IpcMessage | null;
      try {
        reply = await sub.recv(left, host.cancel);
      } catch {
        return null;
      }
      if (reply === null) return null;
      if (await accept(reply)) return reply;
      host.logger.warn(
        {
          security_event: true,
          capsule: host.capsuleId,
          topic: replyTopic,
          from: reply.principal,
          claimed: reply.claimed,
        },
        'ignoring a reply from a principal that may not answer this request',
      );
    }
  } finally {
    sub.close();
  }
}
