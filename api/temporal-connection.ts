/**
 * A Temporal client connection that can be closed without losing a call: it counts the calls in flight (each
 * one until its final status, retries included) so a process that stops drains them first. Closing while the
 * SDK's retry interceptor has a retry scheduled would crash the process ("Channel has been shut down" thrown
 * from a timer).
 */
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import {
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
} from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { Config } from '../config';

/** Connection options for the configured Temporal: envconfig for a cluster, the local dev server otherwise. */
export function temporalConnectOptions(config: Config) {
  if (config.temporal.address) {
    const loaded = loadClientConnectConfig();
    return {
      connectionOptions: loaded.connectionOptions,
      namespace: loaded.namespace ?? config.temporal.namespace,
    };
  }
  return {
    connectionOptions: { address: `127.0.0.1:${config.temporal.devPort}` },
    namespace: config.temporal.namespace,
  };
}

export interface DrainingConnection {
  connection: Connection;
  /** calls started and not yet answered */
  inFlight(): number;
  /** resolves when no call is in flight, or after `timeoutMs` */
  drained(timeoutMs?: number): Promise<void>;
  /** drains (at most `timeoutMs`), then closes the connection */
  close(timeoutMs?: number): Promise<void>;
}

export async function connectDraining(options: ConnectionOptions = {}): Promise<DrainingConnection> {
  let inFlight = 0;
  const idle: (() => void)[] = [];
  const counting: Interceptor = (opts, nextCall) =>
    new InterceptingCall(nextCall(opts), {
      start(metadata, listener, next) {
        inFlight++;
        let done = false;
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            if (!done) {
              done = true;
              inFlight--;
              if (inFlight === 0) for (const wake of idle.splice(0)) wake();
            }
            nextStatus(status);
          },
        });
      },
    });
  const connection = await Connection.connect({
    ...options,
    // outermost first: the count spans the SDK's own retries
    interceptors: [
      counting,
      ...(options.interceptors ?? [makeGrpcRetryInterceptor(defaultGrpcRetryOptions())]),
    ],
  });
  const drained = async (timeoutMs = 30_000) => {
    if (inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      idle.push(resolve);
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
  };
  return {
    connection,
    inFlight: () => inFlight,
    drained,
    async close(timeoutMs) {
      await drained(timeoutMs);
      await connection.close();
    },
  };
}
