// Which dropped or picked files are Keras model files (kept apart so the page can ask without loading the readers).

/** .keras, .h5 and .hdf5 (Keras 2 also wrote .hdf5). */
export const isModelFileName = (name: string) => /\.(keras|h5|hdf5)$/i.test(name);
