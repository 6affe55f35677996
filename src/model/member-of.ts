// Fixed name lists (activations, initializers, merge kinds) and the type guard each needs.

/** A guard for the names of `list`: `memberOf(ACTIVATIONS)(name)` narrows `name` to the list's union. */
export function memberOf<T extends string>(list: readonly T[]): (name: string) => name is T {
  const names = new Set<string>(list);
  return (name: string): name is T => names.has(name);
}
