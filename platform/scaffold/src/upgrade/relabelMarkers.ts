/**
 * Conflict markers `<<<<<<< <from>[:path]` and `>>>>>>> <from>[:path]` with `<from>` replaced by a
 * label, on the file's bytes: a file in Latin-1, Shift-JIS or any other encoding keeps every byte,
 * and a CRLF file (whose markers git ends with CRLF too) is relabelled like any other.
 */
export function relabelMarkers(content: Buffer, replacements: ReadonlyArray<{ from: string; to: string }>): Buffer {
  const swaps = replacements.map(({ from, to }) => ({ from: Buffer.from(from, 'utf-8'), to: Buffer.from(to, 'utf-8') }));
  const parts: Buffer[] = [];
  let copiedUpTo = 0;
  for (let lineStart = 0; lineStart < content.length; ) {
    const newline = content.indexOf(10, lineStart);
    const lineEnd = newline === -1 ? content.length : newline;
    for (const { from, to } of swaps) {
      const end = lineStart + from.length;
      if (end > lineEnd || !content.subarray(lineStart, end).equals(from)) continue;
      // The marker ends there, or goes on with `:path` (a renamed file) or the CR of a CRLF line.
      if (end !== lineEnd && content[end] !== 0x3a && content[end] !== 0x0d) continue;
      parts.push(content.subarray(copiedUpTo, lineStart), to);
      copiedUpTo = end;
      break;
    }
    lineStart = lineEnd + 1;
  }
  if (copiedUpTo === 0) return content;
  parts.push(content.subarray(copiedUpTo));
  return Buffer.concat(parts);
}
