export { AnySeriesTable } from './any-table';
export { compileFinder } from './compiled-finder';
export { DeclaredSeriesTable } from './declared-table';
export { LabelSchema } from './label-schema';
export type { RawLabels, SeriesTable } from './table';
