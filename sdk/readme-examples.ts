/** The examples sdk/README.md shows: each `<!-- example: <file> -->` marker and the ts block after it. */
export const EXAMPLE_BLOCK = /<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g;

/** README text with every example block replaced by its file's text (`read` gives a file's text). */
export function withExamples(readme: string, read: (file: string) => string): string {
  return readme.replace(EXAMPLE_BLOCK, (_, file: string) => `<!-- example: ${file} -->\n\`\`\`ts\n${read(file)}\`\`\``);
}
