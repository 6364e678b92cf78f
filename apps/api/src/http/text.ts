// Text the log can take: a log line must not carry raw control characters (a forged line, a
// terminal escape). What the store can take is `unstorableText` of @curio/contracts.

const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` with control characters (except newline and tab) and lone surrogates written as `\xNN` /
 * `\uNNNN`; with `oneLine`, newlines and tabs too.
 */
export function escapeControl(text: string, oneLine = false): string {
  const escaped = text.replace(UNPRINTABLE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
  return oneLine
    ? escaped.replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')
    : escaped;
}
