// The security.msgSecCheck word list: a word's suggestion and label.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { CloudCallsState, ContentWord } from '../../types';
import { BASE, type Act } from './act';

const LABELS = [20001, 20002, 20003, 20006, 20008, 20012, 20013, 10001, 21000];

export function Words({ state, act }: { state: CloudCallsState; act: Act }) {
  const [word, setWord] = useState<ContentWord>({ word: '', suggest: 'risky', label: 20006 });
  const save = (words: ContentWord[]) => act(() => api(`${BASE}/content-security/words`, 'POST', { words }));
  return (
    <form class="panel" aria-label="Content security words" onSubmit={(e) => {
      e.preventDefault();
      void save([...state.words, { ...word, word: word.word.trim() }]);
    }}>
      <h3>security.msgSecCheck word list</h3>
      <p class="muted">Text containing a word (any case) gets its suggestion and label; anything else passes with label 100.</p>
      <table aria-label="Words">
        <thead><tr><th>Word</th><th>Suggest</th><th>Label</th><th /></tr></thead>
        <tbody>
          {state.words.map((w, i) => (
            <tr key={`${w.word}/${i}`}>
              <td><code>{w.word}</code></td>
              <td>{w.suggest}</td>
              <td>{w.label}</td>
              <td><button type="button" class="link" onClick={() => void save(state.words.filter((_, j) => j !== i))}>remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="row">
        <input aria-label="Word" placeholder="word" value={word.word} onInput={(e) => setWord({ ...word, word: e.currentTarget.value })} />
        <select aria-label="Suggest" value={word.suggest} onChange={(e) => setWord({ ...word, suggest: e.currentTarget.value as ContentWord['suggest'] })}>
          <option value="risky">risky</option>
          <option value="review">review</option>
        </select>
        <select aria-label="Label" value={String(word.label)} onChange={(e) => setWord({ ...word, label: Number(e.currentTarget.value) })}>
          {LABELS.map((l) => <option key={l} value={String(l)}>{l}</option>)}
        </select>
        <button class="primary" type="submit">Add</button>
        <button type="button" onClick={() => void act(() => api(`${BASE}/content-security/words/reset`, 'POST', {}))}>Reset to the seeded words</button>
      </div>
    </form>
  );
}
