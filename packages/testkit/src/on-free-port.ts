import { ServiceStartError } from './errors';
import { freePort } from './free-port';

const ATTEMPTS = 3;

/**
 * Runs `launch` on a free port, again on another one when the port was taken between
 * `freePort()` and the service binding it.
 */
export async function onFreePort<T>(launch: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(await freePort());
    } catch (error) {
      const portRace =
        error instanceof ServiceStartError && /address already in use/i.test(error.message);
      if (!portRace || attempt >= ATTEMPTS) throw error;
    }
  }
}
