/**
 * The facts of an SPDX document that the Windows parity test compares: per package (by SPDX id)
 * its name, version, checksums, purls, CPEs, supplier, originator, download location, purpose,
 * concluded license and file name; the relationships; the document's name, namespace and data
 * license. Two spellings are undone first, as for the tarball references: `PACKAGE_MANAGER`
 * (refused by the strict SPDX 2.3 schema, so we write `PACKAGE-MANAGER`) and the all-zero SHA-256
 * the reference's offline stub gave pip's vendored projects (offline, we write none).
 */
export interface DocumentFacts {
  document: { name: string; namespace: string; dataLicense: string };
  packages: Record<string, Record<string, unknown>>;
  relationships: string[];
}

interface SpdxJson {
  name: string;
  documentNamespace: string;
  dataLicense: string;
  packages: {
    SPDXID: string;
    name: string;
    versionInfo?: string;
    checksums?: { algorithm: string; checksumValue: string }[];
    externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
    supplier?: string;
    originator?: string;
    downloadLocation?: string;
    primaryPackagePurpose?: string;
    licenseConcluded?: string;
    packageFileName?: string;
  }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

export function documentFacts(json: unknown): DocumentFacts {
  const doc = json as SpdxJson;
  const packages: DocumentFacts['packages'] = {};
  for (const pkg of doc.packages) {
    const refs = pkg.externalRefs ?? [];
    packages[pkg.SPDXID] = {
      name: pkg.name,
      version: pkg.versionInfo,
      checksums: (pkg.checksums ?? [])
        .filter((checksum) => !/^0+$/.test(checksum.checksumValue))
        .map((checksum) => `${checksum.algorithm}:${checksum.checksumValue}`)
        .sort(),
      purls: refs
        .filter((ref) => ref.referenceType === 'purl')
        .map((ref) => ref.referenceLocator)
        .sort(),
      cpes: refs
        .filter((ref) => ref.referenceType === 'cpe23Type')
        .map((ref) => ref.referenceLocator)
        .sort(),
      categories: refs.map((ref) => `${ref.referenceType}:${ref.referenceCategory.replace('PACKAGE_MANAGER', 'PACKAGE-MANAGER')}`).sort(),
      supplier: pkg.supplier,
      originator: pkg.originator,
      downloadLocation: pkg.downloadLocation,
      purpose: pkg.primaryPackagePurpose,
      licenseConcluded: pkg.licenseConcluded,
      packageFileName: pkg.packageFileName,
    };
  }
  return {
    document: { name: doc.name, namespace: doc.documentNamespace, dataLicense: doc.dataLicense },
    packages,
    relationships: doc.relationships.map((r) => `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`).sort(),
  };
}
