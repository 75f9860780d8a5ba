// Jest transform: a Markdown file imported by src/ becomes a module whose default export is its text,
// as esbuild's text loader makes it in dist/ (build.mjs).
module.exports = {
  process(source) {
    return { code: `module.exports = ${JSON.stringify(source)};` };
  },
};
