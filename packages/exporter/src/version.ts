import { version } from '../package.json';

/** This package's version, for the sample exporter's `--version` and `Server` header. */
export const PACKAGE_VERSION: string = version;
