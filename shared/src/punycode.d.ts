// punycode.js ships no types; this is the one function we use.
declare module 'punycode/punycode.js' {
  const punycode: { toUnicode(domain: string): string; toASCII(domain: string): string }
  export default punycode
}
