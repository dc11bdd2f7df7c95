// @promkit/core/wire: the protobuf writer core encodes its exposition with, for packages
// that write other protobuf messages (remote write) without a protobuf library.
export { WireEncodingError } from './errors';
export { KeptProtoWriter } from './wire/kept-writer';
export { ProtoWriter } from './wire/proto-writer';
