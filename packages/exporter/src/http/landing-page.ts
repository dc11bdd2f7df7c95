import { escapeHtml } from './escape-html';

export interface LandingPageInfo {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly metricsPath: string;
}

/** The HTML page served at `/`: name, description and a link to the metrics path. */
export function landingPage(info: LandingPageInfo): string {
  const name = escapeHtml(info.name);
  const description = escapeHtml(info.description);
  // Relative, so the link still works behind a proxy that serves the exporter under a prefix;
  // encodeURI keeps the path readable and escapeHtml leaves nothing that could end the attribute.
  const href = escapeHtml(`.${encodeURI(info.metricsPath)}`);
  const path = escapeHtml(info.metricsPath);
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${name}</title>
    <meta name="generator" content="${name}/${escapeHtml(info.version)}">
  </head>
  <body>
    <h1>${name}</h1>
    <p>${description}</p>
    <p>Metrics are exported at the <a href="${href}">${path}</a> endpoint.</p>
  </body>
</html>
`;
}
