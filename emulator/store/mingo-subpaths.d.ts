// mingo publishes its subpath modules through package.json "exports", which this project's
// moduleResolution ("node") does not read for types; these point the subpaths at mingo's own types.
declare module 'mingo/core' {
  export * from 'mingo/types/core/index';
}
declare module 'mingo/aggregator' {
  export * from 'mingo/types/aggregator';
}
declare module 'mingo/operators/accumulator' {
  export * from 'mingo/types/operators/accumulator/index';
}
declare module 'mingo/operators/expression' {
  export * from 'mingo/types/operators/expression/index';
}
declare module 'mingo/operators/pipeline' {
  export * from 'mingo/types/operators/pipeline/index';
}
declare module 'mingo/operators/projection' {
  export * from 'mingo/types/operators/projection/index';
}
declare module 'mingo/operators/query' {
  export * from 'mingo/types/operators/query/index';
}
declare module 'mingo/operators/window' {
  export * from 'mingo/types/operators/window/index';
}
declare module 'mingo/util' {
  export * from 'mingo/types/util/index';
}
