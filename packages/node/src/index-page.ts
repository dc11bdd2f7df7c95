import { escapeHtml } from './escape-html';

export interface IndexPageInfo {
  readonly title: string;
  readonly metricsPath: string;
  /** A paragraph under the title. */
  readonly description?: string;
  /** `<meta name="generator">`, e.g. `my-exporter/1.2.0`. */
  readonly generator?: string;
}

/** The small HTML page served at `/`: title, description and a link to the metrics path. */
export function indexPage(info: IndexPageInfo): string {
  const title = escapeHtml(info.title);
  // Relative, so the link still works behind a proxy that serves the page under a prefix;
  // encodeURI keeps the path readable and escapeHtml leaves nothing that could end the attribute.
  const href = escapeHtml(`.${encodeURI(info.metricsPath)}`);
  const path = escapeHtml(info.metricsPath);
  const generator =
    info.generator === undefined
      ? ''
      : `\n    <meta name="generator" content="${escapeHtml(info.generator)}">`;
  const description =
    info.description === undefined || info.description === ''
      ? ''
      : `\n    <p>${escapeHtml(info.description)}</p>`;
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${title}</title>${generator}
  </head>
  <body>
    <h1>${title}</h1>${description}
    <p>Metrics are exported at the <a href="${href}">${path}</a> endpoint.</p>
  </body>
</html>
`;
}
