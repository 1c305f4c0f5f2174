import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ipcEvent } from '../../events/astrid-event.js';
import { ipcMessage } from '../../events/ipc-message.js';
import { guestJsonValue, type IpcPayload } from '../../events/ipc-payload.js';
import type { Json } from '../../events/json.js';
import type { GatewayContext } from '../gateway-context.js';
import { errorResponses } from '../http-errors.js';
import {
  AGENT_STREAM_TOPICS,
  agentStreamStep,
  PROMPT_TOPIC,
  promptSessionId,
} from '../sse/agent-session-filter.js';
import { followTopics } from '../sse/bus-follower.js';
import { OpenStreams } from '../sse/sse-stream.js';
import { sseTimings } from '../sse/sse-timings.js';

const TAG = 'agent';

const PromptBody = Type.Object(
  {
    text: Type.String({ minLength: 1, description: 'What to say to the agent.' }),
    session_id: Type.Optional(
      Type.String({ description: 'Continue this session; missing or blank starts a new one.' }),
    ),
    context: Type.Optional(Type.Unknown({ description: 'Opaque context passed to the agent.' })),
  },
  { additionalProperties: false },
);
type PromptBody = Static<typeof PromptBody>;

const EventStream = {
  description:
    'Server-sent events: `ready` `{session_id, principal}`, then `delta`, `session_changed` and `elicit` as the agent works, and `response`, after which the stream ends (also after 5 minutes). Messages of other sessions are not forwarded. A `: keep-alive` comment line every 15 s.',
  content: { 'text/event-stream': { schema: Type.String() } },
};

/** Prompting the agent with a streamed answer (spec §1.9). */
export function register(app: FastifyInstance, ctx: GatewayContext): void {
  const streams = new OpenStreams(app);

  app.post<{ Body: PromptBody }>(
    '/api/agent/prompt',
    {
      preHandler: app.authenticate,
      schema: {
        tags: [TAG],
        summary: 'Send a prompt as yourself and stream the agent’s answer (SSE)',
        body: PromptBody,
        response: { 200: EventStream, ...errorResponses(400, 401, 500) },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const sessionId = promptSessionId(request.body.session_id, randomUUID);
      const timings = sseTimings(ctx);
      const stream = streams.create(timings.keepAliveMs);
      // Subscribe before publishing, so an instant answer is not missed.
      const release = followTopics(
        ctx.bus,
        { topics: Object.values(AGENT_STREAM_TOPICS), label: 'gateway::agent_sse' },
        (message) => {
          if (stream.closed) return;
          const step = agentStreamStep(message.topic, guestJsonValue(message.payload), sessionId);
          if (step === null) return;
          stream.send(step.event, step.data);
          if (step.ends) stream.end();
        },
        (failure) => {
          if (failure !== undefined)
            ctx.logger.error({ err: String(failure) }, 'agent event stream failed');
          stream.end();
        },
      );
      const deadline = setTimeout(() => stream.end(), timings.promptTimeoutMs);
      stream.onClose(() => {
        clearTimeout(deadline);
        release();
      });
      stream.send('ready', { session_id: sessionId, principal });
      const payload: IpcPayload = {
        type: 'user_input',
        text: request.body.text,
        session_id: sessionId,
        ...(request.body.context === undefined ? {} : { context: request.body.context as Json }),
      };
      ctx.bus.publish(
        ipcEvent(
          ipcMessage({ topic: PROMPT_TOPIC, payload, sourceId: randomUUID(), principal }),
          'gateway',
        ),
      );
      return stream.open(reply);
    },
  );
}
