// Waiting helpers the HTTP test tables share (recording happens when a response ends,
// after the client has seen it).

const WAIT_DEADLINE_MS = 10_000;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` passes, or rethrows its last failure after 10 s. */
export async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + WAIT_DEADLINE_MS;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(20);
    }
  }
}
