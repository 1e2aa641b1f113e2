// Stands in for the `server-only` package under vitest: the real one throws outside Next's server
// bundle, which would make every lib/server module untestable.
export {};
