// What one dataset may take in a browser tab. Files can promise anything in their headers; the loaders
// check every promise against these before allocating, and against the bytes that actually arrive.

/** All images of a dataset together (uint8, both splits); CIFAR-10 is 150 MB, MNIST 55 MB. */
export const MAX_DATASET_BYTES = 2 ** 30;

/** What a dropped zip may unpack to in total. */
export const MAX_UNZIPPED_BYTES = 2 ** 30;

/** Files in one zip (MNIST as PNG files is 70,000). */
export const MAX_ZIP_ENTRIES = 100_000;

/** One file read whole into memory (a Python CIFAR batch is 31 MB, CIFAR-100's train file 155 MB). */
export const MAX_WHOLE_FILE_BYTES = 2 ** 30;

/** Class names / label values: more classes than this is not a classification dataset we can train. */
export const MAX_CLASSES = 10_000;
