import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** GET over HTTPS trusting `caFile`, optionally presenting a client certificate. */
export function httpsGet(
  url: string,
  tls: { caFile: string; certFile?: string; keyFile?: string },
  headers: Readonly<Record<string, string>> = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(tls.caFile),
        cert: tls.certFile === undefined ? undefined : readFileSync(tls.certFile),
        key: tls.keyFile === undefined ? undefined : readFileSync(tls.keyFile),
        agent: false,
        headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
