/**
 * The unit a per-address limit counts: an IPv4 address as is, an IPv6 address by its /64 prefix
 * (one subscriber line gets a whole /64, so counting single IPv6 addresses would let one phone
 * rotate through 2^64 of them — RFC 6177, RFC 7421). Anything unparsable counts as itself.
 */
export function addressBucket(ip: string): string {
  const address = ip.trim().toLowerCase();
  if (!address.includes(":")) return address;
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (v4mapped?.[1]) return v4mapped[1];
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) return address;
  const groups = [
    ...left,
    ...Array.from({ length: tail === undefined ? 0 : missing }, () => "0"),
    ...right,
  ];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return address;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
