// Loading data for a screen: the reply, the error, a reload, and optional polling.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, errorText } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  reload: () => Promise<void>;
}

export function useApi<T>(path: string | undefined, pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const reload = useCallback(async () => {
    if (!path) return;
    try {
      setData(await api<T>(path));
      setError(undefined);
    } catch (err) {
      setError(errorText(err));
    }
  }, [path]);
  useEffect(() => {
    void reload();
    if (!pollMs) return undefined;
    const timer = setInterval(() => void reload(), pollMs);
    return () => clearInterval(timer);
  }, [reload, pollMs]);
  return { data, error, reload };
}
