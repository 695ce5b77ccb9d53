// Lets a plain `node` child process load the TypeScript sources (lib/, test/fuzz/) directly:
// each .ts file is transpiled to CommonJS on require, without type-checking (jest checks types).
const fs = require('fs');
const ts = require('typescript');

require.extensions['.ts'] = function loadTs(module, filename) {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(out.outputText, filename);
};
