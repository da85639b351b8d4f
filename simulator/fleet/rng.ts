/**
 * Seeded pseudo-random numbers for the simulated fleet. The model must be reproducible from a seed (tests assert
 * exact placements), so nothing in simulator/fleet/model.ts may call Math.random.
 *
 * The state is a plain object so it lives inside the model's plain data.
 */

export interface RngState {
  s: number;
}

export function createRng(seed: number): RngState {
  // mulberry32 degenerates with a zero state only in theory, but a fixed non-zero fallback keeps seed 0 usable.
  return { s: seed >>> 0 || 0x9e3779b9 };
}

/** mulberry32: tiny, fast, good enough statistical quality for a load simulation. Returns [0, 1). */
export function nextFloat(r: RngState): number {
  r.s = (r.s + 0x6d2b79f5) >>> 0;
  let t = r.s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Integer in [min, max], both inclusive. */
export function randInt(r: RngState, min: number, max: number): number {
  return min + Math.floor(nextFloat(r) * (max - min + 1));
}

export function uniform(r: RngState, min: number, max: number): number {
  return min + nextFloat(r) * (max - min);
}

export function chance(r: RngState, probability: number): boolean {
  return nextFloat(r) < probability;
}

export function pick<T>(r: RngState, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick from an empty list");
  return items[Math.floor(nextFloat(r) * items.length)] as T;
}

/** Standard normal via Box–Muller. */
export function gaussian(r: RngState): number {
  const u = Math.max(nextFloat(r), 1e-12);
  const v = nextFloat(r);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Poisson-distributed count with mean `lambda` (Knuth for small means, a normal approximation above 30). */
export function poisson(r: RngState, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(r)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = nextFloat(r);
  while (p > limit) {
    k++;
    p *= nextFloat(r);
  }
  return k;
}

export function hexString(r: RngState, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += Math.floor(nextFloat(r) * 16).toString(16);
  return out;
}

/** RFC 4122 version-4 UUID from the seeded generator (zod's z.uuid() checks version and variant bits). */
export function uuidV4(r: RngState): string {
  const h = hexString(r, 32).split("");
  h[12] = "4";
  h[16] = "89ab"[Math.floor(nextFloat(r) * 4)] as string;
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** FNV-1a 32-bit, for ids that must be stable whatever the seed (the demo rooms' participants). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
