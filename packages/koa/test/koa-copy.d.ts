// The second installed copy of Koa (another version under an alias), typed as Koa.
declare module 'koa-copy' {
  import Koa from 'koa';
  export default Koa;
}
