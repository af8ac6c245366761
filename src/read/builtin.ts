/**
 * A module built into Node, found through `globalThis.process`: the core imports no node:
 * module, so that it runs in a browser too, and takes Node's faster way where there is one.
 */

/** The built-in module `id` (`node:zlib`), or undefined where there is none (a browser). */
export function nodeBuiltin<T>(id: string): T | undefined {
  const proc = globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}
