#!/usr/bin/env node
'use strict';
// Fails, naming each, on a public name of the Node package's type declarations
// without a JSDoc comment (issue 25): every exported declaration (class,
// interface, function and each of its overloads, type alias, enum, constant)
// and every member of an exported class or interface, the constructor
// included. Private members (a `private constructor()` that forbids `new`)
// are not public; members of a type literal inside a member's type are
// documented by that member's comment. An empty `/** */` does not count.
// Reads the file with the TypeScript compiler API of the package's own
// devDependency (bindings/node/node_modules, as scripts/test-lint.sh installs it).
// Usage: node scripts/check-dts-docs.js [FILE]   (default bindings/node/index.d.ts)
const fs = require('node:fs');
const path = require('node:path');
const ts = require(path.join(__dirname, '../bindings/node/node_modules/typescript'));

const file = process.argv[2] ?? path.join(__dirname, '../bindings/node/index.d.ts');
const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

const has = (node, kind) => (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((m) => m.kind === kind);
const documented = (node) => ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc)
  && ((ts.getTextOfJSDocComment(doc.comment) ?? '').trim() !== '' || (doc.tags ?? []).length > 0));

function nameOf(node) {
  if (ts.isConstructorDeclaration(node) || ts.isConstructSignatureDeclaration(node)) return 'constructor';
  if (ts.isIndexSignatureDeclaration(node)) return '[index]';
  if (ts.isCallSignatureDeclaration(node)) return '(call)';
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText(source)).join(', ');
  return node.name ? node.name.getText(source) : '(anonymous)';
}

const missing = [];
let total = 0;
function expect(node, name) {
  total++;
  if (documented(node)) return;
  const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
  missing.push(`${path.relative(process.cwd(), file)}:${line + 1}: ${name} has no JSDoc comment`);
}

for (const statement of source.statements) {
  if (!has(statement, ts.SyntaxKind.ExportKeyword)) continue;
  const name = nameOf(statement);
  expect(statement, name);
  if (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
    for (const member of statement.members) {
      if (has(member, ts.SyntaxKind.PrivateKeyword) || member.name?.kind === ts.SyntaxKind.PrivateIdentifier) continue;
      expect(member, `${name}.${nameOf(member)}`);
    }
  }
}

for (const line of missing) console.log(line);
console.error(`check-dts-docs: ${total - missing.length} of ${total} public names documented`);
process.exit(missing.length === 0 && total > 0 ? 0 : 1);
