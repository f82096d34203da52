// Caller-supplied text made safe to print on the developer's terminal: every control character
// is shown as an escape instead of acting. C0 and DEL (ANSI escape sequences start with ESC; CR/LF
// start a forged line such as "[fn] user.login caller=server ok 200"), C1 (U+0080-U+009F: CSI is
// an escape on its own for many terminals), and the Unicode line separators and bidirectional
// controls that reorder what a line shows (Unicode TR #9; "Trojan Source", CVE-2021-42574).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
