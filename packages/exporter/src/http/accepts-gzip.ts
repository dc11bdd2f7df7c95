/** Whether an `Accept-Encoding` header allows gzip (explicitly or via `*`, with q > 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined || header === '') return false;
  let gzip: number | undefined;
  let wildcard: number | undefined;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q' && value !== undefined) q = Number(value);
    }
    if (Number.isNaN(q)) continue;
    if (coding.trim() === 'gzip' || coding.trim() === 'x-gzip') gzip = q;
    else if (coding.trim() === '*') wildcard = q;
  }
  return (gzip ?? wildcard ?? 0) > 0;
}
