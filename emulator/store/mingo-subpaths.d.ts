// mingo publishes its subpath modules through package.json "exports", which this project's
// moduleResolution ("node") does not read for types; these point the subpaths at mingo's own types.
declare module 'mingo/core' {
  export * from 'mingo/types/core/index';
}
declare module 'mingo/operators/expression' {
  export * from 'mingo/types/operators/expression/index';
}
