/** Markdown files under docs/, bundled as text (esbuild text loader in build.mjs; a text transform in Jest). */
declare module '*.md' {
  const text: string;
  export default text;
}
