// ESC/CSI/OSC sequences, C0 and C1 controls (except tab and newline, handled by the caller),
// and the bidirectional overrides that can make text display other than it reads.
const ESCAPES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[P^_][^\x1b]*(?:\x1b\\)?|[@-Z\\-_])?|\x9b[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Removes escape sequences and control characters from outside text before a terminal sees it. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(ESCAPES, '');
}

/** Like sanitizeForTerminal, and folds tabs and newlines to spaces so a value stays on one line. */
export function sanitizeInline(text: string): string {
  return sanitizeForTerminal(text).replace(/[\t\n]+/g, ' ');
}

const JSON_UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** JSON.stringify, with C1 controls and bidi overrides escaped too (C0 controls already are). */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
