// The Keras layer class names Paperweight reads, with the aliases Keras accepts for them, mapped to the
// canonical name: the registry's names (src/model/registry.ts). Shared by the code and JSON importers.
import { LAYER_NAMES } from '../model';

export const LAYER_ALIASES: Record<string, string> = LAYER_NAMES;
