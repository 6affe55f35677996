// The data engine's public API: loaders for every supported format, adapters, the split.
export { fromBytes, fromDataTransferItems, fromFileList } from './adapters';
export { loadDataset } from './load';
export { type FetchFn, loadMnist } from './mnist';
export { computeNormalization } from './normalize';
export { decodePng } from './png-decoder';
export { seededRandom, splitValidation } from './split';
export {
  baseName,
  type Dataset,
  DatasetError,
  type DecodedImage,
  type ImageDecoder,
  type ImageSet,
  type InputFile,
  type LoadOptions,
  type Normalization,
  type Progress,
} from './types';
