import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import './i18n';
import './styles.css';
import { ProblemError } from './api/client';
import { App } from './App';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
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
