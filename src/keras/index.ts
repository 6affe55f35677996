// Keras interop: Python code and JSON import, Keras 3 code / JSON export, TF.js Layers weights export.
export { KerasImportError } from './errors';
export { exportKerasCode } from './export-code';
export { exportKerasJson } from './export-json';
export { type ImportResult, importKerasCode } from './import-code';
export { importKerasJson } from './import-json';
export { exportTfjsModel, importTfjsWeights, TFJS_SHARD_NAME } from './tfjs-weights';
