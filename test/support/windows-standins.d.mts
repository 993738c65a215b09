/** Types of windows-standins.mjs (a plain module, so the script that made the references can run it with node). */
export function embeddableMembers(version: string, arch: 'amd64' | 'arm64' | 'win32'): string[];
export function standInArtifact(name: string): Promise<Buffer>;
