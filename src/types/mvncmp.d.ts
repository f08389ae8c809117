// mvncmp ships no types: Maven's ComparableVersion ordering of two version strings.
declare module 'mvncmp' {
  export function compare(a: string, b: string): number;
}
