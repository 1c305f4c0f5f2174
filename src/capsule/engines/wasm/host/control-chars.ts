/** C0 controls (U+0000–U+001F), DEL and C1 controls (U+007F–U+009F). */
export function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

export function hasControlChars(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

export function stripControlChars(text: string): string {
  let out = '';
  for (const ch of text) if (!isControl(ch.charCodeAt(0))) out += ch;
  return out;
}
