export {
  isRetryableStatus,
  RemoteWriteCollectError,
  type RemoteWriteError,
  type RemoteWriteFailure,
  RemoteWriteHttpError,
  RemoteWriteNetworkError,
  RemoteWriteTimeoutError,
} from './errors';
export { type RemoteWriteAuth, RemoteWriter, type RemoteWriterOptions } from './remote-writer';
export { snappyCompress } from './snappy';
export {
  type Label,
  type Metadata,
  type NativeSample,
  splitSeries,
  type TimeSeries,
  toTimeSeries,
} from './time-series';
export { encodeWriteRequest } from './write-request';
