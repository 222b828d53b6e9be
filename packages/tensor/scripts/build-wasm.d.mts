/** The compiled module's bytes (AssemblyScript, assembly/index.ts with assembly/asconfig.json). */
export function compileHostWasm(): Promise<Uint8Array>;
/** The generated TypeScript module for the given bytes. */
export function generatedModule(bytes: Uint8Array): string;
