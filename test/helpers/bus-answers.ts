import { ipcEvent } from '../../src/events/astrid-event.js';
import type { BusTransport } from '../../src/events/bus-transport.js';
import { type IpcMessage, ipcMessage } from '../../src/events/ipc-message.js';
import type { IpcPayload } from '../../src/events/ipc-payload.js';

/**
 * Answers the next question asked on `topic` the way a person's client
 * would: on `<topic>.response.<request_id>`, as `principal`, with
 * `payload(requestId)` (`claimed` marks the answer as claimed-not-verified).
 * Resolves with the question.
 */
export function answerNext(
  bus: BusTransport,
  topic: string,
  principal: string | null,
  payload: (id: string) => IpcPayload,
  claimed = false,
): Promise<IpcMessage> {
  const sub = bus.subscribeRouted({
    capsuleUuid: `answer-${Math.random()}`,
    pattern: topic,
    capsuleLabel: 'test',
  });
  return (async () => {
    const question = await sub.recv(10_000);
    sub.close();
    if (question === null) throw new Error(`no question on ${topic}`);
    const id = (question.payload as { request_id: string }).request_id;
    bus.publish(
      ipcEvent(
        ipcMessage({ topic: `${topic}.response.${id}`, payload: payload(id), principal, claimed }),
      ),
    );
    return question;
  })();
}
