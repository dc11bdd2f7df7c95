import { SCRAPE_SHAPES, scrapeLabels } from './fixtures.mjs';

/**
 * The floor of the counter scrape cases: promkit's text page for the case, as an array of
 * its exact lines made once (each its own flat string, not a rope nor a slice of a page),
 * joined per run. No renderer can do less than this join; smoke mode checks the page is promkit's.
 */

/** `metrics` = 1: the page of `counterRegistry` in promkit-cases.mjs, line by line. */
function counterLines({ metrics, series }) {
  const lines = [];
  for (let m = 0; m < metrics; m++) {
    const name = `bench_scrape_${m}_total`;
    lines.push(`# HELP ${name} Scrape benchmark counter.\n`, `# TYPE ${name} counter\n`);
    for (let k = 0; k < series; k++) {
      const { path, code } = scrapeLabels(k);
      lines.push(`${name}{path="${path}",code="${code}"} ${k + 1}\n`);
    }
  }
  // Each line a flat string of its own, outside the timed run: a template literal makes
  // a rope of pieces, and a flattened rope still reaches its text through one more hop.
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  return lines.map((line) => decoder.decode(encoder.encode(line)));
}

const setups = {
  'scrape-counter-10k-text'() {
    const lines = counterLines(SCRAPE_SHAPES.counter10k);
    return { run: () => lines.join(''), page: () => lines.join('') };
  },
  'scrape-counter-100k-text'() {
    const lines = counterLines(SCRAPE_SHAPES.counter100k);
    return { run: () => lines.join(''), page: () => lines.join('') };
  },
};

export function setup(id) {
  const make = setups[id];
  return make === undefined ? undefined : make();
}
