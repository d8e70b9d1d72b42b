/// File formats at the program's edge: safetensors weights and dumps, NumPy .npy arrays, and
/// images (PNG, JPEG, binary PPM) preprocessed as torchvision does for VGG-16.
/// Nothing here is known to the engine.
public enum ConvTourIO {}
