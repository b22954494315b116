import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import './i18n';
import './styles.css';
import { ProblemError } from './api/client';
import { App } from './App';

const queries = new QueryClient({
  defaultOptions: {
    // the console is served by the API it talks to: "offline" is a failed request shown as such, never a
    // request held back until the browser reports a network change (a paused mutation looks like "Sending…")
    mutations: { networkMode: 'always' },
    queries: {
      networkMode: 'always',
      // a refused or missing answer will not change by asking again at once
      retry: (count, err) => count < 2 && err instanceof ProblemError && err.problem.status >= 500,
      refetchOnWindowFocus: true,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
