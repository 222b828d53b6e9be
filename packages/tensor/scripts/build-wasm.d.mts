/** The compiled module's bytes (AssemblyScript, assembly/normals.ts with assembly/asconfig.json). */
export function compileNormalsWasm(): Promise<Uint8Array>;
/** The generated TypeScript module for the given bytes. */
export function generatedModule(bytes: Uint8Array): string;
