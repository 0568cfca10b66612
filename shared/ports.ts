/** Injected time and randomness, so the domain and use cases stay deterministic under test. */
export interface Clock {
  now(): number;
}

export interface Random {
  bytes(length: number): Uint8Array;
  id(prefix: string): string;
}
