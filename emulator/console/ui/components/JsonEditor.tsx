// A JSON text area that validates as you type: the parse error (or "must be an object") shows
// under it, and the owner gets the parsed object only when the text is valid.
import { useMemo } from 'preact/hooks';
import { parseObject, type Parsed } from '../json';

interface Props {
  label: string;
  value: string;
  onInput: (text: string) => void;
  rows?: number;
  /** Treat an empty box as {} (filters). */
  blankIsEmpty?: boolean;
}

export function JsonEditor({ label, value, onInput, rows = 12, blankIsEmpty = false }: Props) {
  const parsed: Parsed = useMemo(() => parseObject(value, label, blankIsEmpty), [value, label, blankIsEmpty]);
  return (
    <div class="json-editor">
      <textarea
        aria-label={label}
        class={parsed.ok ? '' : 'invalid'}
        rows={rows}
        spellcheck={false}
        value={value}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
      {!parsed.ok && <p class="hint invalid-hint" role="alert">{parsed.error}</p>}
    </div>
  );
}
