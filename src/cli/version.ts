// The CLI's version: package.json's, written into the bundle by esbuild (esbuild.mjs `define`); "0.0.0-dev" under tsx.
declare const SA_TOKEN_VERSION: string | undefined;

export const CLI_VERSION = typeof SA_TOKEN_VERSION === 'string' ? SA_TOKEN_VERSION : '0.0.0-dev';
