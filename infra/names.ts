/**
 * `device-register` → `DeviceRegister`, `geoIndex` → `GeoIndex`, `catalog_table` →
 * `CatalogTable`: construct ids and output keys derived from names, so they stay stable and
 * readable in the CloudFormation console.
 */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
