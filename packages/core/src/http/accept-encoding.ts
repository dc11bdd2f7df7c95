/**
 * Whether an `Accept-Encoding` header allows gzip: `gzip` (or `x-gzip`) with q > 0, or
 * `*` with q > 0 when gzip is not named. `gzip;q=0` refuses it outright.
 */
export function acceptsGzip(header: string | null | undefined): boolean {
  if (header === undefined || header === null || header === '') return false;
  let wildcard: boolean | undefined;
  for (const element of header.split(',')) {
    const [rawCoding = '', ...params] = element.split(';');
    const coding = rawCoding.trim().toLowerCase();
    if (coding === '') continue;
    let q = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=');
      if (key.trim().toLowerCase() === 'q') {
        const parsed = Number(value.trim());
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    if (coding === 'gzip' || coding === 'x-gzip') return q > 0;
    if (coding === '*') wildcard = q > 0;
  }
  return wildcard === true;
}
