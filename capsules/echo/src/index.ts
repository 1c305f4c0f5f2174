import { caller, defineCapsule, ipc, verdict } from '@astrid/sdk';

/** Where echoes go. */
export const OUT_TOPIC = 'echo.v1.out';

/**
 * `echo`: every event on `echo.v1.in` comes back on `echo.v1.out`, wrapped
 * with who the kernel says sent it, and then passes on unchanged.
 */
export default defineCapsule({
  interceptors: {
    echo: (event) => {
      const from = caller();
      ipc.publish(OUT_TOPIC, {
        payload: event.payload,
        caller: {
          principal: from.principal ?? null,
          source_id: from.sourceId,
          timestamp: from.timestamp,
        },
      });
      return verdict.continue();
    },
  },
});
