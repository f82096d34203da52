// Viewing, editing or adding one document as JSON (relaxed EJSON: {"$date": "..."} for dates).
// Invalid JSON is reported under the box and nothing is sent.
import { useState } from 'preact/hooks';
import { api, errorText } from '../../api';
import { ErrorLine } from '../../components/ErrorLine';
import { JsonEditor } from '../../components/JsonEditor';
import { JsonView } from '../../components/JsonView';
import { parseObject, pretty } from '../../json';
import type { JsonObject } from '../../types';

export type EditorMode = { kind: 'view'; doc: JsonObject } | { kind: 'edit'; doc: JsonObject } | { kind: 'add' };

interface Props {
  collection: string;
  mode: EditorMode;
  onMode: (mode: EditorMode) => void;
  onClose: () => void;
  onSaved: () => void | Promise<void>;
}

export function DocumentEditor({ collection, mode, onMode, onClose, onSaved }: Props) {
  const [text, setText] = useState(mode.kind === 'add' ? '{\n  \n}' : pretty(mode.doc));
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const base = `/_emulator/console/collections/${encodeURIComponent(collection)}/documents`;

  if (mode.kind === 'view') {
    return (
      <div class="panel" role="region" aria-label="Document">
        <header class="row">
          <h3>Document {String(mode.doc._id)}</h3>
          <button onClick={() => onMode({ kind: 'edit', doc: mode.doc })}>Edit</button>
          <button onClick={onClose}>Close</button>
        </header>
        <JsonView value={mode.doc} label="Document JSON" />
      </div>
    );
  }

  const save = async () => {
    const parsed = parseObject(text, 'document');
    if (!parsed.ok) return; // the editor shows why, under the box
    setSaving(true);
    try {
      if (mode.kind === 'add') await api(base, 'POST', { document: parsed.value });
      else await api(`${base}/${encodeURIComponent(String(mode.doc._id))}`, 'PUT', { document: parsed.value });
      setError(undefined);
      await onSaved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="panel" role="region" aria-label={mode.kind === 'add' ? 'New document' : 'Edit document'}>
      <header class="row">
        <h3>{mode.kind === 'add' ? `New document in ${collection}` : `Edit ${String(mode.doc._id)}`}</h3>
      </header>
      <JsonEditor label="Document JSON" value={text} onInput={setText} />
      <ErrorLine message={error} />
      <div class="row">
        <button class="primary" disabled={saving} onClick={() => void save()}>Save</button>
        <button onClick={onClose}>Cancel</button>
        <span class="muted">Dates as {'{"$date": "2024-01-01T00:00:00Z"}'}; _id is kept (or generated when you add).</span>
      </div>
    </div>
  );
}
