const HTML_SPECIAL: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_SPECIAL[ch]!);
}

/** The small HTML page served at `/`, linking the metrics path. */
export function indexPage(title: string, metricsPath: string): string {
  const safeTitle = escapeHtml(title);
  const safePath = escapeHtml(metricsPath);
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${safeTitle}</title></head>
<body>
<h1>${safeTitle}</h1>
<p><a href="${safePath}">Metrics</a></p>
</body>
</html>
`;
}
