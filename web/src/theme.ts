import { useEffect, useState } from 'react';

export type Theme = 'dark' | 'light';
const KEY = 'aimoviez.theme';

export function applyTheme(theme: Theme) {
  document.documentElement.dataset.theme = theme;
}

export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem(KEY) as Theme) || 'dark');
  useEffect(() => { applyTheme(theme); localStorage.setItem(KEY, theme); }, [theme]);
  return [theme, setTheme];
}
