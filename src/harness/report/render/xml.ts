/**
 * The little XML the JUnit renderer needs, without a dependency: escaping, and dropping characters XML 1.0 cannot
 * carry at all (a control character in a partner's body must not make junit.xml unreadable for the CI server).
 */

// Control characters other than tab/LF/CR, lone surrogates, U+FFFE and U+FFFF are not allowed in XML 1.0.
// biome-ignore-start lint/suspicious/noControlCharactersInRegex: matching them is the point
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// biome-ignore-end lint/suspicious/noControlCharactersInRegex: matching them is the point

const clean = (text: string): string => text.replace(NOT_XML, '\uFFFD');

/** Text content: `&`, `<`, `>` escaped. */
export function xmlText(text: string): string {
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; line breaks kept as character references so parsers do not fold them. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** `name="value"` pairs in the given order. */
export function attrs(pairs: Readonly<Record<string, string | number>>): string {
  return Object.entries(pairs)
    .map(([name, value]) => ` ${name}="${xmlAttr(String(value))}"`)
    .join('');
}
