// What every renderer under scripts/codegen/ returns and scripts/codegen.ts writes or compares: its
// own file, so the renderers import no part of the script that runs them.

export interface GeneratedFile {
  /** Path relative to the project root. */
  path: string;
  content: string;
}
