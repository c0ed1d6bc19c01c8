// lodash ships no types and @types/lodash is not a dependency: the one function the pick filter uses.
declare module 'lodash/get.js' {
  export default function get(object: unknown, path: string): unknown;
}
