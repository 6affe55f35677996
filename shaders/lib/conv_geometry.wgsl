// The geometry of one Conv2D (NHWC, Keras kernel [KH, KW, CIN, COUT]) as `override` constants, shared by both
// conv kernel families (conv2d.wgsl, conv2d_direct.wgsl) so index arithmetic folds to constants and no Params
// uniform is needed. Padding follows TensorFlow: TOP = floor(total / 2) rows before (src/ops/common.ts
// axisPlan). KCHUNK and SPLITS: backward_dw's split of K = BATCH*OH*OW into SPLITS slices of KCHUNK.

override BATCH: u32 = 1u;
override H: u32 = 1u;
override W: u32 = 1u;
override CIN: u32 = 1u;
override OH: u32 = 1u;
override OW: u32 = 1u;
override COUT: u32 = 1u;
override KH: u32 = 1u;
override KW: u32 = 1u;
override SH: u32 = 1u;
override SW: u32 = 1u;
override TOP: u32 = 0u;
override LEFT: u32 = 0u;
override KCHUNK: u32 = 1u;
override SPLITS: u32 = 1u;
