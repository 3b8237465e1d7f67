import { createContext, useContext } from 'react';
import type { Bucket } from '../api/types.js';

export interface ChartTheme {
  readonly grid: string;
  readonly axis: string;
  readonly ok: string;
  readonly bad: string;
  readonly warn: string;
  readonly series: readonly string[];
}

const LIGHT: ChartTheme = {
  grid: '#e3e6ec',
  axis: '#5d6676',
  ok: '#2f9e6b',
  bad: '#d64545',
  warn: '#c98a12',
  series: ['#4f6bed', '#2f9e6b', '#c98a12', '#d64545', '#8a5cd6', '#1c9bb0', '#d6589c', '#6b7a8f'],
};

const DARK: ChartTheme = {
  grid: '#2a3140',
  axis: '#97a1b3',
  ok: '#45c38a',
  bad: '#f07070',
  warn: '#e3b341',
  series: ['#7d93ff', '#45c38a', '#e3b341', '#f07070', '#b08cf0', '#4cc7db', '#f08cc0', '#9aa7ba'],
};

export const ThemeContext = createContext<'light' | 'dark'>('light');

/** Recharts takes colours as SVG attributes: concrete values per theme, not CSS variables. */
export function useChartTheme(): ChartTheme {
  return useContext(ThemeContext) === 'dark' ? DARK : LIGHT;
}

export function tickFormatter(bucket: Bucket): (t: number) => string {
  return (t) => {
    const d = new Date(t);
    const pad = (n: number) => String(n).padStart(2, '0');
    if (bucket === 'day') return `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
}

export function tooltipLabel(t: unknown): string {
  return typeof t === 'number' ? new Date(t).toLocaleString() : String(t);
}

export const tooltipStyle = {
  contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8, color: 'var(--text)', fontSize: 12 },
  labelStyle: { color: 'var(--muted)' },
} as const;
