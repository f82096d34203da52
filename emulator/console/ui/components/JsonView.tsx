// Read-only pretty-printed JSON.
import { pretty } from '../json';

export function JsonView({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre class="json" aria-label={label}>
      {pretty(value)}
    </pre>
  );
}
