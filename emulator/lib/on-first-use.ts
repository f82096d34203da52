// A package the emulator needs only for some requests (ReDoS checks, $jsonSchema, geo queries,
// QR codes, the openapi protobufs), loaded when first needed instead of at every start: together
// they were about a third of the emulator's start-up CPU (`npm start`, and every test emulator).
export function onFirstUse<T>(load: () => T): () => T {
  let loaded: { value: T } | undefined;
  return () => (loaded ??= { value: load() }).value;
}
