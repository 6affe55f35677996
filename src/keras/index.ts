// Keras interop: Python code and JSON import, Keras 3 code / JSON export, TF.js Layers weights export.
export { KerasImportError } from './errors';
export { type ImportResult, importKerasCode } from './import-code';
