// A page of documents as a table: _id and every field any shown document has, each row with view,
// edit and a two-step delete.
import { useState } from 'preact/hooks';
import { brief } from '../../json';
import type { JsonObject } from '../../types';

function columnsOf(docs: JsonObject[]): string[] {
  const seen = new Set<string>();
  for (const doc of docs) for (const key of Object.keys(doc)) if (key !== '_id') seen.add(key);
  return ['_id', ...seen];
}

interface Props {
  docs: JsonObject[];
  onView: (doc: JsonObject) => void;
  onEdit: (doc: JsonObject) => void;
  onDelete: (doc: JsonObject) => void;
}

export function DocumentTable({ docs, onView, onEdit, onDelete }: Props) {
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const columns = columnsOf(docs);
  return (
    <table class="documents" aria-label="Documents">
      <thead>
        <tr>
          {columns.map((c) => <th key={c}>{c}</th>)}
          <th />
        </tr>
      </thead>
      <tbody>
        {docs.map((doc) => {
          const id = String(doc._id);
          return (
            <tr key={id} data-id={id}>
              {columns.map((c) => <td key={c} title={c in doc ? JSON.stringify(doc[c]) : ''}>{c in doc ? brief(doc[c]) : ''}</td>)}
              <td class="actions">
                <button onClick={() => onView(doc)}>View</button>
                <button onClick={() => onEdit(doc)}>Edit</button>
                {confirming === id ? (
                  <>
                    <button class="danger" onClick={() => onDelete(doc)}>Confirm delete</button>
                    <button onClick={() => setConfirming(undefined)}>Keep</button>
                  </>
                ) : (
                  <button onClick={() => setConfirming(id)}>Delete</button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
