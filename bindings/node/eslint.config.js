'use strict';
// eslint's recommended rules over the package's JavaScript (run by
// scripts/test-lint.sh): CommonJS for Node, and the ESM entry point.
const js = require('@eslint/js');
const globals = require('globals');

module.exports = [
  js.configs.recommended,
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: globals.node } },
];
