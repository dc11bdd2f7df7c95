declare module 'snappyjs' {
  /** Snappy block-format compression; returns the same kind of buffer it was given. */
  function compress(input: Uint8Array): Uint8Array;
  function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
  const snappy: { compress: typeof compress; uncompress: typeof uncompress };
  export default snappy;
  export { compress, uncompress };
}
