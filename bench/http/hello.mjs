/** The route every benchmark server answers, shared by the servers and the harness. */
export const HOST = '127.0.0.1';
export const HELLO_PATH = '/hello';
export const HELLO_BODY = 'hello world';
