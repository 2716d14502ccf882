// `tsc --noEmit` over the app, reporting the app's own files only. The app imports the client
// package as TypeScript source, so tsc also walks clients/ts; that package is checked by its own
// `npm run typecheck` (which knows its one generated-plugin exception and its Node types), so
// diagnostics in files outside web/ are not repeated here.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fail = (d) => {
  throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
};
const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: fail });
const program = ts.createProgram(config.fileNames, config.options);
const all = ts.getPreEmitDiagnostics(program);
const ours = (d) => !d.file || !path.relative(root, path.resolve(d.file.fileName)).startsWith('..');
const kept = all.filter(ours);
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
if (kept.length) {
  console.error(ts.formatDiagnosticsWithColorAndContext(kept, host));
  console.error(`${kept.length} type error(s) in web/`);
  process.exit(1);
}
console.log(`typecheck: web/ clean (${config.fileNames.length} files; ${all.length - kept.length} diagnostic(s) in clients/ts left to its own typecheck)`);
