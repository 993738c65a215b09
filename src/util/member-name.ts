/**
 * A member name without empty and `.` segments (`Python-3.13.0/Modules/./x.c`, `a//b`, `./a`, a
 * trailing `/`). `..` segments are kept, for the check that refuses them.
 */
export function normalizeMemberName(name: string): string {
  return name
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}
