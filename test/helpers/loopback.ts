import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts a server on 127.0.0.1 (a free port unless one is given) and returns its base URL. */
export async function listenOnLoopback(server: http.Server, port = 0): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server at once, dropping kept-alive connections instead of waiting for them. */
export async function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
